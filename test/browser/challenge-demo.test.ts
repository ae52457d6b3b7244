import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromFlags } from '../../src/cli/protect.js';
import { startGateway, type RunningGateway } from '../../src/gateway/start.js';
import { startEchoUpstream } from '../helpers/echo-upstream.js';

/**
 * The browser demo in Debian's Chromium: the ALTCHA widget (served by the gateway) solves a
 * challenge and the page's request, which the gateway refuses without one, goes through with it.
 * .ci/run installs chromium; elsewhere set CHROMIUM_PATH or the suite is skipped.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const spec = fileURLToPath(new URL('../fixtures/flows-api.yaml', import.meta.url));
let upstream: Awaited<ReturnType<typeof startEchoUpstream>>;
let gateway: RunningGateway;
let browser: Browser;

describe.skipIf(!existsSync(CHROMIUM))('proof-of-work demo page in Chromium', () => {
  beforeAll(async () => {
    upstream = await startEchoUpstream(() => ({ status: 200, body: '{"id":1}' }));
    const config = configFromFlags({ to: upstream.url, spec, listen: '127.0.0.1:0', admin: '127.0.0.1:0', store: 'memory' });
    config.challenge.demoPage = true;
    config.controls.risk = { mode: 'block', challengeAt: 5, blockAt: 1000 };
    gateway = await startGateway({ config, logLevel: 'silent' });
    // Loopback (this test and the browser) is a risky caller now: its requests need proof of work.
    gateway.abuse.risk.observe(['ip:127.0.0.1'], 'test/suspicious', 'high');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await upstream?.close();
  });

  it('the widget solves a challenge and the refused request then passes', async () => {
    expect((await fetch(`${gateway.url}/items/1`)).status).toBe(428);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The browser's own favicon probe meets the risk control like any request (428): not the page's doing.
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });
    page.on('requestfailed', (r) => errors.push(`failed ${r.url()}`));
    // CSP violations and script errors are reported on the console; refused loads are judged above.
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    await page.goto(`${gateway.url}/.well-known/portcullis/challenge/demo?method=GET&path=/items/1`);
    const send = page.getByRole('button', { name: 'Send demo request' });
    expect(await send.isDisabled()).toBe(true);
    // As a keyboard user would: the widget's checkbox is focusable and toggles with Space.
    await page.getByRole('checkbox').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => send.isEnabled(), { timeout: 15_000 }).toBe(true);
    const before = upstream.received.length;
    await send.click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 10_000 }).toContain('answered 200');
    expect(upstream.received.length).toBe(before + 1);
    expect(upstream.received.at(-1)!.headers['x-portcullis-challenge']).toBeUndefined();
    // No script error, no refused or failed load (the CSP allows what the widget needs, and only that).
    expect(errors).toEqual([]);
    await page.close();
  }, 40_000);
});
