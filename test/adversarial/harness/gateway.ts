/**
 * Starts the real gateway in process in front of the recorder, with the short test timeouts of
 * catalogue §2F (headers 1 s, request 3 s, checking interval 200 ms).
 */
import { fileURLToPath } from 'node:url';
import { startGateway } from '../../../src/gateway/start.js';
import type { StartTarget } from './suite.js';
import { CLIENT_HOST } from './suite.js';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET } from './tokens.js';

export const SPEC_FILE = fileURLToPath(new URL('../fixtures/openapi.yaml', import.meta.url));

export function gatewayConfig(upstreamPort: number): Record<string, unknown> {
  return {
    listen: '127.0.0.1:0',
    admin: { listen: '127.0.0.1:0', token: 'adv-admin-token-000' },
    store: 'memory',
    mode: 'block',
    upstreams: [{ name: 'ref', url: `http://127.0.0.1:${upstreamPort}`, spec: SPEC_FILE, host: CLIENT_HOST }],
    controls: { 'shadow-endpoint': { mode: 'block' } },
    identity: { jwt: { issuers: [{ issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithms: ['HS256'], secret: JWT_SECRET, rolesClaim: 'role' }] } },
    limits: { headersTimeoutMs: 1000, requestTimeoutMs: 3000, connectionsCheckingIntervalMs: 200 },
  };
}

export const startTestGateway: StartTarget = async (upstreamPort) => {
  const gw = await startGateway({ config: gatewayConfig(upstreamPort), logLevel: 'silent' });
  return { port: gw.port, close: () => gw.close() };
};
