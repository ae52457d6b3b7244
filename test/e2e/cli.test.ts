import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

const bin = fileURLToPath(new URL('../../bin/portcullis.js', import.meta.url));
const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('portcullis CLI (built binary)', () => {
  let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
  beforeAll(async () => { upstream = await startEchoUpstream(); });
  afterAll(async () => { await upstream.close(); });

  it('exits 2 with a hint for usage errors', async () => {
    const r = await run(['protect', '--to', 'http://127.0.0.1:3000']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PC_ERR_CLI_USAGE');
    expect(r.stderr).toContain('hint:');
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['protect', '--bogus'])).code).toBe(2);
  });

  it('refuses Swagger 2.0 with a clear error and exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-e2e-'));
    const swagger = join(dir, 'swagger.yaml');
    writeFileSync(swagger, 'swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths: {}\n');
    const r = await run(['protect', '--to', upstream.url, '--spec', swagger, '--store', 'memory', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr.trim()).error.code).toBe('PC_ERR_SPEC_VERSION');
  });

  it('validate reports every config problem with positions (exit 2) and passes a good file (exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-e2e-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'mode: loud\nupstreams:\n  - url: http://127.0.0.1:1\n    spec: nope.yaml\n    extra: 1\n');
    const r = await run(['validate', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:1:\d+ mode/);
    expect(r.stderr).toMatch(/bad\.yaml:5:5 upstreams\[0\]\.extra/);
    const good = join(dir, 'good.yaml');
    writeFileSync(good, `upstreams:\n  - url: http://127.0.0.1:1\n    spec: ${spec}\n`);
    const ok = await run(['validate', '--config', good, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).operations).toBeGreaterThan(3);
  });

  it('protect serves on port 0, enforces the contract, and exits 0 on SIGTERM', async () => {
    const p = spawn(process.execPath, [bin, 'protect', '--to', upstream.url, '--spec', spec, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--store', 'memory', '--json'], { env: { ...process.env, PORTCULLIS_LOG_LEVEL: 'silent' } });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      p.stdout.on('data', (d) => { buf += d; if (buf.includes('\n')) resolve(buf.split('\n')[0]!); });
      p.on('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    const started = JSON.parse(line) as { listening: string; admin: string; adminToken: string };
    expect((await fetch(`${started.listening}/public?limit=3`)).status).toBe(200);
    const bad = await fetch(`${started.listening}/public?limit=1000`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const events = await fetch(`${started.admin}/api/events`, { headers: { authorization: `Bearer ${started.adminToken}` } });
    expect(((await events.json()) as { events: unknown[] }).events.length).toBe(1);
    expect((await fetch(`${started.admin}/api/events`)).status).toBe(401);
    const metrics = await (await fetch(`${started.admin}/metrics`)).text();
    expect(metrics).toContain('portcullis_requests_total{operation="GET /public",status="2xx"} 1');
    const code = await new Promise<number | null>((resolve) => { p.on('exit', resolve); p.kill('SIGTERM'); });
    expect(code).toBe(0);
  });

  it('demo --once replays the script with every request going as expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-demo-'));
    const r = await run(['demo', '--once', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--upstream-port', '0', '--store', `sqlite:${join(dir, 'db.sqlite')}`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/(\d+)\/\1 requests went as expected/);
    expect(r.stdout).toContain('[contract/shadow-endpoint]');
  }, 30_000);
});
