import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Severity } from '../core/verdict.js';
import { EXIT, PortcullisError } from '../errors.js';
import { renderSurfaceMarkdown, renderSurfaceText } from '../report/surface.js';
import { PROBE_DEFAULTS } from '../scan/surface/client.js';
import { runSurface } from '../scan/surface/engine.js';
import { SEVERITIES, severityRank } from '../scan/surface/types.js';
import { bold, red, reportError } from './output.js';

export const SURFACE_HELP = `portcullis surface — an outside-in look at a host, as an attacker would first see it

Usage:
  portcullis surface <url> [--json] [--markdown-output FILE] [--fail-on SEVERITY]
                           [--max-requests N] [--concurrency N] [--timeout MS] [--max-body BYTES] [--ca FILE]

Looks for: published OpenAPI/Swagger documents and documentation UIs (at the root, the URL's
base path and every API version prefix found), GraphQL introspection, older API versions still
answering, debug and management endpoints (actuator, expvar, pprof, server-status, consoles,
admin interfaces, leftover debug routes), .env and .git files, verbose error pages, plain HTTP
or missing HSTS (not judged on loopback targets), version banners and CORS that trusts any origin.
Each hit is checked against the target's answer for paths that cannot exist (catch-all pages,
soft 404s) and needs content evidence; secrets are never printed, only where they are.

Options:
  --json                 the report as JSON on stdout: { target, summary, findings }
  --markdown-output FILE also write the report as Markdown
  --fail-on SEVERITY     exit 1 when a finding is at or above it: none (default), info, low, medium, high, critical
  --max-requests N       request budget, redirects and baselines included (default ${PROBE_DEFAULTS.maxRequests})
  --concurrency N        requests in flight (default ${PROBE_DEFAULTS.concurrency})
  --timeout MS           per request (default ${PROBE_DEFAULTS.timeoutMs})
  --max-body BYTES       bytes read of each answer (default ${PROBE_DEFAULTS.maxBodyBytes})
  --ca FILE              trust this PEM CA as well (an https target with a private CA)

Redirects are followed only on the target's own host and port (or to https on it), at most
${PROBE_DEFAULTS.maxRedirects} hops. Probe only hosts you are allowed to test.

Exit codes: 0 done (no finding at or above --fail-on), 1 findings at or above --fail-on,
2 usage error, 3 the target did not answer.

Examples:
  portcullis surface http://127.0.0.1:3000
  portcullis surface https://api.example.com/shop/ --fail-on medium --markdown-output surface.md
  portcullis surface http://127.0.0.1:8000 --json | jq '.findings[] | .id'`;

function usage(message: string, where?: string): PortcullisError {
  return new PortcullisError('PC_ERR_CLI_USAGE', message, { where, hint: 'Run `portcullis surface --help`.' });
}

function intFlag(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw usage(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`, `--${name}`);
  return Number(raw);
}

/** The target: an absolute http(s) URL without credentials or fragment. */
export function parseTarget(raw: string | undefined): URL {
  if (raw === undefined) throw usage('surface needs the URL of the host to look at');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PortcullisError('PC_ERR_SURFACE_TARGET', `"${raw}" is not a URL`, { where: raw, hint: 'Give an absolute URL such as http://127.0.0.1:3000 or https://api.example.com/base/' });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new PortcullisError('PC_ERR_SURFACE_TARGET', `"${raw}" must be http(s)://host[:port][/base-path] without credentials or fragment`, { where: raw, hint: 'Credentials are not needed: the surface check looks at what anyone can reach.' });
  }
  return url;
}

function parseFailOn(raw: string | undefined): Severity | 'none' {
  const v = (raw ?? 'none').toLowerCase();
  if (v === 'none' || (SEVERITIES as readonly string[]).includes(v)) return v as Severity | 'none';
  throw usage(`--fail-on must be none, ${SEVERITIES.join(', ')} (got "${raw}")`, '--fail-on');
}

const COLORS: Record<Severity, string> = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[2m' };

export async function surfaceCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' }, 'markdown-output': { type: 'string' }, 'fail-on': { type: 'string' },
      'max-requests': { type: 'string' }, concurrency: { type: 'string' }, timeout: { type: 'string' }, 'max-body': { type: 'string' },
      ca: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${SURFACE_HELP}\n`); return EXIT.ok; }
  const json = values.json === true;
  try {
    if (positionals.length > 1) throw usage(`surface takes one URL (got ${positionals.length})`);
    const target = parseTarget(positionals[0]);
    const failOn = parseFailOn(values['fail-on']);
    const maxRequests = intFlag('max-requests', values['max-requests'], 10, 10_000);
    const concurrency = intFlag('concurrency', values.concurrency, 1, 32);
    const timeoutMs = intFlag('timeout', values.timeout, 100, 120_000);
    const maxBodyBytes = intFlag('max-body', values['max-body'], 1024, 16 * 1024 * 1024);
    let ca: Buffer | undefined;
    if (values.ca !== undefined) {
      try {
        ca = readFileSync(values.ca);
      } catch (err) {
        throw usage(`--ca ${values.ca}: ${(err as Error).message}`, '--ca');
      }
    }
    const showProgress = !json && process.stderr.isTTY === true;
    const report = await runSurface(target, {
      ...(maxRequests === undefined ? {} : { maxRequests }), ...(concurrency === undefined ? {} : { concurrency }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
      ...(ca === undefined ? {} : { ca }),
      ...(showProgress ? { onProgress: (n: number) => process.stderr.write(`\rsurface: ${n} requests`) } : {}),
    });
    if (showProgress) process.stderr.write('\r\x1b[K');
    if (values['markdown-output'] !== undefined) writeFileSync(values['markdown-output'], renderSurfaceMarkdown(report));
    if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      const color = !process.env.NO_COLOR && process.stdout.isTTY === true;
      process.stdout.write(renderSurfaceText(report, color ? { paint: (s, t) => `${COLORS[s]}${t}\x1b[0m` } : {}));
    }
    if (failOn === 'none') return EXIT.ok;
    const failing = report.findings.filter((f) => severityRank(f.severity) >= severityRank(failOn));
    if (failing.length > 0 && !json) process.stderr.write(`${red(bold('fail'))}: ${failing.length} finding(s) at or above ${failOn}\n`);
    return failing.length > 0 ? EXIT.findings : EXIT.ok;
  } catch (err) {
    return reportError(err, json);
  }
}
