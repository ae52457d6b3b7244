/**
 * The deprecated v1 API (API9): still served, without authentication and with the old SQL-by-concatenation
 * lookup in vulnerable mode. Secure mode keeps it for old clients but with v2's rules, and says it is going away.
 */
import { requireOwner, requireUser } from '../auth.js';
import { findUser, type ProductRow, type UserRow } from '../db.js';
import { HttpError, idParam, json, type Ctx, type Reply, type Route } from '../http.js';
import { productView, userRaw, userView } from '../views.js';

const DEPRECATION = { deprecation: 'true', sunset: 'Thu, 31 Dec 2026 23:59:59 GMT', link: '</api/v2/users/{userId}>; rel="successor-version"' };

async function getUserV1(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  if (!app.secure) {
    // `/api/v1/users/0 UNION SELECT ...` reads any table: the id goes straight into the SQL.
    const row = app.db.prepare(`SELECT * FROM users WHERE id = ${ctx.params.userId ?? ''}`).get() as UserRow | undefined;
    if (row === undefined) throw new HttpError(404, 'user not found', DEPRECATION);
    return json(200, userRaw(row), DEPRECATION);
  }
  const user = await requireUser(ctx);
  const id = idParam(ctx, 'userId');
  requireOwner(ctx, user, id);
  const row = findUser(app.db, id);
  if (row === undefined) throw new HttpError(404, 'user not found', DEPRECATION);
  return json(200, userView(row), DEPRECATION);
}

function listProductsV1(ctx: Ctx): Reply {
  // Vulnerable: the whole table, unlisted products included, no pagination at all.
  const sql = ctx.app.secure
    ? 'SELECT * FROM products WHERE hidden = 0 ORDER BY id LIMIT 100'
    : 'SELECT * FROM products ORDER BY id';
  const rows = ctx.app.db.prepare(sql).all() as ProductRow[];
  return json(200, rows.map(productView), DEPRECATION);
}

export const v1Routes: Route[] = [
  { method: 'GET', path: '/api/v1/users/{userId}', operationId: 'getUserV1', handler: getUserV1 },
  { method: 'GET', path: '/api/v1/products', operationId: 'listProductsV1', handler: listProductsV1 },
];
