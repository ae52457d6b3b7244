/** Health check, the deliberately undocumented debug endpoint (API9 shadow API) and the published contract. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { json, type Ctx, type Reply, type Route } from '../http.js';
import { shopApiSpecPath } from '../spec-path.js';

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

let document: unknown;

/**
 * The whole contract, admin and deprecated operations included, served to anyone at a path every
 * scanner tries first (API9: the attacker's map of the API). Only mounted in vulnerable mode.
 */
function getOpenApiDocument(): Reply {
  document ??= parse(readFileSync(shopApiSpecPath(), 'utf8')) as unknown;
  return json(200, document);
}

export const miscRoutes: Route[] = [
  { method: 'GET', path: '/api/health', operationId: 'getHealth', handler: getHealth },
  { method: 'GET', path: '/api/v2/debug/config', operationId: 'getDebugConfig', handler: getDebugConfig, shadow: true },
  { method: 'GET', path: '/openapi.json', operationId: 'getOpenApiDocument', handler: getOpenApiDocument, shadow: true },
];
