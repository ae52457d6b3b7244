import { describe, expect, it } from 'vitest';
import { coerceParameter } from './coerce.js';
import { EndpointSchemaBuilder } from './endpoint.js';
import { stringFormat } from './formats.js';
import { ParameterSetBuilder } from './parameters.js';

const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('coerceParameter reads wire strings as OpenAPI coercion does', () => {
  const CASES: Array<[string, string | number | boolean]> = [
    ['42', 42], ['-7', -7], ['0', 0], ['3.14', 3.14], ['-0.5', -0.5], ['1e3', 1000], ['true', true], ['false', false],
    ['007', '007'], ['0x1f', '0x1f'], ['.5', '.5'], ['', ''], ['TRUE', 'TRUE'], ['1,5', '1,5'], [' 1', ' 1'], ['1 ', '1 '],
    ['Infinity', 'Infinity'], ['NaN', 'NaN'], ['12345678901234567890', '12345678901234567890'], ['abc', 'abc'],
  ];
  for (const [raw, want] of CASES) it(JSON.stringify(raw), () => expect(coerceParameter(raw)).toBe(want));
});

describe('stringFormat', () => {
  const CASES: Array<[string, string | undefined]> = [
    ['3fa85f64-5717-4562-b3fc-2c963f66afa6', 'uuid'], ['ann@example.com', 'email'], ['2024-02-29', 'date'], ['2023-02-29', undefined],
    ['2024-05-01T23:59:60Z', 'date-time'], ['2024-05-01T24:00:00Z', undefined], ['2024-05-01T10:00:00+0200', undefined],
    ['https://example.com', 'uri'], ['ftp://files.test/a', 'uri'], ['example.com/a', undefined], ['https://a b', undefined],
    ['127.0.0.1', 'ipv4'], ['256.0.0.1', undefined], ['1.2.3', undefined], ['fe80::1', 'ipv6'], ['fe80::1%eth0', undefined],
    ['::ffff:10.0.0.1', 'ipv6'], ['12:30', undefined], ['', undefined], ['plain', undefined],
  ];
  for (const [s, want] of CASES) it(JSON.stringify(s), () => expect(stringFormat(s)).toBe(want));
});

