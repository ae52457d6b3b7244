import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../core/context.js';
import { collectInputs } from './inputs.js';

interface Parts { query?: [string, string[]][]; body?: unknown; headers?: Record<string, string>; xmlBody?: string }

function inputsOf(parts: Parts): { kind: string; value: string; location: string; name: string | undefined }[] {
  const body: RequestContext['body'] = parts.xmlBody !== undefined
    ? { bytes: Buffer.from(parts.xmlBody), mediaType: 'application/xml', value: undefined, decoded: false }
    : parts.body === undefined ? undefined : { bytes: Buffer.alloc(0), mediaType: 'application/json', value: parts.body, decoded: true };
  const ctx = {
    id: 'r', receivedAt: 0, method: 'POST', path: '/', rawQuery: null, query: parts.query ? new Map(parts.query) : undefined, headers: parts.headers ?? {}, clientIp: '127.0.0.1',
    route: undefined, principal: { id: 'ip:127.0.0.1', kind: 'anonymous', roles: [], scopes: [] }, body, flagged: [], modified: [],
  } as unknown as RequestContext;
  return collectInputs(ctx).map((i) => ({ kind: i.kind, value: i.value, location: i.location, name: i.name }));
}

const DOC = '<?xml version="1.0"?><root><a probe="alias x=env&amp;x whoami">text &lt;b&gt;</a></root>';

describe('collectInputs: an XML document inside a value', () => {
  it('reads its text, attribute values and names like an XML body, with the holding value kept and located under it', () => {
    const got = inputsOf({ body: { comment: DOC } });
    expect(got[0]).toMatchObject({ kind: 'body-key' });
    expect(got).toContainEqual({ kind: 'body', value: DOC, location: 'body/comment', name: 'comment' });
    // Entities undone as an XML parser undoes them; names take the key kind.
    expect(got).toContainEqual({ kind: 'body', value: 'alias x=env&x whoami', location: 'body/comment/root/a/@probe', name: 'probe' });
    expect(got).toContainEqual({ kind: 'body', value: 'text <b>', location: 'body/comment/root/a', name: 'a' });
    expect(got).toContainEqual(expect.objectContaining({ kind: 'body-key', value: 'probe' }));
  });

  it('in query values, headers and after leading blanks or a byte-order mark too', () => {
    expect(inputsOf({ query: [['q', [DOC]]] })).toContainEqual(expect.objectContaining({ kind: 'query', value: 'alias x=env&x whoami', location: 'query.q/root/a/@probe' }));
    expect(inputsOf({ query: [['q', [DOC]]] })).toContainEqual(expect.objectContaining({ kind: 'query-key', value: 'probe' }));
    expect(inputsOf({ headers: { 'x-payload': `\n  ${DOC}` } })).toContainEqual(expect.objectContaining({ kind: 'header', value: 'alias x=env&x whoami' }));
    expect(inputsOf({ body: { c: `\ufeff${DOC.replace('<?xml version', '<?XML  version')}` } })).toContainEqual(expect.objectContaining({ value: 'alias x=env&x whoami' }));
  });

  it('leaves markup without an XML declaration, a declaration later in the value, and member names alone', () => {
    for (const value of ['<root><a probe="whoami"></a></root>', '<p title="a|b">Tom &amp; Jerry</p>', 'see <?xml version="1.0"?><a b="c"/>', '<?xml-stylesheet href="s.css"?><a b="c"/>', '<?xmlfoo?>']) {
      expect(inputsOf({ body: { c: value } }), value).toHaveLength(2);
    }
    expect(inputsOf({ body: { [DOC]: 1 } })).toEqual([{ kind: 'body-key', value: DOC, location: 'body-key/', name: undefined }]);
  });

  it('reads one level: a document inside a document, or inside an XML body\'s values, is the XXE detector\'s', () => {
    const inner = '<?xml version="1.0"?><i x="deep"/>';
    const nested = `<?xml version="1.0"?><o><![CDATA[${inner}]]></o>`;
    expect(inputsOf({ body: { c: nested } }).map((i) => i.value)).toEqual(['c', nested, 'o', inner]);
    const body = inputsOf({ xmlBody: nested });
    expect(body.map((i) => i.kind)).toEqual(['document', 'body-key', 'body']);
    expect(body.map((i) => i.value)).toEqual([nested, 'o', inner]);
  });

  it('stays within the bound on inputs per request', () => {
    const big = `<?xml version="1.0"?><r>${'<a v="x"/>'.repeat(3000)}</r>`;
    expect(inputsOf({ body: { c: big } })).toHaveLength(2_000);
  });
});
