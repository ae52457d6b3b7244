/** The caller's cart and checkout (API6: no anti-automation on the purchase flow in vulnerable mode). */
import type { App } from '../app.js';
import { requireUser } from '../auth.js';
import { HttpError, json, readJson, type Ctx, type Reply, type Route } from '../http.js';
import { LINE_ITEM, checkObject } from '../validate.js';
import { lineItems, placeOrder, type LineItem } from './orders.js';

const MAX_PER_LINE = 10;
const MAX_LINES = 20;

function cartView(app: App, userId: number): Record<string, unknown> {
  const rows = app.db.prepare(`SELECT c.product_id, p.name, c.quantity, p.price_cents FROM cart_items c
    JOIN products p ON p.id = c.product_id WHERE c.user_id = ? ORDER BY c.product_id`).all(userId) as
    Array<{ product_id: number; name: string; quantity: number; price_cents: number }>;
  const total = rows.reduce((sum, r) => sum + r.price_cents * r.quantity, 0);
  return {
    items: rows.map((r) => ({ productId: r.product_id, name: r.name, quantity: r.quantity, unitPrice: r.price_cents / 100 })),
    total: total / 100,
  };
}

/** Secure mode: only listed products may go into a cart. */
function assertListed(app: App, items: readonly LineItem[]): void {
  if (!app.secure) return;
  for (const { productId } of items) {
    const row = app.db.prepare('SELECT 1 FROM products WHERE id = ? AND hidden = 0').get(productId);
    if (row === undefined) throw new HttpError(404, `product ${productId} not found`);
  }
}

async function getCart(ctx: Ctx): Promise<Reply> {
  const user = await requireUser(ctx);
  return json(200, cartView(ctx.app, user.id));
}

async function replaceCart(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  const user = await requireUser(ctx);
  const items = lineItems(app, await readJson(ctx), 0);
  assertListed(app, items);
  if (app.secure) {
    const merged = new Map<number, number>();
    for (const i of items) merged.set(i.productId, (merged.get(i.productId) ?? 0) + i.quantity);
    if ([...merged.values()].some((q) => q > MAX_PER_LINE)) throw new HttpError(409, `at most ${MAX_PER_LINE} of one product per cart`);
  }
  app.db.transaction(() => {
    app.db.prepare('DELETE FROM cart_items WHERE user_id = ?').run(user.id);
    const add = app.db.prepare(`INSERT INTO cart_items (user_id, product_id, quantity) VALUES (?, ?, ?)
      ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity`);
    for (const i of items) add.run(user.id, i.productId, i.quantity);
  })();
  return json(200, cartView(app, user.id));
}

async function addCartItem(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  const user = await requireUser(ctx);
  const body = await readJson(ctx);
  const item = app.secure
    ? (checkObject(body, LINE_ITEM) as unknown as LineItem)
    : { productId: Number((body as LineItem).productId), quantity: Number((body as LineItem).quantity) };
  assertListed(app, [item]);
  const current = app.db.prepare('SELECT quantity FROM cart_items WHERE user_id = ? AND product_id = ?').get(user.id, item.productId) as { quantity: number } | undefined;
  if (app.secure) {
    if ((current?.quantity ?? 0) + item.quantity > MAX_PER_LINE) throw new HttpError(409, `at most ${MAX_PER_LINE} of one product per cart`);
    const { n } = app.db.prepare('SELECT count(*) AS n FROM cart_items WHERE user_id = ?').get(user.id) as { n: number };
    if (current === undefined && n >= MAX_LINES) throw new HttpError(409, `at most ${MAX_LINES} different products per cart`);
  }
  app.db.prepare(`INSERT INTO cart_items (user_id, product_id, quantity) VALUES (?, ?, ?)
    ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity`).run(user.id, item.productId, item.quantity);
  return json(200, cartView(app, user.id));
}

async function checkout(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  const user = await requireUser(ctx);
  if (app.secure) {
    const wait = app.limits.checkout.take(String(user.id));
    if (wait > 0) throw new HttpError(429, 'too many checkouts; try again later', { 'retry-after': String(wait) });
  }
  const items = app.db.prepare('SELECT product_id AS productId, quantity FROM cart_items WHERE user_id = ?').all(user.id) as LineItem[];
  if (items.length === 0) throw new HttpError(409, 'cart is empty');
  const order = placeOrder(app, user.id, items);
  app.db.prepare('DELETE FROM cart_items WHERE user_id = ?').run(user.id);
  return json(201, order);
}

export const cartRoutes: Route[] = [
  { method: 'GET', path: '/api/v2/carts/me', operationId: 'getCart', handler: getCart },
  { method: 'PUT', path: '/api/v2/carts/me', operationId: 'replaceCart', handler: replaceCart },
  { method: 'POST', path: '/api/v2/carts/me/items', operationId: 'addCartItem', handler: addCartItem },
  { method: 'POST', path: '/api/v2/checkout', operationId: 'checkout', handler: checkout },
];
