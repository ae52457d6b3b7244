import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCombinedLog, parseClfTime } from './combined-log.js';
import { parseHar } from './har.js';
import { readJsonLines } from './json-lines.js';
import { readLines } from './lines.js';
import { parseQuery, splitTarget } from './query.js';
import { REDACTED, type TrafficRecord } from './record.js';
import { authScheme, isCredentialName, reduceHeaders } from './redact.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

async function collect(src: AsyncIterable<TrafficRecord>): Promise<TrafficRecord[]> {
  const out: TrafficRecord[] = [];
  for await (const r of src) out.push(r);
  return out;
}

/** Every credential the fixtures hold: none may appear in any record. */
const SECRETS = ['SECRET', 'eyJ', 'dXNlcjpodW50ZXIy', 'hunter2', 'alice', 'KEY_SECRET_123', 'tok_QUERY'];

function expectNoSecrets(records: unknown): void {
  const text = JSON.stringify(records);
  for (const s of SECRETS) expect(text, s).not.toContain(s);
}

describe('HAR', () => {
  const har = parseHar(readFileSync(fixture('sample.har'), 'utf8'));

  it('reads the entries that have a response', () => {
    expect(har.error).toBeUndefined();
    expect(har.stats).toEqual({
      entries: 7, records: 5, skipped: { status: 1, request: 1 },
      bodies: { json: 3, notJson: 2, tooLarge: 0, invalid: 1 },
    });
    expect(har.records.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /orders/8812 200', 'POST /orders 201', 'GET / 200', 'GET /avatars/7.png 200', 'GET /broken 200',
    ]);
  });

  it('the first entry whole', () => {
    expect(har.records[0]).toEqual({
      method: 'GET', path: '/orders/8812', status: 200, time: Date.parse('2024-05-01T10:00:00Z'), durationMs: 42.5,
      query: { expand: ['items', 'customer'], access_token: REDACTED },
      requestHeaders: { authorization: 'bearer', accept: 'application/json', 'x-tenant': 'acme' },
      principal: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      responseBody: { id: 8812, status: 'paid', total: 19.9, customer: { email: 'ann@example.com' } },
    });
  });

  it('JSON bodies: request, base64 +json response; credential members redacted', () => {
    expect(har.records[1]!.requestBody).toEqual({ sku: 'A-1', qty: 2, password: REDACTED });
    expect(har.records[1]!.responseBody).toEqual({ id: 8813 });
  });

  it('HTML, binary and invalid JSON bodies are not kept', () => {
    for (const r of har.records.slice(2)) {
      expect(r).not.toHaveProperty('responseBody');
      expect(r).not.toHaveProperty('requestBody');
    }
  });

  it('credential headers are reduced to their scheme', () => {
    expect(har.records.map((r) => r.requestHeaders['authorization'] ?? r.requestHeaders['cookie'] ?? r.requestHeaders['x-api-key'])).toEqual(['bearer', 'basic', 'cookie', 'apikey', 'apikey']);
  });

  it('no credential survives anywhere in the records', () => expectNoSecrets(har.records));

  it('bodies over maxBodyBytes are not parsed', () => {
    const small = parseHar(readFileSync(fixture('sample.har'), 'utf8'), { maxBodyBytes: 10 });
    expect(small.stats.bodies.tooLarge).toBe(3);
    expect(small.records.every((r) => r.responseBody === undefined && r.requestBody === undefined)).toBe(true);
  });

  it('maxEntries', () => {
    const r = parseHar(readFileSync(fixture('sample.har'), 'utf8'), { maxEntries: 2 });
    expect(r.records).toHaveLength(2);
    expect(r.stats.skipped['over-limit']).toBe(5);
  });

  it('not a HAR: an error value, never a throw', () => {
    expect(parseHar('{').error).toBe('json');
    expect(parseHar('{"log": {}}').error).toBe('not-har');
    expect(parseHar(null).error).toBe('not-har');
    expect(parseHar('x'.repeat(100), { maxHarBytes: 10 }).error).toBe('too-large');
  });
});

