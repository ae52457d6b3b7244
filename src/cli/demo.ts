import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { demoRequests, login, type DemoRequest } from '../../examples/shop-api/attacks.js';
import { SEED_USERS } from '../../examples/shop-api/src/db.js';
import { shopApiSpecPath, startShopApi } from '../../examples/shop-api/src/server.js';
import { EXIT } from '../errors.js';
import { startGateway } from '../gateway/start.js';
import { announce } from './protect.js';
import { bold, reportError } from './output.js';

export const DEMO_HELP = `portcullis demo — the example shop API behind the gateway, with attack traffic replayed

Usage:
  portcullis demo [--listen 127.0.0.1:8000] [--admin 127.0.0.1:8001] [--upstream-port 3000] [--store URL] [--once]

  --once   replay the script, print the results and exit (exit 1 if a request did not go as expected)`;

/**
 * Ownership in the example API: a user's profile is theirs (`/users/{userId}` ⇒ `userId == sub`),
 * an order belongs to its `userId`; admins are exempt.
 */
export const SHOP_OWNERSHIP_RULES = [
  { operation: ['getUser', 'updateUser', 'getUserV1'], value: 'path.userId', equals: 'sub', unlessRoles: ['admin'] },
  { operation: 'getOrder', response: '/userId', equals: 'sub', unlessRoles: ['admin'] },
  { operation: 'listOrders', response: '/*/userId', equals: 'sub', unlessRoles: ['admin'] },
];

/**
 * The object ledger on the example's orders: ids come from the caller's order list and from
 * the order it just placed; asking for any other order id is enumeration (reported, in the demo).
 */
export const SHOP_LEDGER = {
  unlessRoles: ['admin'],
  resources: [{
    name: 'order',
    learn: [{ operation: 'listOrders', response: '/*/id' }, { operation: 'createOrder', response: '/id' }],
    check: [{ operation: 'getOrder', value: 'path.orderId' }],
  }],
};

