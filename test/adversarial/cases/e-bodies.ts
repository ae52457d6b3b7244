/**
 * Catalogue §2 E — parser differentials in bodies and parameters, rows E1–E9.
 * `PUT /users/1` with the user-1 token unless stated. The body schema is
 * `{name: string ≤64, email: email, role: readOnly}` with `additionalProperties: false`, so several
 * rows are refused by the schema as well as by the body-parser limit they target: the row only asserts
 * the refusal (400, nothing forwarded), whichever check makes it.
 */
import type { AdversarialCase } from '../harness/case.js';

const put = (body: string, contentType = 'application/json'): string =>
  `PUT /users/1 HTTP/1.1\r\n{{H}}{{U}}Content-Type: ${contentType}\r\nContent-Length: {{LEN}}\r\n\r\n${body}`;
const none = { count: 0 };
const bad = { status: 400 };

export const bodyCases: AdversarialCase[] = [
  { id: 'E0a', title: 'control: valid body', bytes: put('{"name":"a","email":"a@example.com"}'), expect: { status: 200 }, upstream: { count: 1, target: '/users/1', body: '{"name":"a","email":"a@example.com"}' } },
  { id: 'E0b', title: 'control: JSON escapes in a value are forwarded byte for byte', bytes: put('{"name":"\\u0061\\n"}'), expect: { status: 200 }, upstream: { count: 1, target: '/users/1', body: '{"name":"\\u0061\\n"}' } },
  { id: 'E0c', title: 'control: readOnly role alone is refused', bytes: put('{"name":"a","role":"admin"}'), expect: bad, upstream: none },

  { id: 'E1a', title: 'G: duplicate key role (JSON.parse keeps the last)', source: '[M][S]', bytes: put('{"name":"a","role":"user","role":"admin"}'), expect: bad, upstream: none },
  { id: 'E1b', title: 'G: duplicate key name', bytes: put('{"name":"a","name":"b"}'), expect: bad, upstream: none },
  { id: 'E1c', title: 'G: duplicate key spelled with an escape', bytes: put('{"name":"a","n\\u0061me":"b"}'), expect: bad, upstream: none },

  { id: 'E2a', title: 'case-variant key "Role"', source: 'Go encoding/json case-insensitive match', bytes: put('{"name":"a","Role":"admin"}'), expect: bad, upstream: none },
  { id: 'E2b', title: 'case-variant key "ROLE"', bytes: put('{"ROLE":"admin"}'), expect: bad, upstream: none },

  { id: 'E3', title: 'escaped key r\\u006fle is the readOnly role', bytes: put('{"name":"a","r\\u006fle":"admin"}'), expect: bad, upstream: none },

  { id: 'E4a', title: 'G: __proto__ key', source: 'secure-json-parse semantics', bytes: put('{"name":"a","__proto__":{"role":"admin"}}'), expect: bad, upstream: none },
  { id: 'E4b', title: 'G: constructor.prototype keys', bytes: put('{"name":"a","constructor":{"prototype":{"role":"admin"}}}'), expect: bad, upstream: none },
  { id: 'E4c', title: 'G: escaped __pr\\u006fto__ key', bytes: put('{"name":"a","__pr\\u006fto__":{"role":"admin"}}'), expect: bad, upstream: none },

  { id: 'E5', title: 'UTF-8 BOM before the JSON', bytes: put('\xef\xbb\xbf{"name":"a"}'), expect: bad, upstream: none },

  { id: 'E6a', title: 'comment and trailing comma', bytes: put('{"name":"a",/*x*/"role":"admin",}'), expect: bad, upstream: none },
  { id: 'E6b', title: 'single quotes', bytes: put("{'name':'a'}"), expect: bad, upstream: none },
  { id: 'E6c', title: 'NaN literal', bytes: put('{"name":NaN}'), expect: bad, upstream: none },
  { id: 'E6d', title: 'trailing garbage after the object', bytes: put('{"name":"a"}x'), expect: bad, upstream: none },
  { id: 'E6e', title: 'two JSON texts', bytes: put('{"name":"a"}{"role":"admin"}'), expect: bad, upstream: none },

  { id: 'E7a', title: 'raw NUL inside a key', source: 'WAFFLED (Spring bypass)', bytes: put('{"name\x00":"a"}'), expect: bad, upstream: none },
  { id: 'E7b', title: 'raw NUL between key and colon', bytes: put('{"name"\x00:"a"}'), expect: bad, upstream: none },
  { id: 'E7c', title: 'escaped NUL inside a key', bytes: put('{"na\\u0000me":"a"}'), expect: bad, upstream: none },

  { id: 'E8a', title: 'lone high surrogate \\ud800', source: '[R] (Go replaces it with U+FFFD)', bytes: put('{"name":"\\ud800"}'), expect: bad, upstream: none },
  { id: 'E8b', title: 'lone low surrogate \\udc00', bytes: put('{"name":"\\udc00"}'), expect: bad, upstream: none },
  { id: 'E8c', title: 'invalid UTF-8 bytes in a string', bytes: put('{"name":"\xff\xfe"}'), expect: bad, upstream: none },

  { id: 'E9a', title: 'G: integer 2^53+1', source: 'JS rounds to …992', bytes: put('{"id":9007199254740993}'), expect: bad, upstream: none },
  { id: 'E9b', title: 'G: 1e400 (re-serialises as null)', bytes: put('{"name":"a","n":1e400}'), expect: bad, upstream: none },
  { id: 'E9c', title: 'G: -0', bytes: put('{"name":"a","n":-0}'), expect: bad, upstream: none },
  { id: 'E9d', title: 'G: 1,001-digit number literal', bytes: put(`{"name":"a","n":${'1'.repeat(1001)}}`), expect: bad, upstream: none },
  { id: 'E9e', title: 'G: 1e400 where a string is declared', bytes: put('{"name":1e400}'), expect: bad, upstream: none },
  { id: 'E9f', title: 'G: path integer 2^53+1', bytes: 'GET /users/9007199254740993 HTTP/1.1\r\n{{H}}{{U}}\r\n', expect: bad, upstream: none },
  { id: 'E9g', title: 'G: path integer 1e400-sized (400 digits)', bytes: `GET /users/${'9'.repeat(400)} HTTP/1.1\r\n{{H}}{{U}}\r\n`, expect: bad, upstream: none },
];
