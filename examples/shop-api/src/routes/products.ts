/** Catalogue: SQL injection in search, API4 unbounded `limit`, and a multipart image upload. */
import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { requireAdmin } from '../auth.js';
import type { ProductRow } from '../db.js';
import { HttpError, idParam, json, mediaType, readBody, type Ctx, type Reply, type Route } from '../http.js';
import { SEARCH, intQuery } from '../validate.js';
import { productView } from '../views.js';

const COLS = 'id, name, description, price_cents, stock, hidden, image_type';
export const IMAGE_LIMIT = 256 * 1024;

function listProducts(ctx: Ctx): Reply {
  const { app, url } = ctx;
  const q = url.searchParams.get('q');
  if (!app.secure) {
    // SQL built by concatenation: q = `' OR 1=1--` comments out the `hidden = 0` filter (and the LIMIT).
    // No cap on limit either: `limit=100000` dumps the table in one response.
    const limit = parseInt(url.searchParams.get('limit') ?? '20', 10);
    const offset = parseInt(url.searchParams.get('offset') ?? '0', 10);
    const where = q ? `name LIKE '%${q}%' AND hidden = 0` : 'hidden = 0';
    const rows = app.db.prepare(`SELECT ${COLS} FROM products WHERE ${where} ORDER BY id LIMIT ${limit} OFFSET ${offset}`).all() as ProductRow[];
    return json(200, { items: rows.map(productView), limit, offset });
  }
  if (q !== null && (q.length > 100 || !SEARCH.test(q))) throw new HttpError(400, 'q must be up to 100 letters, digits, spaces or _.-');
  const limit = intQuery(url.searchParams.get('limit'), 'limit', 20, 1, 100);
  const offset = intQuery(url.searchParams.get('offset'), 'offset', 0, 0, 10_000);
  const rows = (q
    ? app.db.prepare(`SELECT ${COLS} FROM products WHERE hidden = 0 AND instr(lower(name), lower(?)) > 0 ORDER BY id LIMIT ? OFFSET ?`).all(q, limit, offset)
    : app.db.prepare(`SELECT ${COLS} FROM products WHERE hidden = 0 ORDER BY id LIMIT ? OFFSET ?`).all(limit, offset)) as ProductRow[];
  return json(200, { items: rows.map(productView), limit, offset });
}

function findProduct(ctx: Ctx): ProductRow {
  const id = idParam(ctx, 'productId');
  // Vulnerable mode also serves unlisted products to anyone who guesses their id.
  const row = ctx.app.db.prepare(`SELECT ${COLS} FROM products WHERE id = ?${ctx.app.secure ? ' AND hidden = 0' : ''}`).get(id) as ProductRow | undefined;
  if (row === undefined) throw new HttpError(404, 'product not found');
  return row;
}

function getProduct(ctx: Ctx): Reply {
  return json(200, productView(findProduct(ctx)));
}

interface Part { field: string; data: Buffer; mimeType: string; truncated: boolean }

function parseMultipart(headers: IncomingHttpHeaders, body: Buffer, fileSize: number): Promise<{ files: Part[]; fields: string[] }> {
  return new Promise((resolve, reject) => {
    const files: Part[] = [];
    const fields: string[] = [];
    const bb = busboy({ headers, limits: { fileSize, files: 2, fields: 10, parts: 12 } });
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('close', () => files.push({ field, data: Buffer.concat(chunks), mimeType: info.mimeType, truncated: stream.truncated === true }));
    });
    bb.on('field', (name) => fields.push(name));
    bb.on('close', () => resolve({ files, fields }));
    bb.on('error', reject);
    bb.end(body);
  });
}

/** Content sniffing: the declared part type is the client's claim, the magic bytes are the truth. */
function sniffImage(data: Buffer): string | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  return undefined;
}

async function uploadProductImage(ctx: Ctx): Promise<Reply> {
  const { app } = ctx;
  await requireAdmin(ctx); // vulnerable: any logged-in user (API5)
  const product = findProduct(ctx);
  if (app.secure && mediaType(ctx.req) !== 'multipart/form-data') throw new HttpError(415, 'expected multipart/form-data');
  const body = await readBody(ctx.req);
  let contentType: string;
  let data: Buffer;
  if (!app.secure) {
    // Any part, any size up to the body cap, stored with the client's declared type (text/html works: API8).
    const { files } = await parseMultipart(ctx.req.headers, body, body.length + 1);
    const file = files[0];
    if (file === undefined) throw new HttpError(400, 'no file');
    ({ mimeType: contentType, data } = file);
  } else {
    let parsed: { files: Part[]; fields: string[] };
    try {
      parsed = await parseMultipart(ctx.req.headers, body, IMAGE_LIMIT);
    } catch {
      throw new HttpError(400, 'malformed multipart body');
    }
    const file = parsed.files[0];
    if (parsed.fields.length > 0 || parsed.files.length !== 1 || file?.field !== 'file') throw new HttpError(400, 'expected exactly one part, named file');
    if (file.truncated) throw new HttpError(413, `file exceeds ${IMAGE_LIMIT} bytes`);
    const sniffed = sniffImage(file.data);
    if (sniffed === undefined) throw new HttpError(415, 'file must be a PNG or JPEG image');
    contentType = sniffed;
    data = file.data;
  }
  app.db.prepare('UPDATE products SET image = ?, image_type = ? WHERE id = ?').run(data, contentType, product.id);
  return json(201, { productId: product.id, contentType, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
}

function getProductImage(ctx: Ctx): Reply {
  const product = findProduct(ctx);
  const row = ctx.app.db.prepare('SELECT image FROM products WHERE id = ?').get(product.id) as { image: Buffer | null };
  if (row.image === null || product.image_type === null) throw new HttpError(404, 'no image');
  return { status: 200, raw: row.image, headers: { 'content-type': product.image_type } };
}

export const productRoutes: Route[] = [
  { method: 'GET', path: '/api/v2/products', operationId: 'listProducts', handler: listProducts },
  { method: 'GET', path: '/api/v2/products/{productId}', operationId: 'getProduct', handler: getProduct },
  { method: 'GET', path: '/api/v2/products/{productId}/image', operationId: 'getProductImage', handler: getProductImage },
  { method: 'POST', path: '/api/v2/products/{productId}/image', operationId: 'uploadProductImage', handler: uploadProductImage },
];