describe('combined access log', () => {
  it('reads good lines and counts the bad ones', async () => {
    const src = readCombinedLog(createReadStream(fixture('combined.log')));
    const records = await collect(src);
    expect(records.map((r) => `${r.clientIp ?? '-'} ${r.method} ${r.path} ${r.status}`)).toEqual([
      '203.0.113.9 GET /orders/8812 200',
      '2001:db8::17 POST /orders 201',
      '198.51.100.4 GET /search 200',
      '::ffff:192.0.2.1 DELETE /orders/8812 204',
      '- GET /health 200',
    ]);
    expect(src.stats).toEqual({ lines: 11, records: 5, blank: 1, bad: 5, reasons: { time: 2, request: 2, status: 1 }, badLines: [4, 5, 6, 7, 11] });
  });

  it('fields: time with its offset, query decoded, quoted fields with escapes, referrer without its query', async () => {
    const [a, b, c] = await collect(readCombinedLog(createReadStream(fixture('combined.log'))));
    expect(a).toEqual({
      method: 'GET', path: '/orders/8812', query: { expand: 'items' }, status: 200, time: Date.parse('2024-05-01T10:00:00Z'),
      requestHeaders: { referer: 'https://shop.example.com/cart', 'user-agent': 'curl/8.5.0' }, clientIp: '203.0.113.9', authUnknown: true,
    });
    // The user field: Basic credentials came (their user name only hashed, as the principal).
    expect(b).toMatchObject({ requestHeaders: { authorization: 'basic' }, principal: expect.any(String) });
    expect(b).not.toHaveProperty('authUnknown');
    expect(b!.requestHeaders['user-agent']).toBe('Mozilla/5.0 (X11; Linux x86_64) "quoted" agent');
    expect(c!.query).toEqual({ q: 'café crème', api_key: REDACTED });
    expect(c!.requestHeaders['user-agent']).toBe('nginx"agent');
  });

  it('no credential or user name survives', async () => {
    expectNoSecrets(await collect(readCombinedLog(createReadStream(fixture('combined.log')))));
  });

  it('a trailing duration in the configured unit', async () => {
    const line = '10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 1 "-" "ua" 0.250\n';
    const [s] = await collect(readCombinedLog([line], { trailingDuration: 'seconds' }));
    const [us] = await collect(readCombinedLog([line.replace('0.250', '1500')], { trailingDuration: 'microseconds' }));
    const [none] = await collect(readCombinedLog([line]));
    expect([s!.durationMs, us!.durationMs, none!.durationMs]).toEqual([250, 1.5, undefined]);
  });

  it('parseClfTime', () => {
    expect(parseClfTime('10/Oct/2000:13:55:36 -0700')).toBe(Date.parse('2000-10-10T20:55:36Z'));
    expect(parseClfTime('10/Foo/2000:13:55:36 -0700')).toBeUndefined();
    expect(parseClfTime('10/Oct/2000 13:55:36')).toBeUndefined();
  });

  it('streams: a 100k-line log is read as it is produced, not held whole', async () => {
    const LINES = 100_000;
    let produced = 0;
    let maxAhead = 0;
    let read = 0;
    async function* produce() {
      for (let i = 0; i < LINES; i += 100) {
        let chunk = '';
        for (let j = i; j < i + 100; j++) chunk += `10.0.0.${j % 250} - - [01/May/2024:10:00:00 +0000] "GET /orders/${j} HTTP/1.1" 200 1 "-" "ua"\n`;
        produced += 100;
        maxAhead = Math.max(maxAhead, produced - read);
        yield chunk;
      }
    }
    const src = readCombinedLog(produce());
    for await (const r of src) {
      read++;
      if (read === 1) expect(r.path).toBe('/orders/0');
    }
    expect(src.stats.records).toBe(LINES);
    // The producer is never more than one chunk ahead of the reader.
    expect(maxAhead).toBeLessThanOrEqual(200);
  }, 60_000);
});

describe('JSON-lines log with custom field names', () => {
  const fields = { method: 'req.verb', path: 'req.target', status: 'res.code', time: 'ts', duration: 'took', clientIp: 'peer', headers: 'req.headers' };

  it('reads records and counts bad lines', async () => {
    const src = readJsonLines(createReadStream(fixture('custom.jsonl')), { fields, durationUnit: 'seconds' });
    const records = await collect(src);
    expect(records).toEqual([
      { method: 'GET', path: '/orders/8812', query: { expand: 'items' }, status: 200, time: 1714557600250, durationMs: 12, requestHeaders: { authorization: 'bearer', 'x-tenant': 'acme' }, clientIp: '10.0.0.5', principal: expect.any(String) },
      { method: 'POST', path: '/orders', query: {}, status: 201, time: Date.parse('2024-05-01T10:00:01Z'), durationMs: 500, requestHeaders: {}, clientIp: 'fe80::1', authUnknown: true },
      { method: 'GET', path: '/health', query: {}, status: 200, time: 1714557602000, requestHeaders: {}, authUnknown: true },
    ]);
    expect(src.stats).toMatchObject({ lines: 7, records: 3, bad: 4, reasons: { path: 1, json: 1, 'not-an-object': 1, status: 1 }, badLines: [2, 3, 4, 7] });
    expectNoSecrets(records);
  });

  it('the default field names read pino-http-like lines', async () => {
    const line = JSON.stringify({ time: 1714557600000, req: { method: 'GET', url: '/a?b=1', headers: { 'x-api-key': 'KEY_SECRET_123' } }, res: { statusCode: 200 }, responseTime: 3 });
    const [r] = await collect(readJsonLines([line]));
    expect(r).toEqual({ method: 'GET', path: '/a', query: { b: '1' }, status: 200, time: 1714557600000, durationMs: 3, requestHeaders: { 'x-api-key': 'apikey' }, principal: expect.any(String) });
  });
});

