/**
 * Operational failures (bad config, unreadable spec, store down at start-up) are PortcullisErrors:
 * a stable code, a message, a hint, where it happened, and the exit code the CLI returns.
 * Security decisions are never errors: they are Verdicts (src/core/verdict.ts).
 */

export const EXIT = { ok: 0, findings: 1, usage: 2, incomplete: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface ErrorSpec { exitCode: ExitCode; summary: string }

/** The one table of error codes. docs/errors.md documents each; a test checks both ways. */
export const ERROR_CODES = {
  PC_ERR_CLI_USAGE: { exitCode: EXIT.usage, summary: 'Unknown command, flag or missing argument.' },
  PC_ERR_CONFIG_READ: { exitCode: EXIT.usage, summary: 'The configuration file could not be read.' },
  PC_ERR_CONFIG_SYNTAX: { exitCode: EXIT.usage, summary: 'The configuration file is not valid YAML.' },
  PC_ERR_CONFIG_INVALID: { exitCode: EXIT.usage, summary: 'The configuration does not match its schema.' },
  PC_ERR_CONFIG_VARIABLE: { exitCode: EXIT.usage, summary: 'A ${VAR} in the configuration names an unset environment variable.' },
  PC_ERR_SPEC_READ: { exitCode: EXIT.usage, summary: 'An OpenAPI document (or a file it references) could not be read or parsed.' },
  PC_ERR_SPEC_VERSION: { exitCode: EXIT.usage, summary: 'The OpenAPI version is not supported (3.0 and 3.1 are; Swagger 2.0 is refused).' },
  PC_ERR_SPEC_INVALID: { exitCode: EXIT.usage, summary: 'The OpenAPI document is structurally invalid (bad $ref, missing paths, bad schema).' },
  PC_ERR_SPEC_UNSAFE_PATTERN: { exitCode: EXIT.usage, summary: 'A schema pattern cannot run on the linear-time regex engine.' },
  PC_ERR_SPEC_ROUTE_CONFLICT: { exitCode: EXIT.usage, summary: 'Two operations match the same requests, so routing would be ambiguous.' },
  PC_ERR_LISTEN: { exitCode: EXIT.incomplete, summary: 'A listener could not bind its address.' },
  PC_ERR_ADMIN_INSECURE: { exitCode: EXIT.usage, summary: 'The admin listener is not on loopback and has no token.' },
  PC_ERR_STORE_OPEN: { exitCode: EXIT.incomplete, summary: 'The event store could not be opened.' },
  PC_ERR_STORE_URL: { exitCode: EXIT.usage, summary: 'The --store value is not sqlite:PATH, memory or postgres://….' },
  PC_ERR_KEY_EXISTS: { exitCode: EXIT.incomplete, summary: 'An API key with that id already exists (ids are random: retry).' },
  PC_ERR_KEY_NOT_FOUND: { exitCode: EXIT.usage, summary: 'No API key has that id.' },
  PC_ERR_UPSTREAM_URL: { exitCode: EXIT.usage, summary: 'An upstream URL is not an absolute http(s) URL.' },
  PC_ERR_DISCOVER_READ: { exitCode: EXIT.usage, summary: 'A traffic file given to discover (--har, --access-log, --json-lines) is missing or unreadable.' },
  PC_ERR_DISCOVER_FORMAT: { exitCode: EXIT.usage, summary: 'A traffic file given to discover is not in the format its flag names (not a HAR; no line a log entry).' },
  PC_ERR_DISCOVER_WRITE: { exitCode: EXIT.incomplete, summary: 'A discover output file (--markdown-output, --openapi-output, --limits-output) could not be written.' },
  PC_ERR_SURFACE_TARGET: { exitCode: EXIT.usage, summary: 'The surface target is not an absolute http(s) URL without credentials.' },
  PC_ERR_SURFACE_UNREACHABLE: { exitCode: EXIT.incomplete, summary: 'The surface target did not answer its first request (refused, timed out, TLS failure).' },
  PC_ERR_RELOAD_FAILED: { exitCode: EXIT.incomplete, summary: 'A configuration reload failed; the previous configuration keeps serving.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PortcullisError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** `file:line:col path` or a flag name: where the user should look. */
  readonly where: string | undefined;
  readonly exitCode: ExitCode;
  /** Further problems found in the same pass (config validation reports all at once). */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, opts: { hint?: string; where?: string; details?: readonly string[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PortcullisError';
    this.code = code;
    this.hint = opts.hint;
    this.where = opts.where;
    this.details = opts.details ?? [];
    this.exitCode = ERROR_CODES[code].exitCode;
  }
}

export function isPortcullisError(e: unknown): e is PortcullisError {
  return e instanceof PortcullisError;
}
