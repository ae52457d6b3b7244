import { describe, expect, it } from 'vitest';
import { crlf } from './index.js';

describe('CRLF / header injection', () => {
  it.each([
    ['a\r\nSet-Cookie: sid=1', 'header-injection'],
    ['a\nSet-Cookie: sid=1', 'header-injection'],
    ['a\rSet-Cookie: sid=1', 'header-injection'],
    ['/next\r\nLocation: https://h.test/', 'header-injection'],
    ['x\r\nlocation:/elsewhere', 'header-injection'],
    ['x\r\nContent-Length: 0', 'header-injection'],
    ['x\r\nTransfer-Encoding: chunked', 'header-injection'],
    ['x\r\nRefresh: 0;url=https://h.test/', 'header-injection'],
    ['x\r\nAccess-Control-Allow-Origin: *', 'header-injection'],
    ['x\r\nX-Anything: 1', 'header-injection'],
    ['x\r\nMy-Custom-Header: 1', 'header-injection'],
    ['x\r\nHost: h.test', 'header-injection'],
    ['x\r\nOrigin: https://h.test', 'header-injection'],
    ['Headerdata\rInjected: value', 'header-injection'],
    ['\r\n\r\nSet-Cookie: a=b', 'header-injection'],
    ['x\n\rCache-Control: no-cache', 'header-injection'],
    ['en\u010d\u010aSet-Cookie: a=b', 'header-injection'],
    ['x\r\n\r\nHTTP/1.1 200 OK', 'response-splitting'],
    ['x\r\nHTTP/1.0 302 Found', 'response-splitting'],
    ['x\nGET /admin HTTP/1.1', 'response-splitting'],
    ['x\r\nPOST /api HTTP/1.1\r\nHost: h.test', 'response-splitting'],
    ['x\r\n\r\n<html><body>forged</body></html>', 'response-splitting'],
  ])('%j is flagged (%s)', (v, reason) => {
    const d = crlf.detect(v);
    expect(d?.reason).toBe(reason);
    expect(d!.confidence).toBeGreaterThanOrEqual(0.7);
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
  });

  it.each([
    'single line', '10 Main Street\r\nApt 4\r\nSpringfield', 'Dear team,\n\nThanks!\n-- Ann', 'Note: bring ID\nStatus: pending',
    'line one\nDate: tomorrow', 'Name: Ann\r\nE-Mail: ann@h.test', 'Host: Ann and Bob\nOrigin: Peru', 'shopping:\n- milk\n- eggs',
    'a\u2028Set-Cookie: x=1', 'a\u2029Location: /x', '\u560aSet', '中文\u560a文本', 'first\r\nsecond\r\n', 'HTTP/1.1 200 OK', 'GET / HTTP/1.1',
    'code:\n  if (x) {\n    y();\n  }', 'Q: why?\nA: because', 'multi\n\n<p>rich text</p>', 'Subject: hi\nRe: hello', 'x\r\n Set-Cookie folded? no: text',
    'binary\r\u0001C:\u0010\u0002',
  ])('%j is benign', (v) => {
    expect(crlf.detect(v)).toBeUndefined();
  });

  it('scans a 1 MB multi-line value in bounded time', () => {
    const filler = 'an ordinary line of text\r\n'.repeat(40000);
    expect(filler.length).toBeGreaterThan(1_000_000);
    const t0 = Date.now();
    expect(crlf.detect(filler)).toBeUndefined();
    expect(crlf.detect(`${filler}x\r\nSet-Cookie: a=b`)?.reason).toBe('header-injection');
    expect(crlf.detect('\n'.repeat(1_000_000))).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
