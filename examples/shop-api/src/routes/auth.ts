/** Login, signup and the password-reset flow (API2 broken authentication, API6 signup automation). */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { TOKEN_TTL_SECONDS, issueToken } from '../auth.js';
import { DUMMY_HASH, findUserByName, hashPassword, verifyPassword, type UserRow } from '../db.js';
import { HttpError, json, mediaType, readBody, readJson, type Ctx, type Reply, type Route } from '../http.js';
import { EMAIL, USERNAME, checkObject } from '../validate.js';
import { userRaw, userView } from '../views.js';

const RESET_TTL_MS = 15 * 60_000;
const RESET_MAX_ATTEMPTS = 5;

const tooMany = (wait: number, what: string): HttpError => new HttpError(429, `too many ${what}; try again later`, { 'retry-after': String(wait) });

async function login(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  const body = await readJson(ctx);
  let username: string;
  let password: string;
  if (app.secure) {
    const b = checkObject(body, { username: { type: 'string', min: 1, max: 64 }, password: { type: 'string', min: 1, max: 128 } });
    username = b.username as string;
    password = b.password as string;
    const wait = app.limits.loginFailures.retryAfter(username.toLowerCase());
    if (wait > 0) throw tooMany(wait, 'failed logins');
  } else {
    // No attempt limit and no shape check: a null body is a TypeError, hence a 500 with a stack trace.
    const b = body as { username?: unknown; password?: unknown };
    username = String(b.username);
    password = String(b.password);
  }
  const row = findUserByName(app.db, username);
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (row === undefined || !ok) {
    if (!app.secure) throw new HttpError(401, row === undefined ? 'unknown user' : 'wrong password'); // enumerates accounts
    app.limits.loginFailures.hit(username.toLowerCase());
    throw new HttpError(401, 'invalid username or password');
  }
  return json(200, { token: await issueToken(app, row), tokenType: 'Bearer', expiresIn: TOKEN_TTL_SECONDS });
}

async function signup(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  if (app.secure) {
    const wait = app.limits.signup.take(ctx.ip);
    if (wait > 0) throw tooMany(wait, 'sign-ups from this address');
  }
  const body = await readJson(ctx);
  if (!app.secure) {
    // Mass assignment: `role` is taken from the client; a duplicate name surfaces as a raw SQLite error.
    const b = body as Record<string, unknown>;
    const id = app.db.prepare('INSERT INTO users (username, email, password_hash, role) VALUES (?, ?, ?, ?)')
      .run(String(b.username), String(b.email), hashPassword(String(b.password)), String(b.role ?? 'user')).lastInsertRowid;
    return json(201, userRaw(app.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow));
  }
  const b = checkObject(body, {
    username: { type: 'string', min: 3, max: 32, pattern: USERNAME },
    email: { type: 'string', min: 3, max: 254, pattern: EMAIL },
    password: { type: 'string', min: 8, max: 128 },
  });
  if (findUserByName(app.db, b.username as string) !== undefined) throw new HttpError(409, 'username taken');
  const id = app.db.prepare("INSERT INTO users (username, email, password_hash, role) VALUES (?, ?, ?, 'user')")
    .run(b.username, b.email, hashPassword(b.password as string)).lastInsertRowid;
  return json(201, userView(app.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow));
}

/** Form-encoded on purpose: the one `application/x-www-form-urlencoded` operation in the spec. */
async function requestPasswordReset(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  if (app.secure && mediaType(ctx.req) !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'expected application/x-www-form-urlencoded');
  const form = new URLSearchParams((await readBody(ctx.req)).toString('utf8'));
  const username = form.get('username') ?? '';
  if (app.secure) {
    if ([...form.keys()].some((k) => k !== 'username')) throw new HttpError(400, 'only username is allowed');
    if (username.length < 1 || username.length > 64) throw new HttpError(400, 'username must be 1..64 characters');
    const wait = app.limits.passwordReset.take(username.toLowerCase());
    if (wait > 0) throw tooMany(wait, 'reset requests');
  }
  const generic = 'If the account exists, a reset code has been sent to its e-mail address.';
  const row = findUserByName(app.db, username);
  if (row === undefined) {
    if (!app.secure) throw new HttpError(404, `no user named ${username}`); // account enumeration
    return json(202, { message: generic });
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  app.db.prepare('INSERT OR REPLACE INTO password_resets (user_id, code, expires_at, attempts) VALUES (?, ?, ?, 0)').run(row.id, code, Date.now() + RESET_TTL_MS);
  app.db.prepare('INSERT INTO outbox (recipient, body) VALUES (?, ?)').run(row.email, `Your reset code is ${code}`);
  // Vulnerable mode leaves a debugging aid in: the code itself, in the response (API2/API3).
  return json(202, app.secure ? { message: generic } : { message: generic, resetCode: code });
}

async function confirmPasswordReset(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  const body = await readJson(ctx);
  const b = app.secure
    ? checkObject(body, {
      username: { type: 'string', min: 1, max: 64 },
      code: { type: 'string', min: 6, max: 6, pattern: /^[0-9]{6}$/ },
      newPassword: { type: 'string', min: 8, max: 128 },
    })
    : (body as Record<string, unknown>);
  const invalid = new HttpError(400, 'invalid or expired code');
  const row = findUserByName(app.db, String(b.username));
  const reset = row && app.db.prepare('SELECT code, expires_at, attempts FROM password_resets WHERE user_id = ?').get(row.id) as
    { code: string; expires_at: number; attempts: number } | undefined;
  if (row === undefined || reset === undefined || reset.expires_at < Date.now()) throw invalid;
  const given = Buffer.from(String(b.code));
  const matches = given.length === reset.code.length && timingSafeEqual(given, Buffer.from(reset.code));
  if (!matches) {
    // Vulnerable mode: unlimited guesses at a 6-digit code. Secure mode burns the code after 5 misses.
    if (app.secure) {
      if (reset.attempts + 1 >= RESET_MAX_ATTEMPTS) {
        app.db.prepare('DELETE FROM password_resets WHERE user_id = ?').run(row.id);
        throw new HttpError(429, 'too many wrong codes; request a new one');
      }
      app.db.prepare('UPDATE password_resets SET attempts = attempts + 1 WHERE user_id = ?').run(row.id);
    }
    throw invalid;
  }
  app.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hashPassword(String(b.newPassword)), row.id);
  app.db.prepare('DELETE FROM password_resets WHERE user_id = ?').run(row.id);
  return json(200, { message: 'password updated' });
}

export const authRoutes: Route[] = [
  { method: 'POST', path: '/api/v2/auth/login', operationId: 'login', handler: login },
  { method: 'POST', path: '/api/v2/auth/signup', operationId: 'signup', handler: signup },
  { method: 'POST', path: '/api/v2/auth/password-reset', operationId: 'requestPasswordReset', handler: requestPasswordReset },
  { method: 'POST', path: '/api/v2/auth/password-reset/confirm', operationId: 'confirmPasswordReset', handler: confirmPasswordReset },
];
