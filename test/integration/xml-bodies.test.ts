import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** XML request bodies are inspected as text: the XXE detector reads the document, the other detectors its values. */
const spec = fileURLToPath(new URL('../fixtures/xml-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gateway: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream(() => ({ status: 201 }));
  gateway = await startGateway({
    config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'api', url: upstream.url, spec }] },
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function post(xml: string, contentType = 'application/xml') {
  const before = upstream.received.length;
  const res = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { 'content-type': contentType }, body: xml });
  const text = await res.text();
  return { status: res.status, rule: res.status >= 400 ? (JSON.parse(text) as { rule?: string }).rule : undefined, forwarded: upstream.received.slice(before) };
}

describe('XML request bodies', () => {
  it('forwards a plain document byte for byte', async () => {
    const xml = '<?xml version="1.0"?><order id="7"><item sku="KBD-1">Keyboard &amp; case</item><note>ship fast</note></order>';
    const r = await post(xml);
    expect(r.status).toBe(201);
    expect(r.forwarded[0]!.body.toString()).toBe(xml);
  });

  it('refuses external entities, parameter entities, entity expansion and XInclude, with nothing forwarded', async () => {
    for (const xml of [
      '<?xml version="1.0"?><!DOCTYPE o [<!ENTITY x SYSTEM "file:///etc/hostname">]><order>&x;</order>',
      `<?xml version="1.0"?><!-- ${'pad '.repeat(5000)} --><!DOCTYPE o [<!ENTITY % p SYSTEM "http://127.0.0.1:9/e.dtd"> %p;]><order/>`,
      '<!DOCTYPE o [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><order>&b;</order>',
      '<order xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="/etc/hosts"/></order>',
    ]) {
      const r = await post(xml);
      expect(r.status, xml.slice(0, 60)).toBe(400);
      expect(r.rule).toBe('injection/xxe');
      expect(r.forwarded).toHaveLength(0);
    }
  });

  it('shows element text and attribute values to the other detectors', async () => {
    expect((await post("<order><note>x' UNION SELECT password FROM users--</note></order>")).rule).toBe('injection/sqli');
    expect((await post('<order><note>&lt;script&gt;alert(1)&lt;/script&gt;</note></order>')).rule).toBe('injection/xss');
    expect((await post('<order ref="${jndi:ldap://127.0.0.1:1389/a}"/>')).rule).toBe('injection/jndi');
  });
});
