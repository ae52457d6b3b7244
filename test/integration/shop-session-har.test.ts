import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { shopApiSpecPath } from '../../examples/shop-api/src/server.js';
import { templatePaths } from '../../src/discovery/templating.js';
import { parseHar, type HarResult } from '../../src/discovery/sources/har.js';
import { REDACTED } from '../../src/discovery/sources/record.js';
import { recordShopSession, type ShopSession } from '../helpers/shop-session-har.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const spec = parse(readFileSync(shopApiSpecPath(), 'utf8')) as { paths: Record<string, Record<string, { deprecated?: boolean }>> };
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m] !== undefined).map((m) => ({ key: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), deprecated: item[m]!.deprecated === true, re: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`), literal: !path.includes('{') })));

/** The spec operation a concrete request is, literal templates first (`/users/me` before `/users/{userId}`). */
function operationOf(method: string, path: string): string | undefined {
  const candidates = operations.filter((o) => o.method === method && o.re.test(path));
  return (candidates.find((o) => o.literal) ?? candidates[0])?.key;
}

describe('the recorded shop session (HAR fixture)', () => {
  let session: ShopSession;
  let file: string;
  let result: HarResult;
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'pc-har-')), 'shop-session.har');
    session = await recordShopSession({ file });
    result = parseHar(readFileSync(file, 'utf8'));
  });

  it('writes a HAR 1.2 document with headers, query strings, bodies, status and timings', () => {
    const har = JSON.parse(readFileSync(file, 'utf8')) as ShopSession['har'];
    expect(har).toEqual(session.har);
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBeGreaterThan(60);
    for (const e of har.log.entries) {
      expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
      expect(e.time).toBeCloseTo(e.timings.send + e.timings.wait + e.timings.receive, 2);
      expect(e.request.url.startsWith(`${session.baseUrl}/`)).toBe(true);
      expect(e.request.headers.find((h) => h.name === 'Host')?.value).toBe(new URL(session.baseUrl).host);
      expect(e.response.headers.length).toBeGreaterThan(0);
      expect(e.response.content.size).toBe(e.response.bodySize);
    }
    const search = har.log.entries.find((e) => e.request.url.includes('q=mug'))!;
    expect(search.request.queryString).toEqual([{ name: 'q', value: 'mug' }]);
    const image = har.log.entries.find((e) => e.request.method === 'GET' && e.request.url.endsWith('/products/1/image'))!;
    expect(image.response.content).toMatchObject({ mimeType: 'image/png', encoding: 'base64' });
    const upload = har.log.entries.find((e) => e.request.method === 'POST' && e.request.url.endsWith('/products/1/image'))!;
    expect(upload.request.postData).toMatchObject({ mimeType: expect.stringMatching(/^multipart\/form-data; boundary=/), params: [{ name: 'file', fileName: 'product-1.png', contentType: 'image/png' }] });
    expect(new Set(har.log.entries.map((e) => e.response.status))).toEqual(new Set([200, 201, 202, 204, 401, 404, 409]));
  });

  it('is read by the HAR source into one record per entry', () => {
    expect(result.error).toBeUndefined();
    expect(result.stats.records).toBe(session.har.log.entries.length);
    expect(result.stats.skipped).toEqual({});
    expect(result.stats.bodies.json).toBeGreaterThan(60);
  });

  it('covers every operation of openapi.yaml at least twice, with different ids where the path has one', () => {
    const seen = new Map<string, Set<string>>();
    const counts = new Map<string, number>();
    for (const r of result.records) {
      const op = operationOf(r.method, r.path);
      if (op === undefined) continue;
      counts.set(op, (counts.get(op) ?? 0) + 1);
      seen.set(op, (seen.get(op) ?? new Set()).add(r.path));
    }
    expect([...counts.keys()].sort()).toEqual(operations.map((o) => o.key).sort());
    for (const o of operations) {
      expect(counts.get(o.key), o.key).toBeGreaterThanOrEqual(2);
      if (!o.literal) expect(seen.get(o.key)!.size, o.key).toBeGreaterThanOrEqual(2);
    }
    expect(operations.filter((o) => o.deprecated).map((o) => o.key).sort()).toEqual(['GET /api/v1/products', 'GET /api/v1/users/{userId}']);
  });

  it('holds the shadow endpoints, and nothing else outside the spec', () => {
    const outside = new Set(result.records.filter((r) => operationOf(r.method, r.path) === undefined).map((r) => `${r.method} ${r.path}`));
    expect([...outside].sort()).toEqual([...session.shadow].sort());
  });

  it('templates back to the spec\'s paths, plus the shadow ones', () => {
    const templates = templatePaths(result.records.map((r) => r.path)).templates.map((t) => t.template);
    expect(templates.sort()).toEqual([...Object.keys(spec.paths), ...session.shadow.map((s) => s.split(' ')[1]!)].sort());
  });

  it('keeps no credential in the records: tokens and passwords are reduced or redacted', () => {
    const records = JSON.stringify(result.records);
    expect(session.credentials.length).toBeGreaterThan(10);
    for (const secret of session.credentials) expect(records, 'a credential survived').not.toContain(secret);
    expect(readFileSync(file, 'utf8')).toContain(session.credentials[1]!); // the HAR itself has them: the check above is not vacuous
    const authed = result.records.filter((r) => r.requestHeaders['authorization'] !== undefined);
    expect(authed.length).toBeGreaterThan(30);
    expect(new Set(authed.map((r) => r.requestHeaders['authorization']))).toEqual(new Set(['bearer']));
    const login = result.records.find((r) => r.path === '/api/v2/auth/login' && r.status === 200)!;
    expect(login.requestBody).toEqual({ username: 'alice', password: REDACTED });
    expect(login.responseBody).toMatchObject({ token: REDACTED, expiresIn: 3600 });
    expect(result.records.find((r) => r.path === '/api/v2/debug/config')!.responseBody).toMatchObject({ jwtSecret: REDACTED, service: 'shop-api' });
  });

  // One-time reset codes travel as `resetCode` (the vulnerable API's answer, V8) and `code` (the
  // confirm request): both names are credentials to the reader.
  it('keeps no one-time reset code either', () => {
    const kept = result.records.flatMap((r) => [
      ...(r.path === '/api/v2/auth/password-reset' ? [(r.responseBody as { resetCode?: string } | undefined)?.resetCode] : []),
      ...(r.path === '/api/v2/auth/password-reset/confirm' ? [(r.requestBody as { code?: string } | undefined)?.code] : []),
    ]);
    expect(kept.filter((c) => c !== undefined && session.resetCodes.includes(c))).toEqual([]);
  });
});