describe('lines', () => {
  async function lines(chunks: Array<string | Uint8Array>, max: number) {
    const out: unknown[] = [];
    for await (const l of readLines(chunks, max)) out.push(l);
    return out;
  }

  it('splits across chunks, strips CR, keeps a last line without newline', async () => {
    expect(await lines(['ab', 'c\r\nd', 'e\n', 'f'], 10)).toEqual([{ number: 1, text: 'abc' }, { number: 2, text: 'de' }, { number: 3, text: 'f' }]);
  });

  it('multi-byte characters split across chunks', async () => {
    const b = Buffer.from('é\n');
    expect(await lines([b.subarray(0, 1), b.subarray(1)], 10)).toEqual([{ number: 1, text: 'é' }]);
  });

  it('over-long lines are dropped as they stream, in one chunk or many', async () => {
    expect(await lines(['a'.repeat(20) + '\nok\n'], 10)).toEqual([{ number: 1, tooLong: true }, { number: 2, text: 'ok' }]);
    expect(await lines(['aaaaaa', 'aaaaaa', 'aaaaaa', '\nok'], 10)).toEqual([{ number: 1, tooLong: true }, { number: 2, text: 'ok' }]);
    expect(await lines(['aaaaaa', 'aaaaaa'], 10)).toEqual([{ number: 1, tooLong: true }]);
  });

  it('a 4 MB line without newline is counted, and the next line still read', async () => {
    const chunks = [...Array.from({ length: 64 }, () => 'x'.repeat(65_536)), '\n10.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET /a HTTP/1.1" 200 1\n'];
    const src = readCombinedLog(chunks);
    expect((await collect(src)).map((r) => r.path)).toEqual(['/a']);
    expect(src.stats.reasons).toEqual({ 'too-long': 1 });
  });
});

describe('redaction', () => {
  it('credential names', () => {
    for (const n of ['authorization', 'x-api-key', 'api_key', 'apiKey', 'access_token', 'clientSecret', 'cookie', 'x-session-id', 'password', 'X-CSRF-Token', 'sig']) expect(isCredentialName(n), n).toBe(true);
    for (const n of ['monkey', 'keep-alive', 'accept', 'x-request-id', 'page', 'expand', 'user-agent']) expect(isCredentialName(n), n).toBe(false);
  });

  it('auth schemes', () => {
    expect(authScheme('authorization', 'Bearer abc')).toBe('bearer');
    expect(authScheme('authorization', 'bearer abc')).toBe('bearer');
    expect(authScheme('authorization', 'Basic abc')).toBe('basic');
    expect(authScheme('authorization', 'Digest username="x"')).toBe('apikey');
    expect(authScheme('cookie', 'a=b')).toBe('cookie');
    expect(authScheme('x-api-key', 'abc')).toBe('apikey');
    expect(authScheme('authorization', '  ')).toBe('none');
  });

  it('headers: lower-cased, repeated joined, bounded', () => {
    expect(reduceHeaders([['Accept', 'a'], ['ACCEPT', 'b'], ['X-Long', 'y'.repeat(50)], [':path', '/x']], 10, 8)).toEqual({ accept: 'a, b', 'x-long': 'yyyyyyyy' });
    expect(Object.keys(reduceHeaders([['a', '1'], ['b', '2'], ['c', '3']], 2, 8))).toEqual(['a', 'b']);
  });

  it('query parsing', () => {
    expect(parseQuery('a=1&a=2&b=x+y&c&=z&d=%E0%A4', 10, 100)).toEqual({ a: ['1', '2'], b: 'x y', c: '', d: '%E0%A4' });
    expect(parseQuery('token=abc&Key=def', 10, 100)).toEqual({ token: REDACTED, Key: REDACTED });
    expect(Object.keys(parseQuery('a=1&b=2&c=3', 2, 100))).toEqual(['a', 'b']);
    expect(parseQuery('__proto__=x', 10, 100)).toEqual(JSON.parse('{"__proto__":"x"}'));
  });

  it('request targets', () => {
    expect(splitTarget('/a/b?x=1#frag')).toEqual({ path: '/a/b', search: 'x=1' });
    expect(splitTarget('https://h.example:8443?x=1')).toEqual({ path: '/', search: 'x=1' });
    expect(splitTarget('*')).toBeUndefined();
    expect(splitTarget('api.example.com:443')).toBeUndefined();
  });
});

describe('records into schema inference', () => {
  it('a HAR read into endpoint schemas shows no credential and no personal value', async () => {
    const { EndpointSchemaBuilder } = await import('../schema/index.js');
    const har = parseHar(readFileSync(fixture('sample.har'), 'utf8'));
    const b = new EndpointSchemaBuilder();
    for (const r of har.records) b.add({ query: r.query, headers: r.requestHeaders, requestBody: r.requestBody, status: r.status, responseBody: r.responseBody });
    const s = b.toSchemas();
    expect(s.responses['200']!.body!.schema).toMatchObject({ properties: { customer: { properties: { email: { format: 'email' } } } } });
    const text = JSON.stringify(s);
    for (const v of [...SECRETS, 'ann@', REDACTED]) expect(text, v).not.toContain(v);
    expect(s.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['query:access_token', 'query:expand', 'header:x-tenant']);
  });
});
