/** Schema and seed data. Every start gets a fresh `:memory:` database, so tests and demos never share state. */
import Database from 'better-sqlite3';
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export type Db = Database.Database;

export interface UserRow {
  id: number;
  username: string;
  email: string;
  display_name: string | null;
  password_hash: string;
  role: 'user' | 'admin';
  balance_cents: number;
  ssn: string | null;
  created_at: string;
}

export interface ProductRow {
  id: number;
  name: string;
  description: string;
  price_cents: number;
  stock: number;
  hidden: number;
  image_type: string | null;
}

const SCHEMA = `
PRAGMA foreign_keys = ON;
CREATE TABLE users (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE COLLATE NOCASE, email TEXT NOT NULL,
  display_name TEXT, password_hash TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'user',
  balance_cents INTEGER NOT NULL DEFAULT 0, ssn TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
CREATE TABLE products (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL, price_cents INTEGER NOT NULL,
  stock INTEGER NOT NULL, hidden INTEGER NOT NULL DEFAULT 0, image_type TEXT, image BLOB);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL, total_cents INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE, product_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL, unit_price_cents INTEGER NOT NULL);
CREATE TABLE cart_items (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, product_id INTEGER NOT NULL,
  quantity INTEGER NOT NULL, PRIMARY KEY (user_id, product_id));
CREATE TABLE password_resets (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, code TEXT NOT NULL,
  expires_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
CREATE TABLE imports (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, url TEXT NOT NULL, content_type TEXT NOT NULL,
  size INTEGER NOT NULL, sha256 TEXT NOT NULL);
-- Simulated e-mail: password-reset codes are "sent" here, never to a real mailbox.
CREATE TABLE outbox (id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, body TEXT NOT NULL);
`;

/** Demo credentials, documented in README.md. */
export const SEED_USERS = [
  { username: 'alice', password: 'alice-pass-1', role: 'user', email: 'alice@shop.example', balance: 100_000, ssn: '078-05-1120' },
  { username: 'bob', password: 'bob-pass-2', role: 'user', email: 'bob@shop.example', balance: 50_000, ssn: '219-09-9999' },
  { username: 'root', password: 'root-pass-3', role: 'admin', email: 'root@shop.example', balance: 0, ssn: '457-55-5462' },
] as const;

const SEED_PRODUCTS: ReadonlyArray<[string, string, number, number, 0 | 1]> = [
  ['Portcullis sticker', 'Vinyl sticker of a closed gate.', 250, 1_000_000, 0],
  ['Castle mug', 'Ceramic mug, 350 ml.', 1200, 500, 0],
  ['Drawbridge hoodie', 'Heavy cotton hoodie.', 4500, 200, 0],
  ['Moat water bottle', 'Steel bottle, keeps the moat cold.', 1850, 300, 0],
  ['Battlement beanie', 'Knitted beanie with crenellations.', 1600, 150, 0],
  ['Gatehouse notebook', 'A5 dotted notebook.', 875, 400, 0],
  ['Arrow-slit phone case', 'Slim case with a narrow window.', 2100, 250, 0],
  ['Keep tote bag', 'Canvas tote bag.', 1400, 350, 0],
  // Unlisted: must never appear in listings or searches (the SQL injection target).
  ['Staff voucher', 'INTERNAL: 100% staff discount voucher, code STAFF-ONLY-2023.', 1, 5, 1],
  ['Siege engine kit', 'UNRELEASED prototype, embargoed until launch.', 99_900, 1, 1],
];

// scrypt with Node's defaults (N=16384): slow enough to be honest, fast enough to seed per test.
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(salt, 'base64'), expected.length, (err, key) => (err ? reject(err) : resolve(key))));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash nobody knows the password to: login compares against it for unknown users, so timing does not enumerate. */
export const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

export function openDb(): Db {
  const db = new Database(':memory:');
  db.exec(SCHEMA);
  const addUser = db.prepare('INSERT INTO users (username, email, password_hash, role, balance_cents, ssn) VALUES (?, ?, ?, ?, ?, ?)');
  for (const u of SEED_USERS) addUser.run(u.username, u.email, hashPassword(u.password), u.role, u.balance, u.ssn);
  const addProduct = db.prepare('INSERT INTO products (name, description, price_cents, stock, hidden) VALUES (?, ?, ?, ?, ?)');
  for (const p of SEED_PRODUCTS) addProduct.run(...p);
  // Filler, so an uncapped `limit` (API4) visibly returns far more than one page.
  for (let n = 1; n <= 200; n++) addProduct.run(`Souvenir pin #${n}`, 'Enamel pin from the gift shop.', 500, 1000, 0);
  // One order each for alice (order 1) and bob (order 2), so object-level authorization has something to protect.
  const addOrder = db.prepare("INSERT INTO orders (user_id, status, total_cents) VALUES (?, 'paid', ?)");
  const addItem = db.prepare('INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)');
  addItem.run(addOrder.run(1, 2400).lastInsertRowid, 2, 2, 1200);
  addItem.run(addOrder.run(2, 4500).lastInsertRowid, 3, 1, 4500);
  return db;
}

export function findUser(db: Db, id: number): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
}

export function findUserByName(db: Db, username: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
}
