/**
 * Tests of the adversarial harness itself: the response parser, the byte rendering, the recorder and
 * the invariant checker must each be able to fail, or the adversarial suite proves nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdversarialCase } from './harness/case.js';
import { cleanRequestBody, renderBytes } from './harness/case.js';
import { checkCase, type CaseOutcome, type InvariantContext } from './harness/invariants.js';
import { parseResponses, sendRaw, type RawResult } from './harness/raw-client.js';
import { startRecorder, type RecordedRequest, type Recorder } from './harness/recorder.js';

const ctx = { host: 'gw', userToken: 'u.t.k', adminToken: 'a.t.k', forgedAdminToken: 'f.t.k' };
const inv: InvariantContext = { upstreamHost: '127.0.0.1:9', canonicalTarget: /^\/(public|admin|users\/[0-9]+)(\?.*)?$/ };

describe('parseResponses', () => {
  it('parses Content-Length, chunked and interim responses in sequence', () => {
    const raw = Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' +
        'HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n' +
        'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n',
      'latin1',
    );
    const { responses, leftover } = parseResponses(raw, true);
    expect(responses.map((r) => [r.status, r.interim, r.body.toString()])).toEqual([
      [100, true, ''], [200, false, 'ok'], [404, false, 'abc'], [400, false, ''],
    ]);
    expect(leftover.length).toBe(0);
  });

  it('keeps a truncated response as leftover', () => {
    const { responses, leftover } = parseResponses(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab'), false);
    expect(responses).toEqual([]);
    expect(leftover.toString()).toContain('Content-Length: 5');
  });
});

describe('renderBytes / cleanRequestBody', () => {
  it('substitutes placeholders and computes {{LEN}} over latin1 bytes', () => {
    const b = renderBytes('PUT /x HTTP/1.1\r\n{{H}}{{U}}Content-Length: {{LEN}}\r\n\r\n\xef\xbb\xbf{}', ctx);
    expect(b.toString('latin1')).toBe('PUT /x HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer u.t.k\r\nContent-Length: 5\r\n\r\n\xef\xbb\xbf{}');
    expect(b.length).toBe(b.toString('latin1').length);
  });

  it('refuses characters that are not single bytes', () => {
    expect(() => renderBytes('GET /\u2028 HTTP/1.1\r\n\r\n', ctx)).toThrow(/0xff/);
  });

  it('de-chunks a clean chunked request and refuses ambiguous framing', () => {
    expect(cleanRequestBody(Buffer.from('PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;a=b\r\nab\r\n1\r\nc\r\n0\r\n\r\n'))?.toString()).toBe('abc');
    expect(cleanRequestBody(Buffer.from('PUT / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc'))?.toString()).toBe('abc');
    expect(cleanRequestBody(Buffer.from('PUT / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc'))).toBeUndefined();
  });
});

describe('checkCase', () => {
  const row: AdversarialCase = { id: 'T1', title: 't', bytes: '', expect: { status: 200 }, upstream: { target: '/users/1' } };
  const bytes = Buffer.from('PUT /users/1 HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\n\r\n{}');
  const ok = (status: number): RawResult => ({
    responses: [{ httpVersion: 'HTTP/1.1', status, reason: '', headers: [['content-length', '0'], ['content-type', status >= 400 ? 'application/problem+json' : 'application/json']], body: Buffer.alloc(0), interim: false }],
    closed: false, reset: false, raw: Buffer.alloc(0), leftover: Buffer.alloc(0), elapsedMs: 1,
  });
  const up = (over: Partial<RecordedRequest> = {}): RecordedRequest => ({
    seq: 1, connection: 1, method: 'PUT', target: '/users/1', httpVersion: '1.1',
    headers: [['host', '127.0.0.1:9'], ['content-length', '2'], ['connection', 'keep-alive']],
    body: Buffer.from('{}'), raw: Buffer.alloc(0), remoteAddress: '127.0.0.1', ...over,
  });
  const outcome = (result: RawResult, upstream: RecordedRequest[]): CaseOutcome => ({ bytes, result, upstream, upstreamErrors: [] });

  it('passes a faithful forward', () => {
    expect(checkCase(row, outcome(ok(200), [up()]), inv)).toEqual([]);
  });
  it('flags P1/P4 when a refused request reached the upstream', () => {
    const f = checkCase({ ...row, expect: { status: 400 } }, outcome(ok(400), [up()]), inv);
    expect(f.some((x) => x.startsWith('P1'))).toBe(true);
    expect(f.some((x) => x.startsWith('P4'))).toBe(true);
  });
  it('flags P2: a non-canonical target and the client Host', () => {
    const f = checkCase({ ...row, upstream: {} }, outcome(ok(200), [up({ target: '/public/../admin', headers: [['host', 'gw'], ['content-length', '2']] })]), inv);
    expect(f.filter((x) => x.startsWith('P2')).length).toBe(2);
  });
  it('flags P3: chunked framing, client hop-by-hop headers and a changed body', () => {
    const f = checkCase(row, outcome(ok(200), [up({
      headers: [['host', '127.0.0.1:9'], ['transfer-encoding', 'chunked'], ['connection', 'close, x-foo'], ['expect', '100-continue']],
      body: Buffer.from('{"a":1}'),
    })]), inv);
    expect(f.filter((x) => x.startsWith('P3')).length).toBeGreaterThanOrEqual(4);
  });
  it('accepts any one of several expectations, and reports a missing response', () => {
    const alt: AdversarialCase = { ...row, expect: [{ status: 400, closed: true }, { status: 501 }], upstream: {} };
    expect(checkCase(alt, outcome(ok(501), []), inv)).toEqual([]);
    const none: RawResult = { ...ok(200), responses: [] };
    expect(checkCase(alt, outcome(none, []), inv).join()).toMatch(/no response/);
  });
});

describe('recorder + sendRaw', () => {
  let rec: Recorder;
  beforeAll(async () => {
    rec = await startRecorder();
  });
  afterAll(async () => {
    await rec.close();
  });

  it('records method, target, raw header pairs, body and raw bytes', async () => {
    rec.reset();
    const req = 'PUT /users/1?x=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 2\r\n\r\n{}';
    const res = await sendRaw(rec.port, req, { timeoutMs: 300, settleMs: 50 });
    expect(res.responses.map((r) => r.status)).toEqual([200]);
    expect(res.responses[0]?.body.toString()).toBe('{"ok":true}');
    const [r] = rec.requests;
    expect(r?.method).toBe('PUT');
    expect(r?.target).toBe('/users/1?x=1');
    expect(r?.headers).toEqual([['Host', 'h'], ['X-A', '1'], ['X-A', '2'], ['Content-Length', '2']]);
    expect(r?.body.toString()).toBe('{}');
    expect(r?.raw.toString('latin1')).toBe(req);
  });

  it('refuses what the strict parser refuses, and says so', async () => {
    rec.reset();
    const res = await sendRaw(rec.port, 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', { timeoutMs: 300 });
    expect(res.closed).toBe(true);
    expect(res.responses[0]?.status).toBe(400);
    expect(rec.requests).toEqual([]);
    expect(rec.errors.map((e) => e.code)).toEqual(['HPE_INVALID_TRANSFER_ENCODING']);
  });
});

describe('checkCase client-side framing', () => {
  const row: AdversarialCase = { id: 'T2', title: 't', bytes: '', expect: { status: 400, closed: true } };
  const resp = (status: number, headers: [string, string][]) => ({ httpVersion: 'HTTP/1.1', status, reason: '', headers, body: Buffer.alloc(0), interim: false });
  const result = (responses: ReturnType<typeof resp>[]): RawResult => ({ responses, closed: true, reset: false, raw: Buffer.alloc(0), leftover: Buffer.alloc(0), elapsedMs: 1 });
  const o = (r: RawResult): CaseOutcome => ({ bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n'), result: r, upstream: [], upstreamErrors: [] });
  const pj: [string, string] = ['content-type', 'application/problem+json'];

  it('passes one 400c problem+json', () => {
    expect(checkCase(row, o(result([resp(400, [['connection', 'close'], pj])])), inv)).toEqual([]);
  });
  it('flags a second response after Connection: close', () => {
    const f = checkCase(row, o(result([resp(400, [['connection', 'close'], pj]), resp(400, [['connection', 'close'], pj])])), inv);
    expect(f.join()).toMatch(/after a "Connection: close"/);
  });
  it('flags a refusal that is not problem+json', () => {
    const f = checkCase(row, o(result([resp(400, [['connection', 'close'], ['content-type', 'text/html']])])), inv);
    expect(f.join()).toMatch(/problem\+json/);
  });
});
