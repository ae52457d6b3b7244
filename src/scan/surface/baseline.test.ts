import { describe, expect, it } from 'vitest';
import { answer, html, json } from '../../../test/helpers/answer.js';
import { baselinePaths, isAbsent, normaliseBody, samePage } from './baseline.js';
import { jsonKeys, redactText } from './redact.js';

describe('baselines', () => {
  it('probes a bare name, an extension and a nested path', () => {
    expect(baselinePaths('/shop', 'pc-x')).toEqual(['/shop/pc-x', '/shop/pc-x.json', '/shop/pc-x/pc-x']);
  });

  it('takes echoes of the requested path out before comparing', () => {
    expect(normaliseBody({ path: '/admin/', body: 'Cannot GET /admin/  (admin)' })).toBe('Cannot GET {path} ({path})');
  });

  const spa = (path: string, nonce = '1'): ReturnType<typeof html> => html(`<html><title>Shop</title><script nonce="${nonce}">boot()</script></html>`, { path });
  const baselines = [spa('/pc-surface-abc'), json({ error: 'no route /pc-surface-abc.json' }, { path: '/pc-surface-abc.json', status: 200 })];

  it('treats a catch-all page (even with a nonce) and path-echoing soft 404s as absent', () => {
    expect(isAbsent(spa('/admin/', '98765'), baselines)).toBe(true);
    expect(isAbsent(json({ error: 'no route /debug/config' }, { path: '/debug/config' }), baselines)).toBe(true);
    expect(isAbsent(json({}, { status: 404 }), [])).toBe(true);
    expect(isAbsent(json({}, { status: 410 }), [])).toBe(true);
  });

  it('treats a different answer as present', () => {
    expect(isAbsent(json({ jwtSecret: 'x' }, { path: '/debug/config' }), baselines)).toBe(false);
    expect(isAbsent(html('<title>Swagger UI</title>', { path: '/docs' }), baselines)).toBe(false);
    expect(isAbsent(spa('/admin/'), [spa('/pc-x'), answer({ status: 404 })].map((a) => ({ ...a, status: 404 })))).toBe(false);
    expect(samePage(spa('/a'), { ...spa('/b'), status: 201 })).toBe(false);
  });
});

describe('evidence redaction', () => {
  it('masks credentials in URLs, credential-named pairs and sensitive shapes', () => {
    expect(redactText('url = https://deploy:tok@github.com/a.git')).toBe('url = https://[redacted]@github.com/a.git');
    expect(redactText('"jwtSecret":"secret", "service":"shop"')).toBe('"jwtSecret":"[redacted]", "service":"shop"');
    expect(redactText('API_KEY=abc123 PORT=80')).toBe('API_KEY=[redacted] PORT=80');
    expect(redactText('contact alice@shop.example')).toBe('contact [email]');
  });

  it('lists member names and which of them hold credentials', () => {
    expect(jsonKeys({ a: 1, auth: { token: 'x', tokenType: 'Bearer', expired: '' }, list: [{ password: 'p' }] })).toEqual({
      keys: ['a', 'auth', 'auth.token', 'auth.tokenType', 'auth.expired', 'list', 'list.password'],
      secrets: ['auth.token', 'list.password'],
    });
  });
});
