/**
 * The secure mode's hand-written input checks: the same rules openapi.yaml states (types, bounds,
 * `additionalProperties: false`), enforced by the API itself as well as by any gateway in front of it.
 */
import { HttpError } from './http.js';

export type Rule =
  | { type: 'string'; min?: number; max: number; pattern?: RegExp; optional?: boolean }
  | { type: 'int'; min: number; max: number; optional?: boolean }
  | { type: 'array'; min: number; max: number; items: Shape; optional?: boolean };
export type Shape = Record<string, Rule>;

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;
/** Search terms: letters, digits, spaces and `_.-`; quotes and SQL punctuation are not part of the contract. */
export const SEARCH = /^[A-Za-z0-9 _.-]*$/;

const bad = (msg: string): HttpError => new HttpError(400, msg);

function checkValue(value: unknown, rule: Rule, where: string): unknown {
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string') throw bad(`${where} must be a string`);
      if (value.length < (rule.min ?? 0) || value.length > rule.max) throw bad(`${where} must be ${rule.min ?? 0}..${rule.max} characters`);
      if (rule.pattern !== undefined && !rule.pattern.test(value)) throw bad(`${where} has an invalid format`);
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw bad(`${where} must be an integer`);
      if (value < rule.min || value > rule.max) throw bad(`${where} must be between ${rule.min} and ${rule.max}`);
      return value;
    case 'array':
      if (!Array.isArray(value)) throw bad(`${where} must be an array`);
      if (value.length < rule.min || value.length > rule.max) throw bad(`${where} must have ${rule.min}..${rule.max} items`);
      return value.map((item, i) => checkObject(item, rule.items, `${where}[${i}]`));
  }
}

/** Validates a plain object against `shape`, refusing unknown properties. */
export function checkObject(value: unknown, shape: Shape, where = 'body'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`${where} must be an object`);
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!(key in shape)) throw bad(`${where}.${key} is not allowed`);
  const out: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(shape)) {
    if (input[key] === undefined) {
      if (rule.optional === true) continue;
      throw bad(`${where}.${key} is required`);
    }
    out[key] = checkValue(input[key], rule, `${where}.${key}`);
  }
  return out;
}

/** Integer query parameter with bounds (secure mode); absent → the default. */
export function intQuery(raw: string | null, name: string, def: number, min: number, max: number): number {
  if (raw === null) return def;
  if (!/^-?[0-9]{1,10}$/.test(raw)) throw bad(`${name} must be an integer`);
  const n = Number(raw);
  if (n < min || n > max) throw bad(`${name} must be between ${min} and ${max}`);
  return n;
}

/** An order or cart line, shared by orders, carts and the spec's `LineItemInput`. */
export const LINE_ITEM: Shape = {
  productId: { type: 'int', min: 1, max: 2_147_483_647 },
  quantity: { type: 'int', min: 1, max: 10 },
};
