import { describe, expect, it } from 'vitest';
import { Router } from './router.js';

describe('Router', () => {
  const r = new Router<string>();
  r.add('/files/{name}', 'whole');
  r.add('/files/{name}.json', 'suffix');
  r.add('/files/{name}/v{major}.{minor}', 'versioned');
  r.add('/files/latest', 'literal');
  r.add('/a/{x}/{y}', 'two');

  it.each([
    ['/files/report', 'whole', { name: 'report' }],
    ['/files/report.json', 'suffix', { name: 'report' }],
    ['/files/latest', 'literal', {}],
    ['/files/x/v2.1', 'versioned', { name: 'x', major: '2', minor: '1' }],
    ['/files/%2E%2E', 'whole', { name: '%2E%2E' }],
    ['/a/1/2', 'two', { x: '1', y: '2' }],
  ])('%s matches %s', (path, value, params) => {
    expect(r.match(path)).toEqual({ value, params });
  });

  it.each(['/files/', '/files', '/a/1/', '/a//2', '/files/report/extra', '/other'])('%s matches nothing', (path) => {
    expect(r.match(path)).toBeUndefined();
  });

  it('backtracks from a literal into a template when the literal branch has no match deeper', () => {
    const b = new Router<string>();
    b.add('/u/me/settings', 'settings');
    b.add('/u/{id}/orders', 'orders');
    expect(b.match('/u/me/orders')).toEqual({ value: 'orders', params: { id: 'me' } });
    expect(b.match('/u/me/settings')).toEqual({ value: 'settings', params: {} });
  });
});
