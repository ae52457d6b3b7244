import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { exportOpenApi } from '../discovery/export/openapi.js';
import { renderLimitsYaml } from '../discovery/limits/yaml.js';
import { discover, type DiscoveryResult } from '../discovery/pipeline.js';
import { renderMarkdown } from '../discovery/report/markdown.js';
import { renderTable } from '../discovery/report/table.js';
import { EXIT, PortcullisError } from '../errors.js';
import { loadSpec } from '../openapi/load.js';
import { openSources, type SourceFile } from './discover-sources.js';
import { openStoreSource, parseSince, type StoreSource } from './discover-store.js';
import { DEFAULT_STORE } from '../config/defaults.js';
import { loadConfigFile } from '../config/load.js';
import type { TrafficRecord } from '../discovery/sources/record.js';
import { reportError } from './output.js';

export const DISCOVER_HELP = `portcullis discover — the API inventory from traffic: endpoints, auth, sensitive data, risk

Usage:
  portcullis discover (--har FILE | --access-log FILE | --json-lines FILE | --from-store)... [options]

Traffic (each flag may be repeated; HAR files are read first, then access logs, then JSON lines):
  --har FILE               HAR 1.2 (browser dev tools, mitmproxy, Charles); JSON bodies are read too
  --access-log FILE        nginx/Apache combined (or common) access log
  --json-lines FILE        one JSON object per line (pino-http, Caddy, Envoy and flat shapes)
  --log-duration UNIT      a response time logged after the user agent of --access-log lines:
                           seconds (nginx $request_time) | milliseconds | microseconds (Apache %D)
  --from-store             the gateway's own traffic samples (see docs/discovery.md, Gateway samples), from
                           --store URL or the store of --config FILE (default sqlite:.portcullis/portcullis.db)
  --store URL              sqlite:PATH | postgres://… (with --from-store)
  --config FILE            portcullis.yaml: its store (with --from-store)
  --since WHEN             only samples from then on: 30m, 24h, 7d, or an ISO time (with --from-store)

Diff:
  --spec FILE              the declared OpenAPI 3.x document: each endpoint is declared, shadow (seen, not
                           declared), zombie (deprecated, or an older /v1 beside a newer /v2) or orphan
                           (declared, never seen), with drift (parameters and fields not declared, types broken)

Output:
  (default)                a table of endpoints on stdout, then the riskiest with their factors
  --json                   {"endpoints": [...], "summary": {...}, "limits": {...}, "sources": [...]} on stdout
  --markdown-output FILE   a Markdown report
  --openapi-output FILE    the reconstructed API as OpenAPI 3.1 (JSON if FILE ends in .json, else YAML)
  --limits-output FILE     learned per-endpoint rate limits (p99 of requests per caller per minute, with
                           headroom) as portcullis.yaml config, ready to paste, in monitor mode

No credential or sensitive value is printed or written: credentials are reduced to their scheme
as they are read, and schemas and reports carry names, classes and counts, never values.

Examples:
  portcullis discover --access-log /var/log/nginx/access.log
  portcullis discover --access-log access.log --spec openapi.yaml --json
  portcullis discover --har session.har --openapi-output discovered.yaml --markdown-output inventory.md

Exit codes: 0 done, 2 usage error or an unreadable or malformed file, 3 an output could not be written.`;

function usage(message: string, where?: string): PortcullisError {
  return new PortcullisError('PC_ERR_CLI_USAGE', message, { where, hint: 'Run `portcullis discover --help`.' });
}

function writeOutput(file: string, text: string, flag: string): void {
  try {
    writeFileSync(file, text);
  } catch (cause) {
    throw new PortcullisError('PC_ERR_DISCOVER_WRITE', `cannot write ${file} (${flag}): ${(cause as Error).message}`, {
      where: flag, hint: 'Check that the directory exists and is writable.', cause,
    });
  }
}

