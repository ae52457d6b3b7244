import { randomBytes } from 'node:crypto';
import { startShopApi } from '../../examples/shop-api/src/server.js';
import { HarRecorder, type Exchange, type Har, type SendOptions } from './har-recorder.js';

/**
 * A scripted client session against the example shop API (vulnerable mode, so its undocumented
 * routes answer), recorded as HAR 1.2: three users log in, browse and search the catalogue, fill
 * carts, check out and place orders, upload and import images, reset passwords, an admin lists and
 * deletes accounts, an old client still calls the deprecated v1 API, someone finds the debug
 * endpoint and the published contract, and a few calls fail (401, 404, 409). Every operation of
 * examples/shop-api/openapi.yaml is called at least twice, with different ids where it has a
 * path parameter. The fixture for discovery: `portcullis discover --har` on this file should
 * find each endpoint with its template, and flag the shadow and zombie ones.
 */

export interface ShopSession {
  har: Har;
  /** The API the session ran against (closed once the session is over). */
  baseUrl: string;
  /** Every credential value the session sent or was handed: passwords, bearer tokens, the JWT secret it leaked. A HAR reader must keep none. */
  credentials: string[];
  /** One-time reset codes the vulnerable API handed out (and the session sent back). */
  resetCodes: string[];
  /** Undocumented routes the session called (shadow endpoints), as `METHOD /path`. */
  shadow: string[];
}

export interface ShopSessionOptions {
  /** Also write the HAR there. */
  file?: string;
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(48)]);