describe('ParameterSetBuilder', () => {
  function params(location: 'query' | 'header' | 'path', requests: Array<Record<string, string | string[]>>) {
    const b = new ParameterSetBuilder(location);
    for (const r of requests) b.add(r);
    return b.toParameters();
  }

  it('integers, numbers and booleans as they read', () => {
    const p = params('query', [{ page: '1', ratio: '0.5', flag: 'true' }, { page: '12', ratio: '2', flag: 'false' }]);
    expect(p).toEqual([
      { name: 'flag', in: 'query', required: true, seen: 2, schema: { type: 'boolean' } },
      { name: 'page', in: 'query', required: true, seen: 2, schema: { type: 'integer', minimum: 1, maximum: 12, examples: [1, 12] } },
      { name: 'ratio', in: 'query', required: true, seen: 2, schema: { type: 'number', minimum: 0.5, maximum: 2, examples: [0.5, 2] } },
    ]);
  });

  it('a parameter that does not always read as one type is a string', () => {
    const [p] = params('query', [{ id: '42' }, { id: 'abc' }, { id: 'true' }]);
    expect(p!.schema).toEqual({ type: 'string', minLength: 2, maxLength: 4, examples: ['42', 'abc', 'true'] });
  });

  it('leading zeros stay strings', () => {
    const [p] = params('query', [{ zip: '01234' }, { zip: '12345' }]);
    expect(p!.schema.type).toBe('string');
  });

  it('required only when in every request', () => {
    const p = params('query', [{ q: 'a', page: '1' }, { page: '2' }]);
    expect(p.map((x) => [x.name, x.required])).toEqual([['page', true], ['q', false]]);
  });

  it('path parameters are always required', () => {
    const [p] = params('path', [{ orderId: '1' }, {}]);
    expect(p!.required).toBe(true);
  });

  it('repeated parameters are arrays', () => {
    const [p] = params('query', [{ tag: ['a', 'b', 'c'] }, { tag: 'd' }]);
    expect(p!.schema).toMatchObject({ type: 'array', maxItems: 3, items: { type: 'string' } });
  });

  it('enum for a low-cardinality parameter with enough samples', () => {
    const [p] = params('query', range(25, (i) => ({ sort: ['asc', 'desc'][i % 2]! })));
    expect(p!.schema).toEqual({ type: 'string', enum: ['asc', 'desc'] });
  });

  it('formats', () => {
    const [p] = params('query', [{ since: '2024-05-01' }, { since: '2024-06-01' }]);
    expect(p!.schema).toMatchObject({ type: 'string', format: 'date' });
  });

  it('headers: names lower-cased; transport and credential headers are not parameters', () => {
    const p = params('header', [{ 'X-Tenant': 'acme', Authorization: 'bearer', Cookie: 'cookie', 'user-agent': 'curl/8', 'content-type': 'application/json', 'sec-fetch-mode': 'cors' }]);
    expect(p.map((x) => x.name)).toEqual(['x-tenant']);
  });

  it('sensitive parameter values are never shown', () => {
    const p = params('query', range(30, () => ({ api_key: 'abc123', email: 'ann@example.com', pin: '1234', token: 'x' })));
    const text = JSON.stringify(p);
    for (const secret of ['abc123', 'ann@', '1234', '"x"']) expect(text).not.toContain(secret);
  });

  it('maxParameters', () => {
    const b = new ParameterSetBuilder('query', { maxParameters: 2 });
    b.add({ a: '1', b: '1', c: '1' });
    expect(b.toParameters().map((x) => x.name)).toEqual(['a', 'b']);
    expect(b.untracked).toBe(1);
  });

  it('merging equals adding all requests', () => {
    const reqs: Array<Record<string, string | string[]>> = [{ page: '1', q: 'x' }, { page: '2' }, { page: 'last', tag: ['a', 'b'] }];
    const a = new ParameterSetBuilder('query').add(reqs[0]!);
    const b = new ParameterSetBuilder('query').add(reqs[1]!).add(reqs[2]!);
    expect(a.merge(b).toParameters()).toEqual(params('query', reqs));
  });
});

describe('EndpointSchemaBuilder', () => {
  it('parameters, request body and responses by status', () => {
    const b = new EndpointSchemaBuilder();
    b.add({ pathParams: { orderId: '8812' }, query: { expand: 'items' }, requestBody: { qty: 1 }, status: 200, responseBody: { id: 8812, total: 9.5 } });
    b.add({ pathParams: { orderId: '8813' }, status: 200, responseBody: { id: 8813, total: 3 } });
    b.add({ pathParams: { orderId: 'x' }, status: 404 });
    const s = b.toSchemas();
    expect(s.samples).toBe(3);
    expect(s.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(['path:orderId:true', 'query:expand:false']);
    expect(s.requestBody).toMatchObject({ samples: 1, required: false, schema: { type: 'object', required: ['qty'] } });
    expect(s.responses['200']).toMatchObject({ samples: 2, body: { samples: 2, schema: { properties: { id: { type: 'integer' }, total: { type: 'number' } } } } });
    expect(s.responses['404']).toEqual({ samples: 1 });
  });

  it('maxStatuses', () => {
    const b = new EndpointSchemaBuilder({ maxStatuses: 1 });
    b.add({ status: 200 }).add({ status: 500 });
    expect(Object.keys(b.toSchemas().responses)).toEqual(['200']);
    expect(b.toSchemas().untrackedStatuses).toBe(1);
  });

  it('merging equals adding all samples', () => {
    const samples = [
      { query: { a: '1' }, requestBody: { x: 1 }, status: 201, responseBody: { id: 1 } },
      { query: { a: '2' }, status: 400, responseBody: { error: 'bad' } },
      { requestBody: { x: 2, y: 'z' }, status: 201, responseBody: { id: 2 } },
    ];
    const all = new EndpointSchemaBuilder();
    for (const s of samples) all.add(s);
    const a = new EndpointSchemaBuilder().add(samples[0]!);
    const b = new EndpointSchemaBuilder().add(samples[1]!).add(samples[2]!);
    expect(a.merge(b).toSchemas()).toEqual(all.toSchemas());
  });
});
