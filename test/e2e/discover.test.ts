import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/openapi/load.js';
import { runCli } from '../helpers/run-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../src/discovery/sources/fixtures/${name}`, import.meta.url));
const HAR = fixture('discover/session.har');
const LOG = fixture('discover/access.log');

const run = (args: string[]) => runCli(args);

interface JsonEndpoint {
  method: string; path: string; status: string; auth: string[]; dataClasses: string[];
  risk: { score: number; factors: unknown[] }; count: number; firstSeen: string | null; lastSeen: string | null;
}

/** Credentials and sensitive values the fixtures carry: none may reach any output. */
const SENSITIVE = ['HAR_SIGNATURE_SECRET', 'HAR_BODY_PASSWORD', 'eyJ', '@example.com', 'ann', 'bob'];

describe('portcullis discover (built binary)', () => {
  it('--json: the endpoints with the fields the issue names, from a HAR and an access log together', async () => {
    const r = await run(['discover', '--har', HAR, '--access-log', LOG, '--log-duration', 'seconds', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { endpoints: JsonEndpoint[]; summary: { records: number }; warnings: string[] };
    expect(out.summary.records).toBe(330);
    expect(out.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual([
      'GET /api/v1/orders/{orderId}', 'GET /api/v2/health', 'GET /api/v2/internal/debug', 'POST /api/v2/orders',
      'DELETE /api/v2/orders/{orderId}', 'GET /api/v2/orders/{orderId}', 'POST /api/v2/orders/{orderId}/refund',
      'GET /api/v2/products', 'GET /api/v2/users/{userId}',
    ]);
    const get = out.endpoints.find((e) => e.method === 'GET' && e.path === '/api/v2/orders/{orderId}')!;
    expect(Object.keys(get)).toEqual(expect.arrayContaining(['method', 'path', 'status', 'auth', 'dataClasses', 'risk', 'count', 'firstSeen', 'lastSeen']));
    expect(get).toMatchObject({ auth: ['basic', 'bearer'], dataClasses: ['email'], count: 117 });
    expect(get.risk).toEqual({ score: expect.any(Number), factors: expect.any(Array) });
    expect(new Date(get.firstSeen!).toISOString()).toBe(get.firstSeen);
    expect(out.warnings).toEqual([expect.stringContaining('access.log: 1 line not read (time 1), first at line 18')]);
    for (const s of SENSITIVE) expect(r.stdout, s).not.toContain(s);
  });

  it('--spec: declared, shadow, zombie and orphan endpoints, with drift', async () => {
    const r = await run(['discover', '--har', HAR, '--access-log', LOG, '--spec', fixture('discover/openapi.yaml'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { endpoints: Array<JsonEndpoint & { drift: Array<{ kind: string; where: string }> }>; summary: { byStatus: object } };
    expect(Object.fromEntries(out.endpoints.map((e) => [`${e.method} ${e.path}`, e.status]))).toEqual({
      'GET /api/v1/orders/{orderId}': 'zombie',
      'GET /api/v2/health': 'declared',
      'GET /api/v2/internal/debug': 'shadow',
      'GET /api/v2/invoices/{invoiceId}': 'orphan',
      'POST /api/v2/orders': 'declared',
      'DELETE /api/v2/orders/{orderId}': 'declared',
      'GET /api/v2/orders/{orderId}': 'declared',
      'POST /api/v2/orders/{orderId}/refund': 'shadow',
      'GET /api/v2/products': 'declared',
      'GET /api/v2/users/{userId}': 'zombie',
    });
    expect(out.summary.byStatus).toEqual({ declared: 5, shadow: 2, zombie: 2, orphan: 1 });
    const post = out.endpoints.find((e) => e.method === 'POST' && e.path === '/api/v2/orders')!;
    expect(post.drift.map((d) => `${d.kind} ${d.where}`)).toEqual(['undeclared-property request /giftNote', 'undeclared-property request /password']);
    const refund = out.endpoints.find((e) => e.path === '/api/v2/orders/{orderId}/refund')!;
    expect(refund.risk).toMatchObject({ score: 60, factors: [{ id: 'no-auth-write', points: 30 }, { id: 'shadow', points: 20 }, { id: 'numeric-id', points: 10 }] });
    const bad = await run(['discover', '--har', HAR, '--spec', join(tmpdir(), 'no-such-spec.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PC_ERR_SPEC_READ');
  });

  it('--limits-output: a config fragment that `portcullis validate` accepts beside the declared spec', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-discover-'));
    const limits = join(dir, 'limits.yaml');
    const r = await run(['discover', '--har', HAR, '--access-log', LOG, '--spec', fixture('discover/openapi.yaml'), '--limits-output', limits]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ rate limits learned/);
    const snippet = readFileSync(limits, 'utf8');
    expect(snippet).toContain('operations: ["GET /orders/{id}"]');
    const config = join(dir, 'portcullis.yaml');
    writeFileSync(config, `upstreams:\n  - url: http://127.0.0.1:1\n    spec: ${JSON.stringify(fixture('discover/openapi.yaml'))}\n${snippet}`);
    const v = await run(['validate', '--config', config, '--json']);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
  });

  it('the table by default; Markdown and OpenAPI files, the OpenAPI one loadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-discover-'));
    const md = join(dir, 'inventory.md');
    const api = join(dir, 'api.yaml');
    const r = await run(['discover', '--har', HAR, '--access-log', LOG, '--markdown-output', md, '--openapi-output', api]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^METHOD\s+PATH\s+STATUS\s+AUTH/);
    expect(r.stdout).toMatch(/GET\s+\/api\/v2\/orders\/\{orderId\}\s+\w+\s+/);
    expect(r.stderr).toContain('warning: ');
    const report = readFileSync(md, 'utf8');
    expect(report).toContain('# API inventory');
    expect(report).toContain('`/api/v2/orders/{orderId}`');
    const spec = await loadSpec(api);
    expect(spec.version).toBe('3.1');
    expect(Object.keys(spec.doc.paths as object)).toContain('/api/v2/orders/{orderId}');
    for (const text of [r.stdout, report, readFileSync(api, 'utf8')]) for (const s of SENSITIVE) expect(text, s).not.toContain(s);
  });

  it('--json-lines: pino-http lines, credentials reduced to their scheme', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-discover-'));
    const file = join(dir, 'app.jsonl');
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({
      time: Date.parse('2024-05-01T10:00:00Z') + i * 1000, responseTime: 5 + i,
      req: { method: i % 3 ? 'GET' : 'PATCH', url: `/v1/accounts/${7000 + i}?fields=id`, headers: { 'x-api-key': `JSONL_KEY_SECRET_${i % 2}` }, remoteAddress: '10.0.0.9' },
      res: { statusCode: 200 },
    }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await run(['discover', '--json-lines', file, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { endpoints: Array<JsonEndpoint & { principals: number; latencyMs: { p50: number } }> };
    expect(out.endpoints.map((e) => `${e.method} ${e.path} ${e.auth.join(',')} ${e.count} ${e.principals}`)).toEqual([
      'GET /v1/accounts/{accountId} apikey 8 2', 'PATCH /v1/accounts/{accountId} apikey 4 2',
    ]);
    expect(r.stdout).not.toContain('JSONL_KEY_SECRET');
  });

  it('usage errors exit 2: no source, a bad flag value, a store that is not there', async () => {
    const none = await run(['discover']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('PC_ERR_CLI_USAGE');
    const store = await run(['discover', '--from-store', '--store', `sqlite:${join(tmpdir(), 'pc-no-such-dir', 'x.db')}`, '--json']);
    expect(store.code).toBe(2);
    expect(JSON.parse(store.stderr.trim()).error.message).toMatch(/no store at/);
    expect((await run(['discover', '--access-log', LOG, '--log-duration', 'weeks'])).code).toBe(2);
    expect((await run(['discover', LOG])).code).toBe(2);
  });

  it('missing, unreadable and malformed files: a clear error naming the file, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-discover-'));
    const missing = await run(['discover', '--access-log', join(dir, 'nope.log'), '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stderr.trim()).error).toMatchObject({ code: 'PC_ERR_DISCOVER_READ', message: expect.stringContaining('no such file') });
    const notHar = join(dir, 'x.har');
    writeFileSync(notHar, '{"not": "a har"}');
    const bad = await run(['discover', '--har', notHar]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PC_ERR_DISCOVER_FORMAT');
    expect(bad.stderr).toContain('x.har');
    const junk = join(dir, 'junk.log');
    writeFileSync(junk, 'one\ntwo\n{"a":1}\n');
    const j = await run(['discover', '--access-log', junk, '--json']);
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stderr.trim()).error).toMatchObject({ code: 'PC_ERR_DISCOVER_FORMAT', where: `${junk}:1` });
    const jl = await run(['discover', '--json-lines', LOG]);
    expect(jl.code).toBe(2);
    expect(jl.stderr).toContain('use --access-log');
    const dirAsFile = await run(['discover', '--har', dir]);
    expect(dirAsFile.code).toBe(2);
    expect(dirAsFile.stderr).toContain('is a directory');
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.log');
      writeFileSync(locked, '');
      chmodSync(locked, 0o000);
      expect((await run(['discover', '--access-log', locked])).stderr).toContain('permission denied');
    }
  });

  it('an output that cannot be written exits 3; an empty log is not an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-discover-'));
    const r = await run(['discover', '--har', HAR, '--openapi-output', join(dir, 'missing-dir', 'api.yaml')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('PC_ERR_DISCOVER_WRITE');
    const empty = join(dir, 'empty.log');
    writeFileSync(empty, '');
    const e = await run(['discover', '--access-log', empty, '--json']);
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ endpoints: [], warnings: [expect.stringContaining('no request in it')] });
  });
});