export async function recordShopSession(opts: ShopSessionOptions = {}): Promise<ShopSession> {
  const jwtSecret = randomBytes(32).toString('base64url');
  const api = await startShopApi({ port: 0, host: '127.0.0.1', jwtSecret });
  const har = new HarRecorder(api.url);
  const credentials = new Set<string>([jwtSecret]);
  const resetCodes: string[] = [];

  /** One call of the script; a status other than `want` means the API changed under the fixture. */
  const call = async (want: number, method: string, path: string, o: SendOptions = {}): Promise<Exchange> => {
    const ex = await har.send(method, path, o);
    if (ex.status !== want) throw new Error(`shop session: ${method} ${path} answered ${ex.status}, expected ${want}: ${ex.body.toString('utf8').slice(0, 200)}`);
    return ex;
  };
  const field = (ex: Exchange, name: string): string => String((ex.json as Record<string, unknown>)[name]);
  const login = async (username: string, password: string): Promise<string> => {
    credentials.add(password);
    const token = field(await call(200, 'POST', '/api/v2/auth/login', { json: { username, password }, comment: `log in as ${username}` }), 'token');
    credentials.add(token);
    return token;
  };

  try {
    await call(200, 'GET', '/api/health');
    const alice = await login('alice', 'alice-pass-1');
    const bob = await login('bob', 'bob-pass-2');
    const root = await login('root', 'root-pass-3');
    await call(401, 'POST', '/api/v2/auth/login', { json: { username: 'bob', password: 'not-bobs-password' }, comment: 'wrong password' });
    credentials.add('not-bobs-password');

    // Profiles.
    await call(200, 'GET', '/api/v2/users/me', { token: alice });
    await call(200, 'GET', '/api/v2/users/me', { token: bob });
    await call(401, 'GET', '/api/v2/users/me', { comment: 'no token' });
    await call(200, 'GET', '/api/v2/users/1', { token: alice });
    await call(200, 'GET', '/api/v2/users/2', { token: bob });
    await call(200, 'PUT', '/api/v2/users/1', { token: alice, json: { displayName: 'Alice Archer' } });
    await call(200, 'PUT', '/api/v2/users/2', { token: bob, json: { email: 'bob.builder@shop.example' } });

    // Catalogue: list, page, search, details, a missing product.
    await call(200, 'GET', '/api/v2/products?limit=5');
    await call(200, 'GET', '/api/v2/products?limit=5&offset=5');
    await call(200, 'GET', '/api/v2/products?q=mug');
    await call(200, 'GET', '/api/v2/products?q=hoodie&limit=3', { token: alice });
    for (const id of [1, 2, 3, 7]) await call(200, 'GET', `/api/v2/products/${id}`);
    await call(404, 'GET', '/api/v2/products/99999');

    // Product images: an admin uploads two, shoppers fetch them, users import them by URL.
    for (const id of [1, 2]) await call(201, 'POST', `/api/v2/products/${id}/image`, { token: root, file: { field: 'file', fileName: `product-${id}.png`, contentType: 'image/png', data: PNG } });
    for (const id of [1, 2]) await call(200, 'GET', `/api/v2/products/${id}/image`, { headers: { Accept: 'image/png' } });
    await call(404, 'GET', '/api/v2/products/3/image', { comment: 'no image yet' });
    await call(201, 'POST', '/api/v2/imports/image', { token: alice, json: { url: `${api.url}/api/v2/products/1/image` } });
    await call(201, 'POST', '/api/v2/imports/image', { token: bob, json: { url: `${api.url}/api/v2/products/2/image` } });

    // Carts and checkout.
    await call(200, 'GET', '/api/v2/carts/me', { token: alice });
    await call(200, 'GET', '/api/v2/carts/me', { token: bob });
    await call(200, 'PUT', '/api/v2/carts/me', { token: alice, json: { items: [{ productId: 2, quantity: 1 }] } });
    await call(200, 'PUT', '/api/v2/carts/me', { token: bob, json: { items: [{ productId: 4, quantity: 1 }, { productId: 6, quantity: 1 }] } });
    await call(200, 'POST', '/api/v2/carts/me/items', { token: alice, json: { productId: 5, quantity: 1 } });
    await call(200, 'POST', '/api/v2/carts/me/items', { token: bob, json: { productId: 1, quantity: 3 } });
    const aliceOrder = Number(field(await call(201, 'POST', '/api/v2/checkout', { token: alice }), 'id'));
    const bobOrder = Number(field(await call(201, 'POST', '/api/v2/checkout', { token: bob }), 'id'));
    await call(409, 'POST', '/api/v2/checkout', { token: alice, comment: 'cart is empty now' });

    // Orders.
    const aliceDirect = Number(field(await call(201, 'POST', '/api/v2/orders', { token: alice, json: { items: [{ productId: 8, quantity: 1 }] } }), 'id'));
    const bobDirect = Number(field(await call(201, 'POST', '/api/v2/orders', { token: bob, json: { items: [{ productId: 1, quantity: 2 }, { productId: 6, quantity: 1 }] } }), 'id'));
    await call(200, 'GET', '/api/v2/orders', { token: alice });
    await call(200, 'GET', '/api/v2/orders', { token: bob });
    await call(401, 'GET', '/api/v2/orders', { comment: 'no token' });
    for (const id of [1, aliceOrder, aliceDirect]) await call(200, 'GET', `/api/v2/orders/${id}`, { token: alice });
    for (const id of [2, bobOrder, bobDirect]) await call(200, 'GET', `/api/v2/orders/${id}`, { token: bob });
    await call(404, 'GET', '/api/v2/orders/424242', { token: alice });

    // New accounts, password resets, and the admin tidying up.
    await call(200, 'GET', '/api/v2/admin/users', { token: root, comment: 'before the sign-ups' });
    const newUsers: number[] = [];
    for (const name of ['carol', 'dave']) {
      const password = `${name}-first-pass`;
      credentials.add(password);
      newUsers.push(Number(field(await call(201, 'POST', '/api/v2/auth/signup', { json: { username: name, email: `${name}@shop.example`, password } }), 'id')));
      const code = field(await call(202, 'POST', '/api/v2/auth/password-reset', { form: { username: name } }), 'resetCode');
      resetCodes.push(code);
      const newPassword = `${name}-second-pass`;
      credentials.add(newPassword);
      await call(200, 'POST', '/api/v2/auth/password-reset/confirm', { json: { username: name, code, newPassword } });
      await login(name, newPassword);
    }
    await call(404, 'POST', '/api/v2/auth/password-reset', { form: { username: 'nobody' }, comment: 'unknown account' });
    await call(200, 'GET', '/api/v2/admin/users', { token: root, comment: 'after the sign-ups' });
    for (const id of newUsers) await call(204, 'DELETE', `/api/v2/admin/users/${id}`, { token: root });

    // An old client on the deprecated v1 API (zombie endpoints).
    await call(200, 'GET', '/api/v1/products');
    await call(200, 'GET', '/api/v1/products', { token: alice });
    await call(200, 'GET', '/api/v1/users/1', { token: alice });
    await call(200, 'GET', '/api/v1/users/2', { token: bob });

    // Someone finds the published contract and the debug endpoint (shadow endpoints).
    await call(200, 'GET', '/openapi.json', { comment: 'undocumented: the published contract (V28)' });
    const debug = await call(200, 'GET', '/api/v2/debug/config', { comment: 'undocumented debug endpoint (V23)' });
    await call(200, 'GET', '/api/v2/debug/config', { token: alice });
    credentials.add(field(debug, 'jwtSecret'));
    await call(200, 'GET', '/api/health', { comment: 'a monitor, at the end' });
  } finally {
    await api.close();
  }
  const comment = 'Scripted session against examples/shop-api (vulnerable mode), recorded by test/helpers/shop-session-har.ts.';
  if (opts.file !== undefined) har.write(opts.file, comment);
  return {
    har: har.toHar(comment), baseUrl: api.url, credentials: [...credentials], resetCodes,
    shadow: ['GET /api/v2/debug/config', 'GET /openapi.json'],
  };
}
