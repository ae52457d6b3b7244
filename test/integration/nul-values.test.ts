import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * An encoded NUL in a query or form value is always refused, but after the detectors have read the
 * value: a payload that hides behind it (`<scr%00ipt>`) is refused as the injection it is, as in a
 * JSON string; a NUL alone is refused by the protocol rule. Nothing with a NUL is ever forwarded.
 */
const spec = fileURLToPath(new URL('../fixtures/free-text-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let blocking: RunningGateway;
let monitoring: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream();
  const config = (extra: Record<string, unknown>) => ({ listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'api', url: upstream.url, spec }], ...extra });
  blocking = await startGateway({ config: config({}), logLevel: 'silent' });
  monitoring = await startGateway({ config: config({ controls: { injection: { mode: 'monitor' } } }), logLevel: 'silent' });
});
afterAll(async () => {
  await blocking?.close();
  await monitoring?.close();
  await upstream?.close();
});

async function send(g: RunningGateway, where: 'query' | 'form', encoded: string) {
  const before = upstream.received.length;
  const res = where === 'query'
    ? await fetch(`${g.url}/search?q=${encoded}`)
    : await fetch(`${g.url}/form`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `comment=${encoded}` });
  const text = await res.text();
  return { status: res.status, rule: res.status >= 400 ? (JSON.parse(text) as { rule?: string }).rule : undefined, forwarded: upstream.received.length - before };
}

const NUL_RULE = { query: 'protocol/query', form: 'protocol/body-malformed' } as const;

describe.each(['query', 'form'] as const)('encoded NUL in a %s value', (where) => {
  it('refuses a payload hidden behind the NUL as the injection it is', async () => {
    for (const encoded of ['%3Cscr%00ipt%3Ealert(1)%3C%2Fscr%00ipt%3E', '%3Cimg%20src%3Dx%20onerror%00%3Dalert(1)%3E', '%3Ca%20href%3D%22j%00avascript%3Aalert(1)%22%3Ex%3C%2Fa%3E']) {
      const r = await send(blocking, where, encoded);
      expect(r, encoded).toMatchObject({ status: 400, rule: 'injection/xss', forwarded: 0 });
    }
  });

  it('refuses a NUL in benign text with the protocol rule, nothing forwarded', async () => {
    for (const encoded of ['a%00b', '%00', 'I%20%3C3%20it%00', 'a%20%3C%20b%20and%20c%20%3E%20d%00']) {
      expect(await send(blocking, where, encoded), encoded).toMatchObject({ status: 400, rule: NUL_RULE[where], forwarded: 0 });
    }
  });

  it('still refuses when the injection control only monitors', async () => {
    expect(await send(monitoring, where, '%3Cscr%00ipt%3Ealert(1)%3C%2Fscr%00ipt%3E')).toMatchObject({ status: 400, rule: NUL_RULE[where], forwarded: 0 });
  });

  it('forwards the same text without the NUL', async () => {
    expect(await send(blocking, where, 'a%20%3C%20b%20and%20c%20%3E%20d')).toMatchObject({ status: 200, forwarded: 1 });
  });
});

it('refuses other malformed queries before anything else, as before', async () => {
  expect(await send(blocking, 'query', '%3Cscript%3E%zz')).toMatchObject({ status: 400, rule: 'protocol/query', forwarded: 0 });
  expect(await send(blocking, 'query', '%00;x')).toMatchObject({ status: 400, rule: 'protocol/query', forwarded: 0 });
});
