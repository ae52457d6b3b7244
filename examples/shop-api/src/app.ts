/** Per-instance state: one database, one key and one set of limiters per `startShopApi` call. */
import type { Db } from './db.js';
import { Limiter } from './limiter.js';

export interface App {
  db: Db;
  /** false = the deliberately vulnerable default; true = every VULNERABILITIES.md entry fixed. */
  secure: boolean;
  jwtSecret: string;
  jwtKey: Uint8Array;
  /** Only consulted in secure mode (API2, API4, API6). */
  limits: {
    loginFailures: Limiter;
    signup: Limiter;
    checkout: Limiter;
    passwordReset: Limiter;
  };
}

export function createApp(db: Db, secure: boolean, jwtSecret: string): App {
  return {
    db,
    secure,
    jwtSecret,
    jwtKey: new TextEncoder().encode(jwtSecret),
    limits: {
      loginFailures: new Limiter(5, 15 * 60_000),
      signup: new Limiter(5, 10 * 60_000),
      checkout: new Limiter(5, 60_000),
      passwordReset: new Limiter(3, 15 * 60_000),
    },
  };
}
