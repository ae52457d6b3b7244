import { watch } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_ADMIN_LISTEN, DEFAULT_LISTEN } from '../config/defaults.js';
import { loadConfigFile, validateConfig } from '../config/load.js';
import { redactUrl } from '../store/url.js';
import type { PortcullisConfig } from '../config/types.js';
import { EXIT, PortcullisError } from '../errors.js';
import { startGateway, type RunningGateway } from '../gateway/start.js';
import { reportError } from './output.js';

export const PROTECT_HELP = `portcullis protect — run the gateway in front of an upstream

Usage:
  portcullis protect --to URL --spec FILE [options]
  portcullis protect --config portcullis.yaml [options]

Options:
  --to, --upstream URL   upstream base URL (e.g. http://127.0.0.1:3000)
  --spec FILE            OpenAPI 3.0/3.1 document the upstream must follow
  --config FILE          portcullis.yaml (upstreams, modes, limits); flags override it
  --listen HOST:PORT     public listener (default ${DEFAULT_LISTEN})
  --admin HOST:PORT      admin listener: /livez /readyz /metrics /api (default ${DEFAULT_ADMIN_LISTEN})
  --mode block|monitor   global mode; monitor only records (default block)
  --store URL            memory | sqlite:PATH (default sqlite:.portcullis/portcullis.db)
  --rate-limit RATE      per-caller rate limit, e.g. 100/min or 10/s (429 beyond; burst via portcullis.yaml)
  --redis URL            redis://… for state shared across instances (rate limits, block list, used challenges)
  --tls-cert FILE        serve https with this PEM certificate chain (with --tls-key)
  --tls-key FILE         PEM private key of --tls-cert
  --tls-client-ca FILE   verify client certificates against this CA (mTLS; tls.clientCert: required to insist)
  --json                 machine-readable start-up line
  -h, --help             this help

Examples:
  portcullis protect --to http://127.0.0.1:3000 --spec examples/shop-api/openapi.yaml
  portcullis protect --config portcullis.yaml --mode monitor

Reloads portcullis.yaml on change or SIGHUP (the old config keeps serving if the new one is invalid).
Stops gracefully on SIGTERM/SIGINT.`;

/** Flags → a raw config (or overrides on a loaded one), validated by the one schema. */
export function configFromFlags(values: Record<string, string | boolean | undefined>, cwd = process.cwd()): PortcullisConfig {
  const to = (values.to ?? values.upstream) as string | undefined;
  const spec = values.spec as string | undefined;
  if (values.config) {
    const base = loadConfigFile(values.config as string);
    const raw: Record<string, unknown> = { ...stripDerived(base) };
    if (to || spec) {
      throw new PortcullisError('PC_ERR_CLI_USAGE', '--to/--spec cannot be combined with --config', { hint: 'Put upstreams in portcullis.yaml, or use --to and --spec alone.' });
    }
    applyOverrides(raw, values);
    return validateConfig(raw, { baseDir: base.baseDir, file: base.file });
  }
  if (!to || !spec) {
    throw new PortcullisError('PC_ERR_CLI_USAGE', 'protect needs --to and --spec (or --config)', { where: !to ? '--to' : '--spec', hint: 'e.g. portcullis protect --to http://127.0.0.1:3000 --spec openapi.yaml' });
  }
  const raw: Record<string, unknown> = { upstreams: [{ name: 'default', url: to, spec }] };
  applyOverrides(raw, values);
  return validateConfig(raw, { baseDir: cwd, locate: (p) => (p[0] === 'upstreams' ? (p[2] === 'url' ? '--to' : '--spec') : `--${String(p[0])}`) });
}

function applyOverrides(raw: Record<string, unknown>, v: Record<string, string | boolean | undefined>): void {
  if (v.listen) raw.listen = v.listen;
  if (v.admin) raw.admin = { ...(raw.admin as object | undefined), listen: v.admin };
  if (v.mode) raw.mode = v.mode;
  if (v.store) raw.store = v.store;
  if (v.redis) raw.redis = v.redis;
  if (typeof v['rate-limit'] === 'string') {
    // One limit per principal (the caller, else its IP), added to any limits portcullis.yaml lists.
    const controls = { ...(raw.controls as Record<string, unknown> | undefined) };
    const rl = { ...(controls['rate-limit'] as Record<string, unknown> | undefined) };
    rl.limits = [...((rl.limits as unknown[] | undefined) ?? []), { name: 'per-principal', key: 'principal', rate: v['rate-limit'] }];
    controls['rate-limit'] = rl;
    raw.controls = controls;
  }
  if (v['tls-cert'] || v['tls-key'] || v['tls-client-ca']) {
    const tls = { ...(raw.tls as object | undefined) } as Record<string, unknown>;
    if (v['tls-cert']) tls.cert = v['tls-cert'];
    if (v['tls-key']) tls.key = v['tls-key'];
    if (v['tls-client-ca']) { tls.clientCa = v['tls-client-ca']; tls.clientCert ??= 'optional'; }
    raw.tls = tls;
  }
}

function stripDerived(c: PortcullisConfig): Record<string, unknown> {
  const { baseDir: _b, file: _f, ...rest } = c;
  return rest as unknown as Record<string, unknown>;
}

export async function protectCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      to: { type: 'string' }, upstream: { type: 'string' }, spec: { type: 'string' }, config: { type: 'string' },
      listen: { type: 'string' }, admin: { type: 'string' }, mode: { type: 'string' }, store: { type: 'string' },
      redis: { type: 'string' }, 'rate-limit': { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'tls-client-ca': { type: 'string' },
      json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) { process.stdout.write(`${PROTECT_HELP}\n`); return EXIT.ok; }
  let gw: RunningGateway;
  try {
    gw = await startGateway({ config: configFromFlags(values) });
  } catch (err) {
    return reportError(err, values.json === true);
  }
  announce(gw, values.json === true);
  return new Promise((resolve) => {
    const reload = (): void => {
      gw.reload().then(
        () => process.stderr.write('portcullis: configuration reloaded\n'),
        (err: unknown) => { process.stderr.write('portcullis: reload failed, previous configuration still serving\n'); reportError(err, values.json === true); },
      );
    };
    const file = gw.config.file;
    let timer: NodeJS.Timeout | undefined;
    const watcher = file ? watch(file, () => { clearTimeout(timer); timer = setTimeout(reload, 200); }) : undefined;
    process.on('SIGHUP', reload);
    const stop = (signal: string): void => {
      process.stderr.write(`portcullis: ${signal}, draining\n`);
      watcher?.close();
      gw.close().then(() => resolve(EXIT.ok), (err: unknown) => resolve(reportError(err, false)));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export function announce(gw: RunningGateway, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ listening: gw.url, admin: gw.adminUrl, adminToken: gw.adminTokenGenerated ? gw.adminToken : undefined, warnings: gw.warnings })}\n`);
    return;
  }
  process.stdout.write(`portcullis: listening on ${gw.url} (admin ${gw.adminUrl}, mode ${gw.config.mode}, store ${redactUrl(gw.config.store)})\n`);
  if (gw.adminTokenGenerated) process.stdout.write(`portcullis: admin token (shown once): ${gw.adminToken}\n`);
  for (const w of gw.warnings) process.stderr.write(`portcullis: warning: ${w}\n`);
}