/** Gateway settings for the demo: the example's spec enforced, undeclared endpoints blocked, ownership checked. */
export function demoConfig(upstreamUrl: string, jwtSecret: string, listen: string, admin: string, store: string): Record<string, unknown> {
  return {
    listen, admin: { listen: admin }, store,
    upstreams: [{ name: 'shop', url: upstreamUrl, spec: shopApiSpecPath() }],
    controls: {
      'shadow-endpoint': { mode: 'block' }, 'zombie-endpoint': { mode: 'block' },
      'object-authorization': { rules: SHOP_OWNERSHIP_RULES },
      'object-ledger': { mode: 'monitor', ...SHOP_LEDGER },
    },
    challenge: { demoPage: true },
    identity: { jwt: { issuers: [{ issuer: 'shop-api', audience: 'shop-api', algorithms: ['HS256'], secret: jwtSecret, rolesClaim: 'role' }] } },
  };
}

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      listen: { type: 'string', default: '127.0.0.1:8000' }, admin: { type: 'string', default: '127.0.0.1:8001' },
      'upstream-port': { type: 'string', default: '3000' }, store: { type: 'string', default: 'sqlite:.portcullis/portcullis.db' },
      once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { process.stdout.write(`${DEMO_HELP}\n`); return EXIT.ok; }
  const jwtSecret = randomBytes(32).toString('base64url');
  try {
    const shop = await startShopApi({ port: Number(values['upstream-port']), jwtSecret });
    const gw = await startGateway({ config: demoConfig(shop.url, jwtSecret, values.listen, values.admin, values.store), logLevel: process.env.PORTCULLIS_LOG_LEVEL ?? 'warn' });
    process.stdout.write(`example shop API (deliberately vulnerable): ${shop.url}\n`);
    announce(gw, false);
    const mismatches = await replay(gw.url) + await replayGuessing(gw.url);
    process.stdout.write(`\nevents: curl -s -H 'Authorization: Bearer ${gw.adminTokenGenerated ? gw.adminToken : '$PORTCULLIS_ADMIN_TOKEN'}' ${gw.adminUrl}/api/events\n`);
    process.stdout.write(`metrics: ${gw.adminUrl}/metrics\n`);
    process.stdout.write(`proof-of-work demo (browser): ${gw.url}/.well-known/portcullis/challenge/demo?method=GET&path=/api/v2/products\n`);
    if (values.once) {
      await gw.close();
      await shop.close();
      return mismatches === 0 ? EXIT.ok : EXIT.findings;
    }
    process.stdout.write(`\ntry it: curl -i ${gw.url}/api/v2/products   (Ctrl-C to stop)\n`);
    return await new Promise((resolve) => {
      const stop = (): void => { void gw.close().then(() => shop.close()).then(() => resolve(EXIT.ok)); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } catch (err) {
    return reportError(err, false);
  }
}

/** Send the demo script through the gateway and print what happened to each request. */
async function replay(gatewayUrl: string): Promise<number> {
  const tokens: Partial<Record<'user' | 'admin', string>> = {};
  const user = SEED_USERS.find((u) => u.role === 'user');
  const admin = SEED_USERS.find((u) => u.role === 'admin');
  if (user) tokens.user = await login(gatewayUrl, user.username, user.password).catch(() => undefined);
  if (admin) tokens.admin = await login(gatewayUrl, admin.username, admin.password).catch(() => undefined);
  process.stdout.write(`\n${bold('replaying the demo script through the gateway')}\n`);
  let mismatches = 0;
  for (const r of demoRequests) {
    const { status, rule } = await send(gatewayUrl, r, tokens);
    const outcome = rule ? 'blocked' : 'allowed';
    const as = outcome === r.expect;
    if (!as) mismatches++;
    process.stdout.write(`  ${as ? 'ok' : 'UNEXPECTED'} ${String(status).padEnd(4)} ${outcome.padEnd(8)} ${r.owasp.padEnd(10)} ${r.method} ${r.path.slice(0, 60)} — ${r.name}${rule ? ` [${rule}]` : ''}\n`);
  }
  process.stdout.write(`${demoRequests.length - mismatches}/${demoRequests.length} requests went as expected\n`);
  return mismatches;
}

/**
 * Password guessing against bob (V7): the upstream answers each wrong password itself (401),
 * the flows control counts the failures and locks the account after the fifth.
 */
async function replayGuessing(gatewayUrl: string): Promise<number> {
  const guess: DemoRequest = { name: 'password guessing', owasp: 'API2:2023', method: 'POST', path: '/api/v2/auth/login', headers: { 'content-type': 'application/json' }, body: '', expect: 'blocked' };
  const seen: string[] = [];
  let last: { status: number; rule: string | undefined } = { status: 0, rule: undefined };
  for (let i = 1; i <= 6; i++) {
    last = await send(gatewayUrl, { ...guess, body: JSON.stringify({ username: 'bob', password: `guess-${i}` }) }, {});
    seen.push(String(last.status));
  }
  const as = last.rule === 'abuse/flow-lockout';
  process.stdout.write(`  ${as ? 'ok' : 'UNEXPECTED'} ${seen.join(' ')}  ${guess.owasp.padEnd(10)} ${guess.method} ${guess.path} — six wrong passwords for bob: the sixth is refused${last.rule ? ` [${last.rule}]` : ''}\n`);
  return as ? 0 : 1;
}

/** `rule` is set when the gateway (not the upstream) refused the request. */
async function send(base: string, r: DemoRequest, tokens: Partial<Record<'user' | 'admin', string>>): Promise<{ status: number; rule: string | undefined }> {
  const headers: Record<string, string> = { ...r.headers };
  const token = r.needs ? tokens[r.needs] : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${r.path}`, { method: r.method, headers, body: r.body });
  const text = await res.text();
  let rule: string | undefined;
  if (res.headers.get('content-type')?.startsWith('application/problem+json')) {
    try { rule = (JSON.parse(text) as { rule?: string }).rule; } catch { rule = undefined; }
  }
  return { status: res.status, rule };
}
