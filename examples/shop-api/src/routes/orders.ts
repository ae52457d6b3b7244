/** Orders: API1 (any order readable by id) and API6 (negative quantities mint balance). */
import type { App } from '../app.js';
import { requireOwner, requireUser } from '../auth.js';
import { findUser } from '../db.js';
import { HttpError, idParam, json, readJson, type Ctx, type Reply, type Route } from '../http.js';
import { LINE_ITEM, checkObject } from '../validate.js';
import { orderView, type OrderItemRow, type OrderRow } from '../views.js';

export interface LineItem { productId: number; quantity: number }

export function loadOrder(app: App, id: number): Record<string, unknown> & { userId: number } {
  const order = app.db.prepare('SELECT * FROM orders WHERE id = ?').get(id) as OrderRow | undefined;
  if (order === undefined) throw new HttpError(404, 'order not found');
  const items = app.db.prepare('SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = ?').all(id) as OrderItemRow[];
  return { ...orderView(order, items), userId: order.user_id };
}

/**
 * One transaction: reserve stock, charge the balance, record the order. Vulnerable mode never checks that
 * quantities are positive, so `quantity: -100` refunds money that was never paid and grows the stock.
 */
export function placeOrder(app: App, userId: number, items: readonly LineItem[]): Record<string, unknown> {
  const run = app.db.transaction(() => {
    const user = findUser(app.db, userId);
    if (user === undefined) throw new HttpError(404, 'user not found');
    let total = 0;
    const lines: Array<LineItem & { price: number }> = [];
    for (const item of items) {
      const p = app.db.prepare('SELECT price_cents, hidden FROM products WHERE id = ?').get(item.productId) as { price_cents: number; hidden: number } | undefined;
      if (p === undefined || (app.secure && p.hidden === 1)) throw new HttpError(404, `product ${item.productId} not found`);
      const taken = app.db.prepare('UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?').run(item.quantity, item.productId, item.quantity);
      if (taken.changes === 0) throw new HttpError(409, `not enough stock for product ${item.productId}`);
      total += p.price_cents * item.quantity;
      lines.push({ ...item, price: p.price_cents });
    }
    if (user.balance_cents < total) throw new HttpError(409, 'insufficient balance');
    app.db.prepare('UPDATE users SET balance_cents = balance_cents - ? WHERE id = ?').run(total, userId);
    const orderId = app.db.prepare("INSERT INTO orders (user_id, status, total_cents) VALUES (?, 'paid', ?)").run(userId, total).lastInsertRowid;
    const add = app.db.prepare('INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)');
    for (const l of lines) add.run(orderId, l.productId, l.quantity, l.price);
    return Number(orderId);
  });
  return loadOrder(app, run());
}

/** The body of POST /orders and PUT /carts/me: `{ items: [{ productId, quantity }] }`. */
export function lineItems(app: App, body: unknown, minItems: number): LineItem[] {
  if (app.secure) {
    const b = checkObject(body, { items: { type: 'array', min: minItems, max: 20, items: LINE_ITEM } });
    return b.items as LineItem[];
  }
  const items = (body as { items: Array<Record<string, unknown>> }).items;
  return items.map((i) => ({ productId: Number(i.productId), quantity: Number(i.quantity) }));
}

async function listOrders(ctx: Ctx): Promise<Reply> {
  const user = await requireUser(ctx);
  const ids = ctx.app.db.prepare('SELECT id FROM orders WHERE user_id = ? ORDER BY id').all(user.id) as Array<{ id: number }>;
  return json(200, ids.map(({ id }) => loadOrder(ctx.app, id)));
}

async function createOrder(ctx: Ctx): Promise<Reply> {
  const user = await requireUser(ctx);
  const items = lineItems(ctx.app, await readJson(ctx), 1);
  return json(201, placeOrder(ctx.app, user.id, items));
}

async function getOrder(ctx: Ctx): Promise<Reply> {
  const user = await requireUser(ctx);
  const order = loadOrder(ctx.app, idParam(ctx, 'orderId'));
  requireOwner(ctx, user, order.userId);
  return json(200, order);
}

export const orderRoutes: Route[] = [
  { method: 'GET', path: '/api/v2/orders', operationId: 'listOrders', handler: listOrders },
  { method: 'POST', path: '/api/v2/orders', operationId: 'createOrder', handler: createOrder },
  { method: 'GET', path: '/api/v2/orders/{orderId}', operationId: 'getOrder', handler: getOrder },
];
