import { describe, expect, it } from 'vitest';
import { ResponseTable } from './responses.js';

const doc = {
  components: {
    schemas: {
      Item: { type: 'object', properties: { id: { type: 'integer' } }, additionalProperties: false },
    },
  },
};

function table(): ResponseTable {
  return ResponseTable.compile(doc, new Map([
    ['200', new Map([['application/json', '#/components/schemas/Item'], ['text/plain', undefined]])],
    ['4XX', new Map([['application/*', '#/components/schemas/Item']])],
  ]));
}

describe('ResponseTable.lookup', () => {
  it('matches exact status before its class, exact media type before a range', () => {
    const t = table();
    expect(t.filters).toBe(true);
    expect(t.lookup(200, 'application/json')).toMatchObject({ status: '200', media: 'application/json', filtered: true });
    expect(t.lookup(200, 'text/plain')).toMatchObject({ status: '200', media: 'text/plain', filter: undefined, filtered: true });
    expect(t.lookup(404, 'application/problem+json')).toMatchObject({ status: '4XX', media: 'application/*', filtered: true });
    expect(t.lookup(500, 'application/json')).toMatchObject({ status: undefined, media: undefined, filtered: false });
    expect(t.lookup(200, undefined)).toMatchObject({ status: '200', media: undefined, filter: undefined });
  });

  it('answers the same on repeated calls, past the number of remembered answers too', () => {
    const t = table();
    const first = t.lookup(200, 'application/json');
    expect(t.lookup(200, 'application/json')).toBe(first);
    // Many distinct media types: the later ones are computed, not remembered, and still right.
    for (let i = 0; i < 200; i++) expect(t.lookup(200, `application/x-${i}`)).toMatchObject({ status: '200', media: undefined, filter: undefined });
    for (let i = 0; i < 200; i++) expect(t.lookup(404, `application/x-${i}`)).toMatchObject({ status: '4XX', media: 'application/*' });
    expect(t.lookup(200, 'application/json')).toBe(first);
  });
});
