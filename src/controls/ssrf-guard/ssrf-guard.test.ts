import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import type { RequestContext } from '../../core/context.js';
import type { Verdict } from '../../core/verdict.js';
import { compileSpec } from '../../openapi/compile.js';
import type { JsonObject } from '../../openapi/load.js';
import { isUrlName, ssrfGuard } from './index.js';

const doc = {
  openapi: '3.1.0', info: { title: 't', version: '1' },
  paths: {
    '/things': {
      post: {
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { feed: { type: 'string', format: 'uri' }, comment: { type: 'string' }, pic: { type: 'string' } } } } } },
        responses: { 201: { description: 'ok' } },
      },
    },
  },
} as unknown as JsonObject;
const op = compileSpec({ file: 'inline.yaml', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: false }).operations[0]!;

async function run(body: Record<string, unknown>, validated = true): Promise<Verdict> {
  const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }] }, { baseDir: '/' });
  const ctx: RequestContext = {
    id: 'r', receivedAt: 0, method: 'POST', path: '/things', rawQuery: null, query: undefined, headers: {}, clientIp: '127.0.0.1',
    route: { upstream: 'u', item: undefined, operation: op, rawParams: {} },
    principal: { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] },
    body: { bytes: Buffer.alloc(0), mediaType: 'application/json', value: body, decoded: true },
    flagged: [], modified: [],
  };
  if (validated) ctx.validated = { params: true, bodyMedia: 'application/json' };
  const control = await ssrfGuard.create({ config } as never);
  return control.evaluate(ctx, 'requestBody');
}

