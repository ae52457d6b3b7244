/** Admin operations: API5 (BFLA) — vulnerable mode only checks that some valid token is present. */
import { requireAdmin } from '../auth.js';
import type { UserRow } from '../db.js';
import { HttpError, idParam, json, type Ctx, type Reply, type Route } from '../http.js';
import { userRaw, userView } from '../views.js';

async function adminListUsers(ctx: Ctx): Promise<Reply> {
  await requireAdmin(ctx);
  const rows = ctx.app.db.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[];
  return json(200, rows.map(ctx.app.secure ? userView : userRaw));
}

async function adminDeleteUser(ctx: Ctx): Promise<Reply> {
  const admin = await requireAdmin(ctx);
  const id = idParam(ctx, 'userId');
  if (ctx.app.secure && id === admin.id) throw new HttpError(409, 'admins cannot delete themselves');
  const { changes } = ctx.app.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  if (changes === 0) throw new HttpError(404, 'user not found');
  return { status: 204 };
}

export const adminRoutes: Route[] = [
  { method: 'GET', path: '/api/v2/admin/users', operationId: 'adminListUsers', handler: adminListUsers },
  { method: 'DELETE', path: '/api/v2/admin/users/{userId}', operationId: 'adminDeleteUser', handler: adminDeleteUser },
];
