import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

const spec = fileURLToPath(new URL('../fixtures/mini-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gw: RunningGateway;
const config = (shadowMode: string): Record<string, unknown> => ({
  listen: '127.0.0.1:0', admin: { listen: '127.0.0.1:0' }, store: 'memory',
  upstreams: [{ url: upstream.url, spec }], controls: { 'shadow-endpoint': { mode: shadowMode } },
});

beforeAll(async () => {
  upstream = await startEchoUpstream();
  gw = await startGateway({ config: config('monitor'), logLevel: 'silent' });
});
afterAll(async () => { await gw?.close(); await upstream?.close(); });

it('swaps to a valid new configuration and keeps the old one when the new one is invalid', async () => {
  expect((await fetch(`${gw.url}/undeclared`)).status).toBe(200);
  await gw.reload(config('block'));
  expect((await fetch(`${gw.url}/undeclared`)).status).toBe(404);
  await expect(gw.reload({ ...config('monitor'), upstreams: [{ url: upstream.url, spec: '/nonexistent/openapi.yaml' }] })).rejects.toMatchObject({ code: 'PC_ERR_SPEC_READ' });
  await expect(gw.reload({ ...config('sometimes') })).rejects.toMatchObject({ code: 'PC_ERR_CONFIG_INVALID' });
  expect((await fetch(`${gw.url}/undeclared`)).status).toBe(404);
  expect((await fetch(`${gw.url}/public`)).status).toBe(200);
});

it('loses no request while configurations are swapped (and refused) under load', async () => {
  const statuses = new Map<number, number>();
  let errors = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (!stop) {
      try {
        const res = await fetch(`${gw.url}/public`);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      } catch {
        errors++;
      }
    }
  };
  const workers = Array.from({ length: 8 }, () => worker());
  for (let i = 0; i < 12; i++) {
    await new Promise((r) => setTimeout(r, 25));
    if (i % 3 === 2) await expect(gw.reload(config('sometimes'))).rejects.toMatchObject({ code: 'PC_ERR_CONFIG_INVALID' });
    else await gw.reload(config(i % 2 ? 'block' : 'monitor'));
  }
  stop = true;
  await Promise.all(workers);
  expect(errors).toBe(0);
  expect([...statuses.keys()]).toEqual([200]);
  expect(statuses.get(200)!).toBeGreaterThan(50);
});
