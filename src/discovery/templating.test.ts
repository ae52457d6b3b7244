import { describe, expect, it } from 'vitest';
import { PathTemplater, templatePaths, type PathObservation } from './templating.js';
import { hex, objectId, POST_SLUGS, PRODUCT_SLUGS, range, token, USER_NAMES, uuid } from './fixtures.js';

/**
 * Observed paths → the exact set of templates expected. Parameter names are part of each
 * template; `confidence` bounds a template's confidence ([min, max]).
 */
interface Case {
  name: string;
  paths: Array<string | PathObservation>;
  expect: string[];
  confidence?: Record<string, [number, number]>;
}

const ints = (n: number, prefix: string, suffix = '', start = 100) => range(n, (i) => `${prefix}${start + i * 37}${suffix}`);

const CASES: Case[] = [
  // Basics
  { name: 'empty input', paths: [], expect: [] },
  { name: 'root only', paths: ['/'], expect: ['/'] },
  { name: 'one literal path', paths: ['/health'], expect: ['/health'] },
  { name: 'literal paths stay literal', paths: ['/health', '/metrics', '/ready'], expect: ['/health', '/metrics', '/ready'] },
  { name: 'duplicates collapse', paths: ['/health', '/health', '/health'], expect: ['/health'] },

  // Integers
  { name: 'a lone integer is an id', paths: ['/orders/8812'], expect: ['/orders/{orderId}'], confidence: { '/orders/{orderId}': [0.6, 0.8] } },
  { name: 'many integers', paths: ints(50, '/orders/'), expect: ['/orders/{orderId}'], confidence: { '/orders/{orderId}': [0.9, 1] } },
  { name: 'nested ids', paths: range(10, (i) => `/orders/${8800 + i}/items/${i + 1}`), expect: ['/orders/{orderId}/items/{itemId}'], confidence: { '/orders/{orderId}/items/{itemId}': [0.85, 1] } },
  { name: 'the example from the issue', paths: ['/orders/8812/items/3'], expect: ['/orders/{orderId}/items/{itemId}'] },
  { name: 'collection and item', paths: ['/orders', ...ints(5, '/orders/')], expect: ['/orders', '/orders/{orderId}'] },
  { name: 'id in mid-path', paths: ints(6, '/orders/', '/cancel'), expect: ['/orders/{orderId}/cancel'] },
  { name: 'two ids mid-path', paths: range(5, (i) => `/accounts/${i + 1}/invoices/${i * 7 + 3}/pdf`), expect: ['/accounts/{accountId}/invoices/{invoiceId}/pdf'] },
  { name: 'cardinality counts across merged parents', paths: ['/users/1/orders/5', '/users/2/orders/6'], expect: ['/users/{userId}/orders/{orderId}'] },
  { name: 'root-level integer falls back to id', paths: ['/8812'], expect: ['/{id}'] },
  { name: 'two parameters in a row: id, id2', paths: ['/42/7'], expect: ['/{id}/{id2}'] },
  { name: 'parameter after a parameter', paths: ['/users/42/7'], expect: ['/users/{userId}/{id}'] },
  { name: 'same name twice in one template is de-duplicated', paths: ['/users/1/users/2'], expect: ['/users/{userId}/users/{userId2}'] },
  { name: 'integer after /api', paths: ints(4, '/api/users/'), expect: ['/api/users/{userId}'] },
  { name: 'large integers', paths: ['/tweets/1790000000000000001', '/tweets/1790000000000000002'], expect: ['/tweets/{tweetId}'] },

  // Names from context
  { name: 'categories → categoryId', paths: ['/categories/7'], expect: ['/categories/{categoryId}'] },
  { name: 'people → personId', paths: ['/people/7'], expect: ['/people/{personId}'] },
  { name: 'addresses → addressId', paths: ['/addresses/7'], expect: ['/addresses/{addressId}'] },
  { name: 'status is not mangled', paths: ['/status/503'], expect: ['/status/{statusId}'] },
  { name: 'statuses → statusId', paths: ['/statuses/12'], expect: ['/statuses/{statusId}'] },
  { name: 'children → childId', paths: ['/children/3'], expect: ['/children/{childId}'] },
  { name: 'boxes → boxId', paths: ['/boxes/3'], expect: ['/boxes/{boxId}'] },
  { name: 'matches → matchId', paths: ['/matches/3'], expect: ['/matches/{matchId}'] },
  { name: 'companies → companyId', paths: ['/companies/3'], expect: ['/companies/{companyId}'] },
  { name: 'movies → movieId', paths: ['/movies/3'], expect: ['/movies/{movieId}'] },
  { name: 'analyses → analysisId', paths: ['/analyses/3'], expect: ['/analyses/{analysisId}'] },
  { name: 'news stays news', paths: ['/news/3'], expect: ['/news/{newsId}'] },
  { name: 'singular context kept', paths: ['/cart/3'], expect: ['/cart/{cartId}'] },
  { name: 'kebab-case context', paths: ['/order-items/5'], expect: ['/order-items/{orderItemId}'] },
  { name: 'snake_case context', paths: ['/line_items/5'], expect: ['/line_items/{lineItemId}'] },
  { name: 'camelCase context', paths: ['/userProfiles/5'], expect: ['/userProfiles/{userProfileId}'] },
  { name: 'by-id context', paths: ['/users/by-id/42'], expect: ['/users/by-id/{id}'] },
  { name: 'no name from a version', paths: ['/v1/42'], expect: ['/v1/{id}'] },
  { name: 'no name from a digit-led literal', paths: ['/2fa/42'], expect: ['/2fa/{id}'] },

  // UUIDs, hashes, ObjectIds
  { name: 'uuid v4', paths: range(20, (i) => `/sessions/${uuid(i)}`), expect: ['/sessions/{sessionId}'], confidence: { '/sessions/{sessionId}': [0.95, 1] } },
  { name: 'lone uuid v1', paths: ['/devices/6ba7b810-9dad-11d1-80b4-00c04fd430c8'], expect: ['/devices/{deviceId}'], confidence: { '/devices/{deviceId}': [0.9, 0.97] } },
  { name: 'uuid v7 and upper case', paths: ['/jobs/018f3e1c-7b2a-7c3d-9e4f-0a1b2c3d4e5f', '/jobs/550E8400-E29B-41D4-A716-446655440000'], expect: ['/jobs/{jobId}'] },
  { name: 'nil uuid', paths: ['/tenants/00000000-0000-0000-0000-000000000000'], expect: ['/tenants/{tenantId}'] },
  { name: 'uuid mid-path', paths: range(3, (i) => `/projects/${uuid(i)}/members`), expect: ['/projects/{projectId}/members'] },
  { name: 'md5', paths: ['/blobs/5f4dcc3b5aa765d61d8327deb882cf99'], expect: ['/blobs/{blobId}'] },
  { name: 'sha1', paths: range(4, (i) => `/commits/${hex(i, 40)}`), expect: ['/commits/{commitId}'] },
  { name: 'sha256', paths: range(4, (i) => `/artifacts/${hex(i, 64)}/download`), expect: ['/artifacts/{artifactId}/download'] },
  { name: 'long hex in general', paths: [`/keys/${hex(3, 128)}`], expect: ['/keys/{keyId}'] },
  { name: 'short hex with digits', paths: ['/builds/beef1234'], expect: ['/builds/{buildId}'] },
  { name: 'hex-letter words stay literal', paths: ['/design/facade', '/food/cafe'], expect: ['/design/facade', '/food/cafe'] },
  { name: 'ObjectIds', paths: range(5, (i) => `/posts/${objectId(i)}`), expect: ['/posts/{postId}'] },
  { name: 'ObjectId and comments', paths: range(3, (i) => `/posts/${objectId(i)}/comments/${objectId(i + 50)}`), expect: ['/posts/{postId}/comments/{commentId}'] },
  { name: 'integers and uuids at one position', paths: ['/items/1', '/items/2', '/items/3', `/items/${uuid(1)}`], expect: ['/items/{itemId}'], confidence: { '/items/{itemId}': [0.5, 0.95] } },

  // Dates
  { name: 'dashed dates', paths: ['/reports/daily/2024-05-01', '/reports/daily/2024-05-02'], expect: ['/reports/daily/{date}'] },
  { name: 'compact date alone', paths: ['/archive/20240501'], expect: ['/archive/{date}'] },
  { name: 'month', paths: ['/calendar/2024-05'], expect: ['/calendar/{date}'] },
  { name: 'date-time', paths: ['/events/2024-05-01T10:00:00Z'], expect: ['/events/{date}'] },
  { name: 'date then id', paths: ['/logs/2024-05-01/17', '/logs/2024-05-02/18'], expect: ['/logs/{date}/{id}'] },
  { name: 'impossible date alone stays literal', paths: ['/reports/2024-13-45'], expect: ['/reports/2024-13-45'] },
  { name: 'two dates in one path', paths: ['/range/2024-01-01/2024-01-31'], expect: ['/range/{date}/{date2}'] },

  // E-mails
  { name: 'lone e-mail', paths: ['/users/jane.doe@example.com'], expect: ['/users/{email}'] },
  { name: 'percent-encoded e-mail', paths: ['/users/jane%40example.com'], expect: ['/users/{email}'] },
  { name: 'many e-mails', paths: range(12, (i) => `/subscribers/user${i}+news@example.org`), expect: ['/subscribers/{email}'], confidence: { '/subscribers/{email}': [0.95, 1] } },
  { name: 'e-mail lookup route', paths: ['/users/by-email/a@b.io', '/users/by-email/c@d.io'], expect: ['/users/by-email/{email}'] },

  // Tokens and codes
  { name: 'reset token', paths: [`/password-reset/${token(1, 43)}`], expect: ['/password-reset/{passwordResetId}'] },
  { name: 'JWT in a path', paths: ['/magic-link/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_abc-123'], expect: ['/magic-link/{magicLinkId}'] },
  { name: 'nanoid ids', paths: range(10, (i) => `/links/${token(i, 21)}`), expect: ['/links/{linkId}'] },
  { name: 'video ids', paths: ['/videos/dQw4w9WgXcQ', '/videos/9bZkp7q19f0'], expect: ['/videos/{videoId}'] },
  { name: 'invoice codes', paths: ['/invoices/INV-00042', '/invoices/INV-00043'], expect: ['/invoices/{invoiceId}'] },
  { name: 'CPU ids', paths: ['/cpus/0', '/cpus/1'], expect: ['/cpus/{cpuId}'] },
  { name: 'SKU codes', paths: range(5, (i) => `/skus/SKU${1000 + i}`), expect: ['/skus/{skuId}'] },
  { name: 'one enormous token segment', paths: [`/blobs/${token(9, 8000)}`], expect: ['/blobs/{blobId}'] },

  // Slugs vs words
  { name: 'a lone slug stays literal', paths: ['/posts/my-first-post'], expect: ['/posts/my-first-post'] },
  { name: 'many post slugs', paths: POST_SLUGS.map((s) => `/posts/${s}`), expect: ['/posts/{postSlug}'] },
  { name: 'many product slugs', paths: PRODUCT_SLUGS.map((s) => `/products/${s}`), expect: ['/products/{productSlug}'] },
  { name: 'product slugs with reviews', paths: PRODUCT_SLUGS.map((s) => `/products/${s}/reviews`), expect: ['/products/{productSlug}/reviews'] },
  { name: 'few slugs stay literal', paths: PRODUCT_SLUGS.slice(0, 5).map((s) => `/products/${s}`), expect: PRODUCT_SLUGS.slice(0, 5).map((s) => `/products/${s}`).sort() },
  { name: 'dictionary words stay literal', paths: ['/account/settings', '/account/profile', '/account/search'], expect: ['/account/profile', '/account/search', '/account/settings'] },
  { name: 'many user names', paths: USER_NAMES.slice(0, 15).map((u) => `/users/${u}`), expect: ['/users/{userName}'] },
  { name: 'user names beside route words', paths: [...USER_NAMES.slice(0, 15).map((u) => `/users/${u}`), '/users/me', '/users/search', '/users/settings'], expect: ['/users/me', '/users/search', '/users/settings', '/users/{userName}'] },
  { name: 'user names with repos', paths: USER_NAMES.slice(0, 12).map((u, i) => `/users/${u}/repos/${i}`), expect: ['/users/{userName}/repos/{repoId}'] },
  { name: 'threshold: ten names merge', paths: USER_NAMES.slice(0, 10).map((u) => `/users/${u}`), expect: ['/users/{userName}'] },
  { name: 'threshold: nine names stay literal', paths: USER_NAMES.slice(0, 9).map((u) => `/users/${u}`), expect: USER_NAMES.slice(0, 9).map((u) => `/users/${u}`).sort() },
  { name: 'route words outnumber the names', paths: [...USER_NAMES.slice(0, 10), 'me', 'search', 'settings', 'profile', 'new', 'count'].map((u) => `/people/${u}`), expect: [...USER_NAMES.slice(0, 10), 'me', 'search', 'settings', 'profile', 'new', 'count'].map((u) => `/people/${u}`).sort() },
  { name: 'tag words', paths: ['java', 'kotlin', 'swift', 'ruby', 'elixir', 'haskell', 'scala', 'perl', 'lua', 'dart', 'julia', 'ocaml'].map((t) => `/tags/${t}`), expect: ['/tags/{tagName}'] },
  { name: 'names mixed with a few ids', paths: [...USER_NAMES.slice(0, 12).map((u) => `/users/${u}`), '/users/1', '/users/2'], expect: ['/users/{userName}'] },
  { name: 'unicode words', paths: ['café', 'naïve', 'über', 'jalapeño', 'smörgåsbord', 'crème', 'façade', 'piñata', 'doppelgänger', 'fiancé'].map((t) => `/tags/${encodeURIComponent(t)}`), expect: ['/tags/{tagName}'] },
  { name: 'encoded spaces', paths: range(10, (i) => `/tags/hello%20world%20${String.fromCharCode(97 + i)}`), expect: ['/tags/{tagName}'] },

  // Literal siblings beside a parameter
  { name: '/users/me beside ids', paths: ['/users/me', ...ints(5, '/users/')], expect: ['/users/me', '/users/{userId}'] },
  { name: '/users/search and /users/me beside ids', paths: ['/users/me', '/users/search', '/users/42', '/users/43'], expect: ['/users/me', '/users/search', '/users/{userId}'] },
  { name: 'me with a subtree', paths: ['/users/me/orders', '/users/42/orders', '/users/43/orders'], expect: ['/users/me/orders', '/users/{userId}/orders'] },
  { name: 'order states beside ids', paths: ['/orders/pending', '/orders/archived', ...ints(5, '/orders/')], expect: ['/orders/archived', '/orders/pending', '/orders/{orderId}'] },
  { name: 'an unknown word beside ids stays literal', paths: ['/orders/8812', '/orders/8813', '/orders/xyzzy'], expect: ['/orders/xyzzy', '/orders/{orderId}'] },
  { name: 'new beside ids at the second level', paths: ['/orders/1/items/new', '/orders/1/items/5', '/orders/2/items/6'], expect: ['/orders/{orderId}/items/new', '/orders/{orderId}/items/{itemId}'] },
  { name: 'actions under an id stay literal', paths: ['/orders/1/cancel', '/orders/2/refund', '/orders/3/ship'], expect: ['/orders/{orderId}/cancel', '/orders/{orderId}/refund', '/orders/{orderId}/ship'] },
  { name: 'sub-resources under an id', paths: ['/users/1/orders', '/users/1/addresses', '/users/2/payment-methods', '/users/2/wishlists', '/users/3/reviews'], expect: ['/users/{userId}/addresses', '/users/{userId}/orders', '/users/{userId}/payment-methods', '/users/{userId}/reviews', '/users/{userId}/wishlists'] },

  // Versions
  { name: 'v1 and v2 stay apart', paths: ['/v1/users/42', '/v2/users/42'], expect: ['/v1/users/{userId}', '/v2/users/{userId}'] },
  { name: 'dotted versions stay apart', paths: ['/api/2.0/orders/1', '/api/1.0/orders/2'], expect: ['/api/1.0/orders/{orderId}', '/api/2.0/orders/{orderId}'] },
  { name: 'twelve versions stay literal', paths: range(12, (i) => `/v${i + 1}/ping`), expect: range(12, (i) => `/v${i + 1}/ping`).sort() },
  { name: 'pre-release version', paths: ['/api/v1beta1/things', '/api/v1/things'], expect: ['/api/v1/things', '/api/v1beta1/things'] },
  { name: 'minor version', paths: ['/v1.2/ping'], expect: ['/v1.2/ping'] },
  { name: 'version after an id', paths: ['/projects/7/v2/builds', '/projects/8/v2/builds'], expect: ['/projects/{projectId}/v2/builds'] },
  { name: 'semantic version', paths: ['/sdk/1.4.2/download', '/sdk/1.5.0/download'], expect: ['/sdk/1.4.2/download', '/sdk/1.5.0/download'] },

  // Locales
  { name: 'a lone locale stays literal', paths: ['/en-us/help'], expect: ['/en-us/help'] },
  { name: 'two locales stay literal', paths: ['/en-us/help', '/fr-fr/help'], expect: ['/en-us/help', '/fr-fr/help'] },
  { name: 'three locales merge', paths: ['/en-us/help', '/fr-fr/help', '/de-de/help'], expect: ['/{locale}/help'] },
  { name: 'locales of every form', paths: ['/pt-BR/docs', '/zh-Hant/docs', '/es-419/docs', '/en/docs'], expect: ['/{locale}/docs'] },
  { name: 'version then locale', paths: ['/v1/en-us/docs'], expect: ['/v1/en-us/docs'] },
  { name: 'locale then ids', paths: ['/en/products/1', '/fr/products/2', '/de/products/3'], expect: ['/{locale}/products/{productId}'] },

  // Numeric-looking literals
  { name: '2fa', paths: ['/api/2fa/verify', '/api/2fa/setup'], expect: ['/api/2fa/setup', '/api/2fa/verify'] },
  { name: 'oauth2', paths: ['/oauth2/token', '/oauth2/authorize'], expect: ['/oauth2/authorize', '/oauth2/token'] },
  { name: 'html5', paths: ['/html5/games'], expect: ['/html5/games'] },
  { name: '3d-models', paths: ['/3d-models/list'], expect: ['/3d-models/list'] },
  { name: 's3 and ec2', paths: ['/aws/s3/buckets', '/aws/ec2/instances'], expect: ['/aws/ec2/instances', '/aws/s3/buckets'] },
  { name: 'x509 and sha256', paths: ['/certs/x509', '/hashes/sha256'], expect: ['/certs/x509', '/hashes/sha256'] },
  { name: 'i18n and k8s', paths: ['/i18n/strings', '/k8s/pods'], expect: ['/i18n/strings', '/k8s/pods'] },
  { name: 'HTTP2 upper case', paths: ['/proto/HTTP2'], expect: ['/proto/HTTP2'] },

  // Files
  { name: 'a lone file name stays literal', paths: ['/files/report-2024.pdf'], expect: ['/files/report-2024.pdf'] },
  { name: 'many file names', paths: range(12, (i) => `/files/report-${2000 + i}.pdf`), expect: ['/files/{fileName}'] },
  { name: 'static assets stay literal', paths: ['/static/app.js', '/static/app.css', '/static/logo.png'], expect: ['/static/app.css', '/static/app.js', '/static/logo.png'] },
  { name: 'spec documents stay literal', paths: ['/openapi.json', '/swagger.json', '/docs/index.html'], expect: ['/docs/index.html', '/openapi.json', '/swagger.json'] },
  { name: 'numbered images by cardinality', paths: range(12, (i) => `/images/${8800 + i}.png`), expect: ['/images/{imageName}'] },
  { name: 'domain names', paths: ['example.com', 'example.org', 'acme.io', 'foo.dev', 'bar.app', 'baz.net', 'qux.co', 'corge.tv', 'grault.fm', 'garply.ai'].map((d) => `/domains/${d}`), expect: ['/domains/{domainName}'] },

  // Route lists that look like many words
  { name: 'resources under /api', paths: ['users', 'orders', 'products', 'customers', 'invoices', 'payments', 'carts', 'teams', 'roles', 'projects', 'tasks', 'comments'].map((r) => `/api/${r}`), expect: ['users', 'orders', 'products', 'customers', 'invoices', 'payments', 'carts', 'teams', 'roles', 'projects', 'tasks', 'comments'].map((r) => `/api/${r}`).sort() },
  { name: 'unknown resources under /api', paths: ['widgets', 'gizmos', 'sprockets', 'doohickeys', 'thingamajigs', 'whatsits', 'gadgets', 'contraptions', 'trinkets', 'baubles', 'knickknacks', 'gewgaws'].map((r) => `/api/${r}`), expect: ['widgets', 'gizmos', 'sprockets', 'doohickeys', 'thingamajigs', 'whatsits', 'gadgets', 'contraptions', 'trinkets', 'baubles', 'knickknacks', 'gewgaws'].map((r) => `/api/${r}`).sort() },
  { name: 'unknown resources under a version', paths: ['widgets', 'gizmos', 'sprockets', 'doohickeys', 'thingamajigs', 'whatsits', 'gadgets', 'contraptions', 'trinkets', 'baubles', 'knickknacks'].map((r) => `/v3/${r}/1`), expect: ['widget', 'gizmo', 'sprocket', 'doohickey', 'thingamajig', 'whatsit', 'gadget', 'contraption', 'trinket', 'bauble', 'knickknack'].map((r) => `/v3/${r}s/{${r}Id}`).sort() },
  { name: 'root-level words stay literal below 30', paths: USER_NAMES.slice(0, 12).map((u) => `/${u}`), expect: USER_NAMES.slice(0, 12).map((u) => `/${u}`).sort() },
  { name: 'root-level user names from 30', paths: USER_NAMES.slice(0, 32).map((u) => `/${u}`), expect: ['/{name}'] },
  { name: 'well-known endpoints', paths: ['/.well-known/openid-configuration', '/.well-known/jwks.json', '/graphql', '/healthz', '/readyz'], expect: ['/.well-known/jwks.json', '/.well-known/openid-configuration', '/graphql', '/healthz', '/readyz'] },

  // Path forms
  { name: 'trailing slashes', paths: ['/users/42/', '/users/43'], expect: ['/users/{userId}'] },
  { name: 'double slashes', paths: ['/users//42'], expect: ['/users/{userId}'] },
  { name: 'dot segments', paths: ['/a/b/../users/42', '/a/./users/43'], expect: ['/a/users/{userId}'] },
  { name: 'query strings dropped', paths: ['/search?q=x', '/search?q=y&page=2'], expect: ['/search'] },
  { name: 'fragment dropped', paths: ['/docs#intro'], expect: ['/docs'] },
  { name: 'absolute URL', paths: ['https://api.example.com/orders/5?x=1', 'http://localhost:3000/orders/6'], expect: ['/orders/{orderId}'] },
  { name: 'percent-encoded literal keeps canonical form', paths: ['/caf%C3%A9/menu'], expect: ['/caf%C3%A9/menu'] },
  { name: 'lower-case escapes become upper-case', paths: ['/caf%c3%a9/menu'], expect: ['/caf%C3%A9/menu'] },
  { name: 'encoded unreserved characters decoded', paths: ['/%75sers/42'], expect: ['/users/{userId}'] },
  { name: 'braces in a literal are encoded', paths: ['/weird{x}/1'], expect: ['/weird%7Bx%7D/{id}'] },
  { name: 'bad escape kept, encoded', paths: ['/100%/x'], expect: ['/100%25/x'] },
  { name: 'not a path is skipped', paths: ['orders/1', ''], expect: [] },
  { name: 'one enormous path is skipped', paths: [`/${'a'.repeat(100_000)}`, '/ok'], expect: ['/ok'] },
  { name: 'too many segments is skipped', paths: ['/x'.repeat(1000), '/ok'], expect: ['/ok'] },
  { name: 'a deep path of ids', paths: [[...range(30, (i) => `/part${i}/${i}`), '/part0/7', '/part0/8'].join('')], expect: [[...range(30, (i) => `/part${i}/{part${i}Id}`), '/part0/{part0Id2}', '/part0/{part0Id3}'].join('')] },
  // Bounds
  { name: '10 000 distinct ids', paths: range(10_000, (i) => `/orders/${i + 1}`), expect: ['/orders/{orderId}'], confidence: { '/orders/{orderId}': [0.95, 1] } },
  { name: '10 000 ids with a subtree, then me', paths: [...range(10_000, (i) => `/orders/${i + 1}/items`), '/orders/me/items'], expect: ['/orders/me/items', '/orders/{orderId}/items'] },
  { name: '5 000 user names past the cap', paths: range(5_000, (i) => `/users/${USER_NAMES[i % USER_NAMES.length]}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)}${String.fromCharCode(97 + ((i / 676) | 0))}`), expect: ['/users/{userName}'] },
];

