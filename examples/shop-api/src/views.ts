/** What leaves the API. Secure mode sends these views; vulnerable mode often sends raw rows instead (API3). */
import type { ProductRow, UserRow } from './db.js';

const money = (cents: number): number => cents / 100;

export function userView(u: UserRow): Record<string, unknown> {
  return {
    id: u.id, username: u.username, email: u.email, displayName: u.display_name,
    role: u.role, balance: money(u.balance_cents), createdAt: u.created_at,
  };
}

/** Everything, including `passwordHash` and `ssn`: the excessive data exposure of vulnerable mode. */
export function userRaw(u: UserRow): Record<string, unknown> {
  return { ...userView(u), passwordHash: u.password_hash, ssn: u.ssn };
}

export function productView(p: ProductRow): Record<string, unknown> {
  return {
    id: p.id, name: p.name, description: p.description, price: money(p.price_cents), stock: p.stock,
    imageUrl: p.image_type === null ? null : `/api/v2/products/${p.id}/image`,
  };
}

export interface OrderRow { id: number; user_id: number; status: string; total_cents: number; created_at: string }
export interface OrderItemRow { product_id: number; quantity: number; unit_price_cents: number }

export function orderView(o: OrderRow, items: OrderItemRow[]): Record<string, unknown> {
  return {
    id: o.id, userId: o.user_id, status: o.status, total: money(o.total_cents), createdAt: o.created_at,
    items: items.map((i) => ({ productId: i.product_id, quantity: i.quantity, unitPrice: money(i.unit_price_cents) })),
  };
}
