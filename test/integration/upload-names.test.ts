import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/** Upload file names are judged as file names (CRS 933110): a PHP script or session file is refused, the same text elsewhere is not. */
const spec = fileURLToPath(new URL('../fixtures/upload-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gw: RunningGateway;

beforeAll(async () => {
  upstream = await startEchoUpstream(() => ({ status: 201, body: '{}' }));
  gw = await startGateway({
    config: { listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory', upstreams: [{ name: 'files', url: upstream.url, spec }] },
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await gw?.close();
  await upstream?.close();
});

function upload(filename: string, title = 'report'): Promise<Response> {
  const form = new FormData();
  form.append('title', title);
  form.append('file', new Blob([Buffer.from('<?php system($_GET["c"]); ?>')], { type: 'application/octet-stream' }), filename);
  return fetch(`${gw.url}/attachments`, { method: 'POST', body: form });
}

describe('upload file names', () => {
  it('refuses a PHP script, a session file or a server configuration file as an upload name, in its spellings', async () => {
    for (const name of ['shell.php', 'avatar.png.php', 'x.PHTML', 'shell.php.', 'shell.phar', 'sess_0123456789abcdef0123', 'config_prod.yml', '.boto']) {
      const r = await upload(name);
      expect(r.status, name).toBe(400);
      const body = await r.json() as { rule: string };
      expect(body.rule, name).toBe('injection/code');
    }
    // The traversal detector knows some of these as sensitive files and speaks first; either way they are refused.
    for (const name of ['.htaccess', '.user.ini', 'web.config', '.env']) {
      const r = await upload(name);
      expect(r.status, name).toBe(400);
      expect(((await r.json()) as { rule: string }).rule, name).toMatch(/^injection\/(?:traversal|code)$/);
    }
  });

  it('lets ordinary file names through, and the same text as a plain field', async () => {
    const before = upstream.received.length;
    for (const name of ['report.pdf', 'photo.jpeg', 'php-notes.txt', 'archive.tar.gz']) expect((await upload(name)).status, name).toBe(201);
    expect((await upload('notes.txt', 'how to install index.php')).status).toBe(201);
    expect(upstream.received.length).toBe(before + 5);
  });

  it('judges an X-Filename header the same way', async () => {
    const r = await fetch(`${gw.url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-filename': 'cmd.php5' }, body: '{"text":"hi"}' });
    expect(r.status).toBe(400);
    expect((await fetch(`${gw.url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-filename': 'notes.txt' }, body: '{"text":"hi"}' })).status).toBe(201);
  });
});