describe('templatePaths: table', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = templatePaths(c.paths);
    expect(r.templates.map((t) => t.template)).toEqual(c.expect);
    for (const [template, [lo, hi]] of Object.entries(c.confidence ?? {})) {
      const t = r.templates.find((x) => x.template === template)!;
      expect(t.confidence).toBeGreaterThanOrEqual(lo);
      expect(t.confidence).toBeLessThanOrEqual(hi);
    }
  });

  it('has at least 100 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
  });
});

describe('templatePaths: what is safe to print', () => {
  it('controls, spaces and bidi overrides in a literal are percent-encoded', () => {
    const r = templatePaths(['/a\x1b[31mred/x', '/b c', '/\u202egnp.exe']);
    expect(r.templates.map((t) => t.template)).toEqual(['/%E2%80%AEgnp.exe', '/a%1B[31mred/x', '/b%20c']);
  });

  it('PathTemplater: the same templates fed one at a time; a second result is the first', () => {
    const t = new PathTemplater();
    for (const p of range(12, (i) => `/orders/${i}`)) t.add(p);
    const r = t.result();
    expect(r.templates.map((x) => x.template)).toEqual(['/orders/{orderId}']);
    expect(t.result()).toBe(r);
    expect(() => t.add('/x')).toThrow(/after result/);
  });
});
