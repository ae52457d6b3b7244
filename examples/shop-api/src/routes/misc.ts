/** Health check, and the deliberately undocumented debug endpoint (API9 shadow API). */
import { json, type Ctx, type Reply, type Route } from '../http.js';

function getHealth(): Reply {
  return json(200, { status: 'ok' });
}

/**
 * Left over from development and never documented: it hands out the JWT signing secret, so anyone can
 * mint an admin token. Only mounted in vulnerable mode. Deliberately fake values only, never process.env.
 */
function getDebugConfig(ctx: Ctx): Reply {
  return json(200, {
    service: 'shop-api', version: '0.9.1-dev', mode: 'vulnerable', node: process.version,
    database: 'sqlite::memory:', jwtAlgorithm: 'HS256', jwtSecret: ctx.app.jwtSecret,
    adminUsername: 'root', featureFlags: { legacyV1: true, debugErrors: true },
  });
}

export const miscRoutes: Route[] = [
  { method: 'GET', path: '/api/health', operationId: 'getHealth', handler: getHealth },
  { method: 'GET', path: '/api/v2/debug/config', operationId: 'getDebugConfig', handler: getDebugConfig, shadow: true },
];