export async function discoverCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      har: { type: 'string', multiple: true }, 'access-log': { type: 'string', multiple: true }, 'json-lines': { type: 'string', multiple: true },
      'log-duration': { type: 'string' }, 'from-store': { type: 'boolean' }, store: { type: 'string' }, config: { type: 'string' }, since: { type: 'string' }, spec: { type: 'string' },
      json: { type: 'boolean' }, 'markdown-output': { type: 'string' }, 'openapi-output': { type: 'string' }, 'limits-output': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${DISCOVER_HELP}\n`); return EXIT.ok; }
  const json = values.json === true;
  let stored: StoreSource | undefined;
  try {
    if (positionals.length > 0) throw usage(`unexpected argument "${positionals[0]}": name the file with --har, --access-log or --json-lines`);
    const fromStore = values['from-store'] === true;
    for (const flag of ['store', 'config', 'since'] as const) {
      if (values[flag] !== undefined && !fromStore) throw usage(`--${flag} goes with --from-store`, `--${flag}`);
    }
    if (values.store !== undefined && values.config !== undefined) throw usage('give --store or --config, not both', '--store');
    const duration = values['log-duration'];
    if (duration !== undefined && duration !== 'seconds' && duration !== 'milliseconds' && duration !== 'microseconds') {
      throw usage(`--log-duration must be seconds, milliseconds or microseconds (got "${duration.slice(0, 40)}")`, '--log-duration');
    }
    const files: SourceFile[] = [
      ...(values.har ?? []).map((file) => ({ kind: 'har' as const, file })),
      ...(values['access-log'] ?? []).map((file) => ({ kind: 'access-log' as const, file })),
      ...(values['json-lines'] ?? []).map((file) => ({ kind: 'json-lines' as const, file })),
    ];
    if (files.length === 0 && !fromStore) throw usage('discover needs traffic: --har FILE, --access-log FILE, --json-lines FILE or --from-store');
    const since = values.since === undefined ? undefined : parseSince(values.since);
    const spec = values.spec === undefined ? undefined : await loadSpec(resolve(values.spec));
    const sources = openSources(files, { trailingDuration: duration });
    stored = fromStore ? await openStoreSource(storeUrl(values.store, values.config), since) : undefined;
    const fromStored = stored;
    const open = fromStored ? async function* both(): AsyncGenerator<TrafficRecord> { yield* sources.open(); yield* fromStored.open(); } : sources.open;
    const progress = !json && process.stderr.isTTY === true;
    const result = await discover(open, {
      spec,
      onProgress: progress ? (pass, n) => process.stderr.write(`\rdiscover: pass ${pass} of 2, ${n} requests`) : undefined,
    });
    if (progress) process.stderr.write('\r\x1b[K');
    const warnings = sources.warnings();
    if (values['openapi-output']) {
      const file = values['openapi-output'];
      const doc = exportOpenApi(result.inventory);
      writeOutput(file, file.endsWith('.json') ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 }), '--openapi-output');
    }
    if (values['limits-output']) writeOutput(values['limits-output'], renderLimitsYaml(result.limits.learned, result.limits.unlimited, result.summary), '--limits-output');
    if (values['markdown-output']) writeOutput(values['markdown-output'], renderMarkdown(result), '--markdown-output');
    const reports = [...sources.reports(), ...(stored ? [stored.report()] : [])];
    if (stored && stored.report().records === 0) warnings.push(`${stored.report().file}: no traffic samples${since !== undefined ? ' since then' : ''} (is discovery.sample on in the gateway?)`);
    if (json) process.stdout.write(`${JSON.stringify(jsonReport(result, reports, warnings))}\n`);
    else {
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(renderTable(result));
    }
    return EXIT.ok;
  } catch (err) {
    return reportError(err, json);
  } finally {
    await stored?.close().catch(() => undefined);
  }
}

/** The store to read: --store, else the store of --config, else the gateway's default. */
function storeUrl(store: string | undefined, config: string | undefined): string {
  if (store !== undefined) return store.startsWith('sqlite:') ? `sqlite:${resolve(store.slice('sqlite:'.length))}` : store;
  if (config !== undefined) return loadConfigFile(resolve(config)).store;
  return `sqlite:${resolve(DEFAULT_STORE.slice('sqlite:'.length))}`;
}

function jsonReport(r: DiscoveryResult, sources: unknown, warnings: string[]): Record<string, unknown> {
  return { endpoints: r.endpoints, summary: r.summary, limits: r.limits, sources, warnings };
}