describe('SSRF guard scope', () => {
  it('judges URL-valued inputs in full: by the contract (format: uri) or by name', async () => {
    expect(await run({ feed: 'http://169.254.169.254/latest/meta-data/' })).toMatchObject({ kind: 'block', evidence: { location: 'body/feed' } });
    expect(await run({ feed: 'wss://example.com/socket' })).toMatchObject({ kind: 'block', evidence: { reason: 'scheme wss not allowed' } });
    expect(await run({ imageUrl: 'http://localhost:8080/admin' })).toMatchObject({ kind: 'block', evidence: { location: 'body/imageUrl' } });
    expect(await run({ callback_url: 'http://user@example.com/' })).toMatchObject({ kind: 'block', evidence: { reason: 'userinfo in the URL' } });
    // A public address written literally needs no lookup and passes.
    expect(await run({ feed: 'https://93.184.216.34/logo.png' })).toEqual({ kind: 'pass' });
  });

  it('judges free text only as a whole-value URL with a fetching scheme or a literal inward address, and resolves no name', async () => {
    expect(await run({ comment: 'gid://shopify/Product/8812' })).toEqual({ kind: 'pass' });
    expect(await run({ comment: 'wss://example.com/socket' })).toEqual({ kind: 'pass' });
    expect(await run({ comment: 'see http://127.0.0.1/ for details' })).toEqual({ kind: 'pass' });
    expect(await run({ comment: 'file:///etc/passwd' })).toMatchObject({ kind: 'block', evidence: { reason: 'scheme file not allowed' } });
    expect(await run({ comment: 'http://2130706433/' })).toMatchObject({ kind: 'block', evidence: { reason: 'loopback address' } });
    expect(await run({ pic: 'http://[::ffff:169.254.169.254]/' })).toMatchObject({ kind: 'block' });
  });

  it('reads literal hosts of any scheme the way non-browser clients do, in free text too', async () => {
    expect(await run({ comment: 'ssh://0177.0.0.1/' })).toMatchObject({ kind: 'block', evidence: { reason: 'loopback address' } });
    expect(await run({ comment: 'redis://10.0.3.4:6379' })).toMatchObject({ kind: 'block', evidence: { reason: 'private address' } });
    expect(await run({ comment: 'http://7147006462/' })).toMatchObject({ kind: 'block', evidence: { reason: expect.stringContaining('169.254.169.254') as unknown } });
    expect(await run({ comment: 'http://[fe80::1%25eth0]/' })).toMatchObject({ kind: 'block', evidence: { reason: 'link-local address' } });
    expect(await run({ comment: 'http://[::a9fe:a9fe]/' })).toMatchObject({ kind: 'block', evidence: { reason: 'metadata address' } });
    expect(await run({ comment: 'ssh://git@github.com/org/repo.git' })).toEqual({ kind: 'pass' });
    expect(await run({ comment: 'ssh://203.0.114.9' })).toEqual({ kind: 'pass' });
  });

  it('refuses a whole value naming an inward host without a scheme, and in URL-valued inputs an inward address with a path', async () => {
    for (const comment of ['localhost/', 'LOCALHOST/', 'localhost4:8080/admin', 'ip6-loopback/', 'host.docker.internal/', 'kubernetes.default.svc.cluster.local/',
      'metadata.google.internal/computeMetadata/v1/', 'lvh.me/', 'app.localtest.me:3000/']) {
      expect(await run({ comment }), comment).toMatchObject({ kind: 'block', evidence: { location: 'body/comment' } });
    }
    expect(await run({ imageUrl: '169.254.169.254/latest/meta-data/' })).toMatchObject({ kind: 'block', evidence: { reason: 'metadata host without a scheme' } });
    expect(await run({ feed: '10.0.0.5:6379/' })).toMatchObject({ kind: 'block' });
    // Prose, relative paths, file names, CIDR blocks and bare addresses are not fetch targets.
    for (const v of ['run it on localhost first', 'images/cat.png', 'notes.txt', 'my-localhost-notes', 'local/branch', 'internal']) {
      expect(await run({ comment: v, imageUrl: v }), v).toEqual({ kind: 'pass' });
    }
    expect(await run({ comment: 'localhost' })).toEqual({ kind: 'pass' });
    expect(await run({ imageUrl: 'localhost' })).toMatchObject({ kind: 'block', evidence: { reason: 'loopback host without a scheme' } });
    for (const v of ['10.0.0.0/8', '192.168.1.1', '127.0.0.1']) expect(await run({ feed: v }), v).toEqual({ kind: 'pass' });
    expect(await run({ comment: '169.254.169.254/latest/meta-data/' })).toEqual({ kind: 'pass' });
  });

  it('judges the values of an XML document carried in a field as values of their own', async () => {
    const doc = (attr: string, text = 'x'): string => `<?xml version="1.0"?><root><a probe="${attr}">${text}</a></root>`;
    expect(await run({ comment: doc('http://169.254.169.254/computeMetadata/v1/') })).toMatchObject({ kind: 'block', evidence: { location: 'body/comment/root/a/@probe', reason: 'metadata address' } });
    expect(await run({ comment: doc('x', 'localhost/') })).toMatchObject({ kind: 'block', evidence: { location: 'body/comment/root/a' } });
    // The same markup without the XML declaration is not read as a document.
    expect(await run({ comment: doc('x', 'localhost/').replace('<?xml version="1.0"?>', '') })).toEqual({ kind: 'pass' });
    expect(await run({ comment: '<?xml version="1.0"?><cfg xmlns="urn:example:cfg" id="7"><host>db</host><note>run it on localhost first</note><path>images/cat.png</path></cfg>' })).toEqual({ kind: 'pass' });
  });

  it('reads URL-ish names at case changes and separators', () => {
    for (const n of ['imageUrl', 'callback_url', 'webhook', 'Avatar', 'redirect-endpoint', 'AvatarURL', 'src', 'items[0][href]']) expect(isUrlName(n), n).toBe(true);
    for (const n of ['comment', 'curl', 'urlencoded2', 'description', 'hookah', 'next', 'imager']) expect(isUrlName(n), n).toBe(false);
  });
});
