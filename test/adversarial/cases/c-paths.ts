/**
 * Catalogue §2 C — path normalisation and routing, rows C1–C11.
 * Policy ([R]): reject raw bytes outside RFC 3986, bad `%`, encoded `/` `\` NUL, `;` in segments;
 * decode unreserved, upper-case hex, remove dot segments, merge `//`; match case-sensitively;
 * forward the canonical path; undeclared → 404.
 * Rows without a token prove the route the gateway chose (canonical /admin → 401, undeclared → 404);
 * rows with the admin token (`…z`) prove the canonical path is what reaches the upstream.
 */
import type { AdversarialCase } from '../harness/case.js';

const get = (target: string, auth = ''): string => `GET ${target} HTTP/1.1\r\n{{H}}${auth}\r\n`;
const none = { count: 0 };

export const pathCases: AdversarialCase[] = [
  { id: 'C0a', title: 'control: GET /admin without a token', bytes: get('/admin'), expect: { status: 401 }, upstream: none },
  { id: 'C0b', title: 'control: GET /admin with the admin token', bytes: get('/admin', '{{Z}}'), expect: { status: 200 }, upstream: { count: 1, target: '/admin' } },
  { id: 'C0c', title: 'control: GET /admin with a user token', bytes: get('/admin', '{{U}}'), expect: { status: 403 }, upstream: none },
  { id: 'C0d', title: 'control: GET /users/1 with the user token', bytes: get('/users/1', '{{U}}'), expect: { status: 200 }, upstream: { count: 1, target: '/users/1' } },
  { id: 'C0e', title: 'control: undeclared /nope', bytes: get('/nope'), expect: { status: 404 }, upstream: none },

  { id: 'C1a', title: '/public/../admin', source: 'Envoy CVE-2019-9901', bytes: get('/public/../admin'), expect: { status: 401 }, upstream: none },
  { id: 'C1b', title: '/./admin', bytes: get('/./admin'), expect: { status: 401 }, upstream: none },
  { id: 'C1c', title: '/users/1/../../admin', bytes: get('/users/1/../../admin'), expect: { status: 401 }, upstream: none },
  { id: 'C1z', title: '/public/../admin with the admin token forwards /admin', bytes: get('/public/../admin', '{{Z}}'), expect: { status: 200 }, upstream: { count: 1, target: '/admin' } },

  { id: 'C2a', title: '/public/%2e%2e/admin', bytes: get('/public/%2e%2e/admin'), expect: { status: 401 }, upstream: none },
  { id: 'C2b', title: '/public/.%2e/admin', bytes: get('/public/.%2e/admin'), expect: { status: 401 }, upstream: none },
  { id: 'C2c', title: '/public/%2E%2E/admin', bytes: get('/public/%2E%2E/admin'), expect: { status: 401 }, upstream: none },
  { id: 'C2z', title: '/public/%2e%2e/admin with the admin token forwards /admin', bytes: get('/public/%2e%2e/admin', '{{Z}}'), expect: { status: 200 }, upstream: { count: 1, target: '/admin' } },

  { id: 'C3a', title: '/public%2f..%2fadmin (encoded slash)', source: 'CVE-2021-29492', bytes: get('/public%2f..%2fadmin'), expect: { status: 400 }, upstream: none },
  { id: 'C3b', title: '/public/..%2fadmin', bytes: get('/public/..%2fadmin'), expect: { status: 400 }, upstream: none },
  { id: 'C3c', title: '/users/1%2f..%2f..%2fadmin', bytes: get('/users/1%2f..%2f..%2fadmin', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'C3d', title: '/a/%2F%2f/c', source: 'Traefik CVE-2025-66490', bytes: get('/a/%2F%2f/c'), expect: { status: 400 }, upstream: none },

  { id: 'C4a', title: 'G: /public/..%5cadmin (encoded backslash)', bytes: get('/public/..%5cadmin'), expect: { status: 400 }, upstream: none },
  { id: 'C4b', title: 'G: raw /public\\..\\admin', bytes: get('/public\\..\\admin'), expect: { status: 400 }, upstream: none },
  { id: 'C4c', title: 'G: raw /public/..\\admin', bytes: get('/public/..\\admin'), expect: { status: 400 }, upstream: none },

  { id: 'C5a', title: 'double encoding /public/%252e%252e/admin decodes once', source: 'Symfony CVE-2012-6431', bytes: get('/public/%252e%252e/admin', '{{Z}}'), expect: { status: 404 }, upstream: none },
  { id: 'C5b', title: 'double encoding /%2561dmin decodes once', bytes: get('/%2561dmin', '{{Z}}'), expect: { status: 404 }, upstream: none },

  { id: 'C6a', title: 'overlong UTF-8 dots /public/%c0%ae%c0%ae/admin', bytes: get('/public/%c0%ae%c0%ae/admin'), expect: { status: 400 }, upstream: none },
  { id: 'C6b', title: 'overlong UTF-8 slash /%c0%af', bytes: get('/%c0%af'), expect: { status: 400 }, upstream: none },

  { id: 'C7a', title: 'G: //admin is merged, never authority "admin"', source: 'Istio CVE-2021-31920', bytes: get('//admin'), expect: { status: [401, 400] }, upstream: none },
  { id: 'C7b', title: 'G: ///admin', bytes: get('///admin'), expect: { status: [401, 400] }, upstream: none },
  { id: 'C7c', title: 'G: /public//admin merges to /public/admin (undeclared)', source: 'APISIX CVE-2021-43557', bytes: get('/public//admin'), expect: { status: [404, 400] }, upstream: none },
  { id: 'C7z', title: 'G: //admin with the admin token forwards /admin', source: 'OPA-Envoy CVE-2026-26205', bytes: get('//admin', '{{Z}}'), expect: { status: [200, 400] }, upstream: { target: '/admin' } },
  { id: 'C7u', title: 'G: //admin with a user token is still admin-checked', bytes: get('//admin', '{{U}}'), expect: { status: [403, 400] }, upstream: none },

  { id: 'C8a', title: 'G: //evil.example/users/1 (SSRF: upstream stays the configured one)', bytes: get('//evil.example/users/1', '{{U}}'), expect: { status: [400, 404] }, upstream: none },
  { id: 'C8b', title: 'G: /\\evil.example/users/1', bytes: get('/\\evil.example/users/1', '{{U}}'), expect: { status: [400, 404] }, upstream: none },

  { id: 'C9a', title: '/admin;jsessionid=x', source: 'APISIX servlet rules', bytes: get('/admin;jsessionid=x'), expect: { status: 400 }, upstream: none },
  { id: 'C9b', title: '/admin..;/', bytes: get('/admin..;/'), expect: { status: 400 }, upstream: none },
  { id: 'C9c', title: '/public/..;/admin', bytes: get('/public/..;/admin'), expect: { status: 400 }, upstream: none },
  { id: 'C9d', title: '/users/..;foo=bar/admin', bytes: get('/users/..;foo=bar/admin'), expect: { status: 400 }, upstream: none },
  { id: 'C9e', title: '/;/admin', bytes: get('/;/admin'), expect: { status: 400 }, upstream: none },
  { id: 'C9f', title: '/.;/admin', bytes: get('/.;/admin'), expect: { status: 400 }, upstream: none },

  { id: 'C10a', title: '/admin/', bytes: get('/admin/'), expect: { status: [404, 401] }, upstream: none },
  { id: 'C10b', title: '/admin/.', bytes: get('/admin/.'), expect: { status: [404, 401] }, upstream: none },
  { id: 'C10c', title: '/admin.', bytes: get('/admin.'), expect: { status: [404, 401] }, upstream: none },
  { id: 'C10d', title: '/admin.json', bytes: get('/admin.json'), expect: { status: [404, 401] }, upstream: none },
  { id: 'C10e', title: '/admin%20', bytes: get('/admin%20'), expect: { status: [404, 401] }, upstream: none },
  // The catalogue allows 404/401; our path policy (§3: no control characters, even encoded) is
  // stricter and refuses it outright, which still never forwards it without the admin check.
  { id: 'C10f', title: '/admin%09', bytes: get('/admin%09'), expect: { status: [400, 404, 401] }, upstream: none },
  // The same look-alikes with a non-admin token: never forwarded without the admin check.
  { id: 'C10g', title: '/admin/ with a user token', bytes: get('/admin/', '{{U}}'), expect: { status: [404, 403] }, upstream: none },
  { id: 'C10h', title: '/admin/. with a user token', bytes: get('/admin/.', '{{U}}'), expect: { status: [404, 403] }, upstream: none },
  { id: 'C10i', title: '/admin.json with a user token', bytes: get('/admin.json', '{{U}}'), expect: { status: [404, 403] }, upstream: none },
  { id: 'C10j', title: '/admin%20 with a user token', bytes: get('/admin%20', '{{U}}'), expect: { status: [404, 403] }, upstream: none },

  { id: 'C11a', title: '/ADMIN is a different (undeclared) path', bytes: get('/ADMIN'), expect: { status: 404 }, upstream: none },
  { id: 'C11b', title: '/Admin', bytes: get('/Admin'), expect: { status: 404 }, upstream: none },
  { id: 'C11c', title: '/adm%69n decodes to /admin', bytes: get('/adm%69n'), expect: { status: 401 }, upstream: none },
  { id: 'C11d', title: '/%61dmin decodes to /admin', bytes: get('/%61dmin'), expect: { status: 401 }, upstream: none },
  { id: 'C11y', title: '/adm%69n with the admin token forwards /admin', bytes: get('/adm%69n', '{{Z}}'), expect: { status: 200 }, upstream: { count: 1, target: '/admin' } },
  { id: 'C11z', title: '/%61dmin with the admin token forwards /admin', bytes: get('/%61dmin', '{{Z}}'), expect: { status: 200 }, upstream: { count: 1, target: '/admin' } },
];
