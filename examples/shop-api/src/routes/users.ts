/** User profiles: API1 (BOLA), API3 (mass assignment, excessive data exposure). */
import { requireOwner, requireUser } from '../auth.js';
import { findUser } from '../db.js';
import { HttpError, idParam, json, readJson, type Ctx, type Reply, type Route } from '../http.js';
import { EMAIL, checkObject } from '../validate.js';
import { userRaw, userView } from '../views.js';

async function getCurrentUser(ctx: Ctx): Promise<Reply> {
  const user = await requireUser(ctx);
  const row = findUser(ctx.app.db, user.id);
  if (row === undefined) throw new HttpError(404, 'user not found');
  return json(200, userView(row));
}

async function getUser(ctx: Ctx): Promise<Reply> {
  const user = await requireUser(ctx);
  const id = idParam(ctx, 'userId');
  requireOwner(ctx, user, id);
  const row = findUser(ctx.app.db, id);
  if (row === undefined) throw new HttpError(404, 'user not found');
  return json(200, ctx.app.secure ? userView(row) : userRaw(row));
}

/** Vulnerable mode maps any known JSON property onto its column: `role`, `balance`, even `passwordHash`. */
const ASSIGNABLE: Record<string, [column: string, convert: (v: unknown) => unknown]> = {
  username: ['username', String],
  email: ['email', String],
  displayName: ['display_name', String],
  role: ['role', String],
  balance: ['balance_cents', (v) => Math.round(Number(v) * 100)],
  ssn: ['ssn', String],
  passwordHash: ['password_hash', String],
};

async function updateUser(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  const user = await requireUser(ctx);
  const id = idParam(ctx, 'userId');
  requireOwner(ctx, user, id);
  const body = await readJson(ctx);
  if (findUser(app.db, id) === undefined) throw new HttpError(404, 'user not found');
  if (app.secure) {
    const b = checkObject(body, {
      email: { type: 'string', min: 3, max: 254, pattern: EMAIL, optional: true },
      displayName: { type: 'string', min: 1, max: 64, optional: true },
    });
    if (Object.keys(b).length === 0) throw new HttpError(400, 'nothing to update');
    app.db.prepare('UPDATE users SET email = coalesce(?, email), display_name = coalesce(?, display_name) WHERE id = ?')
      .run(b.email ?? null, b.displayName ?? null, id);
    return json(200, userView(findUser(app.db, id)!));
  }
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const target = ASSIGNABLE[key];
    if (target === undefined) continue;
    sets.push(`${target[0]} = ?`); // column names come from the table above, never from the client
    values.push(target[1](value));
  }
  if (sets.length > 0) app.db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  return json(200, userRaw(findUser(app.db, id)!));
}

export const userRoutes: Route[] = [
  { method: 'GET', path: '/api/v2/users/me', operationId: 'getCurrentUser', handler: getCurrentUser },
  { method: 'GET', path: '/api/v2/users/{userId}', operationId: 'getUser', handler: getUser },
  { method: 'PUT', path: '/api/v2/users/{userId}', operationId: 'updateUser', handler: updateUser },
];
