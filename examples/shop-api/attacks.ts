/**
 * The demo script: legitimate traffic mixed with attacks, each with what a gateway enforcing openapi.yaml
 * should do with it. `expect` describes the gateway, not the bare API: against the vulnerable API alone
 * every row "works". Rows with `needs` get `Authorization: Bearer <token>` for alice (user, id 1) or root
 * (admin) added by the runner. Paths are raw: send them without URL normalisation.
 */

export interface DemoRequest {
  name: string;
  /** `API1:2023`…`API10:2023`, or `none` for legitimate traffic. */
  owasp: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  needs?: 'user' | 'admin';
  expect: 'blocked' | 'allowed';
}

const JSON_CT = { 'content-type': 'application/json' };

export const demoRequests: DemoRequest[] = [
  // Legitimate traffic: must pass.
  { name: 'health check', owasp: 'none', method: 'GET', path: '/api/health', expect: 'allowed' },
  { name: 'log in as alice', owasp: 'none', method: 'POST', path: '/api/v2/auth/login', headers: JSON_CT, body: '{"username":"alice","password":"alice-pass-1"}', expect: 'allowed' },
  { name: 'list products', owasp: 'none', method: 'GET', path: '/api/v2/products?limit=10', expect: 'allowed' },
  { name: 'search products', owasp: 'none', method: 'GET', path: '/api/v2/products?q=mug', expect: 'allowed' },
  { name: 'get one product', owasp: 'none', method: 'GET', path: '/api/v2/products/2', expect: 'allowed' },
  { name: 'get my profile', owasp: 'none', method: 'GET', path: '/api/v2/users/me', needs: 'user', expect: 'allowed' },
  { name: 'get own user by id', owasp: 'none', method: 'GET', path: '/api/v2/users/1', needs: 'user', expect: 'allowed' },
  { name: 'update own display name', owasp: 'none', method: 'PUT', path: '/api/v2/users/1', headers: JSON_CT, body: '{"displayName":"Alice"}', needs: 'user', expect: 'allowed' },
  { name: 'add to cart', owasp: 'none', method: 'POST', path: '/api/v2/carts/me/items', headers: JSON_CT, body: '{"productId":1,"quantity":1}', needs: 'user', expect: 'allowed' },
  { name: 'place an order', owasp: 'none', method: 'POST', path: '/api/v2/orders', headers: JSON_CT, body: '{"items":[{"productId":1,"quantity":1}]}', needs: 'user', expect: 'allowed' },
  { name: 'list my orders', owasp: 'none', method: 'GET', path: '/api/v2/orders', needs: 'user', expect: 'allowed' },
  { name: 'admin lists users', owasp: 'none', method: 'GET', path: '/api/v2/admin/users', needs: 'admin', expect: 'allowed' },

  // Attacks a contract-enforcing gateway stops.
  { name: 'shadow endpoint not in the spec', owasp: 'API9:2023', method: 'GET', path: '/api/v2/debug/config', expect: 'blocked' },
  { name: 'deprecated v1 call without a token', owasp: 'API9:2023', method: 'GET', path: '/api/v1/users/2', expect: 'blocked' },
  { name: 'mass assignment of role and balance', owasp: 'API3:2023', method: 'PUT', path: '/api/v2/users/1', headers: JSON_CT, body: '{"role":"admin","balance":1000000}', needs: 'user', expect: 'blocked' },
  { name: 'undeclared JSON property (client-set price)', owasp: 'API3:2023', method: 'POST', path: '/api/v2/carts/me/items', headers: JSON_CT, body: '{"productId":1,"quantity":1,"price":0}', needs: 'user', expect: 'blocked' },
  { name: 'negative quantity', owasp: 'API6:2023', method: 'POST', path: '/api/v2/orders', headers: JSON_CT, body: '{"items":[{"productId":1,"quantity":-100}]}', needs: 'user', expect: 'blocked' },
  { name: 'wrong parameter type', owasp: 'API8:2023', method: 'GET', path: '/api/v2/users/abc', needs: 'user', expect: 'blocked' },
  { name: 'SQL injection in an integer path parameter', owasp: 'API8:2023', method: 'GET', path: '/api/v2/orders/1%20OR%201=1', needs: 'user', expect: 'blocked' },
  { name: 'SQL injection in search (pattern violation)', owasp: 'API8:2023', method: 'GET', path: "/api/v2/products?q='%20OR%201=1--", expect: 'blocked' },
  { name: 'path traversal in a path parameter', owasp: 'API8:2023', method: 'GET', path: '/api/v2/products/..%2F..%2F..%2Fetc%2Fpasswd', expect: 'blocked' },
  { name: 'oversized limit', owasp: 'API4:2023', method: 'GET', path: '/api/v2/products?limit=100000', expect: 'blocked' },
  { name: 'wrong content type', owasp: 'API8:2023', method: 'POST', path: '/api/v2/auth/login', headers: { 'content-type': 'text/plain' }, body: '{"username":"alice","password":"alice-pass-1"}', expect: 'blocked' },
  { name: 'BFLA: user calls an admin operation', owasp: 'API5:2023', method: 'GET', path: '/api/v2/admin/users', needs: 'user', expect: 'blocked' },
  { name: 'SSRF to a plain-http loopback URL', owasp: 'API7:2023', method: 'POST', path: '/api/v2/imports/image', headers: JSON_CT, body: '{"url":"http://127.0.0.1:9/"}', needs: 'user', expect: 'blocked' },

  // Valid per the contract: stopped by the ownership rules of the gateway's configuration.
  { name: 'BOLA: alice reads bob', owasp: 'API1:2023', method: 'GET', path: '/api/v2/users/2', needs: 'user', expect: 'blocked' },
  { name: "BOLA: alice reads bob's order", owasp: 'API1:2023', method: 'GET', path: '/api/v2/orders/2', needs: 'user', expect: 'blocked' },
];

/** Logs in and returns the bearer token; throws on anything but 200. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(new URL('/api/v2/auth/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { token?: unknown };
  if (res.status !== 200 || typeof body.token !== 'string') throw new Error(`login as ${username} failed: HTTP ${res.status}`);
  return body.token;
}
