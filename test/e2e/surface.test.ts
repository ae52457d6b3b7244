import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShopApi, type ShopApi } from '../../examples/shop-api/src/server.js';

const bin = fileURLToPath(new URL('../../bin/portcullis.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Report { target: string; summary: { requests: number; durationMs: number; bySeverity: Record<string, number> }; findings: Array<{ id: string; url: string; severity: string; owasp: string; evidence: string; remediation: string }> }

describe('portcullis surface (built binary)', () => {
  const secret = `e2e-surface-${randomBytes(16).toString('hex')}`;
  let shop: ShopApi;
  let bare: Server;
  let bareUrl: string;
  beforeAll(async () => {
    shop = await startShopApi({ jwtSecret: secret });
    bare = createServer((_req, res) => { res.writeHead(404); res.end(); });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await shop?.close();
    await new Promise((resolve) => { bare.closeAllConnections(); bare.close(resolve); });
  });

  it('--json reports the exposed docs and the debug endpoint of the example API, without its secret', async () => {
    const r = await run(['surface', shop.url, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.target).toBe(`${shop.url}/`);
    expect(report.summary.requests).toBeGreaterThan(50);
    expect(typeof report.summary.durationMs).toBe('number');
    expect(Object.keys(report.summary.bySeverity).sort()).toEqual(['critical', 'high', 'info', 'low', 'medium']);
    const where = report.findings.map((f) => `${f.id} ${new URL(f.url).pathname}`);
    expect(where).toEqual(expect.arrayContaining(['surface:exposed-openapi /openapi.json', 'surface:debug-endpoint /api/v2/debug/config']));
    for (const f of report.findings) {
      expect(f.owasp).toMatch(/^API(8|9):2023$/);
      expect(f.remediation.length).toBeGreaterThan(20);
    }
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('prints a table, writes Markdown, and exits 1 only at or above --fail-on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pc-surface-')), 'surface.md');
    const high = await run(['surface', shop.url, '--fail-on', 'high', '--markdown-output', file]);
    expect(high.code).toBe(1);
    expect(high.stdout).toMatch(/^high\s+surface:debug-endpoint\s+GET \/api\/v2\/debug\/config \(200\)\s+Debug endpoint leaks secrets$/m);
    expect(high.stderr).toMatch(/finding\(s\) at or above high/);
    const md = readFileSync(file, 'utf8');
    expect(md).toContain('# Surface report');
    expect(md).toContain('`surface:exposed-openapi`');
    expect(md).not.toContain(secret);
    expect((await run(['surface', shop.url, '--fail-on', 'critical'])).code).toBe(0);
  });

  it('finds nothing on a bare upstream, whatever --fail-on says', async () => {
    const r = await run(['surface', bareUrl, '--fail-on', 'info', '--max-requests', '150', '--concurrency', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no findings');
  });

  it('exits 2 on usage errors and 3 when the target does not answer', async () => {
    for (const args of [['surface'], ['surface', 'not a url'], ['surface', 'ftp://127.0.0.1/'], ['surface', 'http://u:p@127.0.0.1/'], ['surface', shop.url, '--fail-on', 'severe'], ['surface', shop.url, '--max-requests', '0'], ['surface', shop.url, '--bogus']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/PC_ERR_(CLI_USAGE|SURFACE_TARGET)/);
    }
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await run(['surface', `http://127.0.0.1:${port}/`, '--json', '--timeout', '1000']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr.trim()).error.code).toBe('PC_ERR_SURFACE_UNREACHABLE');
  });

  it('is listed in the help, and has its own', async () => {
    expect((await run(['--help'])).stdout).toMatch(/^ {2}surface {4}/m);
    const help = await run(['surface', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--fail-on SEVERITY');
  });
});
