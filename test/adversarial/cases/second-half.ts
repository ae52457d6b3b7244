/**
 * Catalogue §2 second halves: C12–C21, D7–D11, E10–E18.
 */
import { gzipSync } from 'node:zlib';
import type { AdversarialCase } from '../harness/case.js';

const get = (target: string, auth = ''): string => `GET ${target} HTTP/1.1\r\n{{H}}${auth}\r\n`;
const put = (body: string, contentTypeLine = 'Content-Type: application/json\r\n', extra = ''): string =>
  `PUT /users/1 HTTP/1.1\r\n{{H}}{{U}}${contentTypeLine}${extra}Content-Length: {{LEN}}\r\n\r\n${body}`;
const none = { count: 0 };
const VALID = '{"name":"a"}';
const GZIPPED = gzipSync(Buffer.from('{"name":"\' OR 1=1--"}')).toString('latin1');

/** `count` headers `X-hNNNN: a` (10 bytes each before CRLF). */
const manyHeaders = (count: number): string =>
  Array.from({ length: count }, (_, i) => `X-h${String(i).padStart(4, '0')}: a\r\n`).join('');

export const secondHalfCases: AdversarialCase[] = [
  // C. Paths (second half)
  { id: 'C12a', title: '/admin%00', bytes: get('/admin%00'), expect: { status: 400 }, upstream: none },
  { id: 'C12b', title: '/admin%00.json', bytes: get('/admin%00.json'), expect: { status: 400 }, upstream: none },
  { id: 'C12c', title: '/users/1%00', bytes: get('/users/1%00', '{{U}}'), expect: { status: 400 }, upstream: none },

  { id: 'C13a', title: 'G: fragment /public#/../admin', bytes: get('/public#/../admin'), expect: { status: 400 }, upstream: none },
  { id: 'C13b', title: 'G: fragment /public#x', bytes: get('/public#x'), expect: { status: 400 }, upstream: none },

  { id: 'C14a', title: 'G: absolute-form with a foreign authority', bytes: get('http://evil.example/admin'), expect: { status: 400 }, upstream: none },
  { id: 'C14b', title: 'G: absolute-form with the configured authority', bytes: get('http://gw/admin'), expect: { status: [400, 401] }, upstream: none },
  {
    id: 'C14c', title: 'G: absolute-form /public reaches the upstream in origin-form only', bytes: get('http://gw/public'),
    expect: { status: [400, 200] }, upstream: { target: '/public' },
  },
  { id: 'C14d', title: 'G: absolute-form with a foreign authority and a valid token', bytes: get('http://evil.example/users/1', '{{U}}'), expect: { status: 400 }, upstream: none },

  { id: 'C15a', title: 'G: asterisk-form GET *', bytes: get('*'), expect: { status: 400 }, upstream: none },
  {
    id: 'C15b', title: 'G: OPTIONS * is answered by the gateway or refused, never forwarded', bytes: 'OPTIONS * HTTP/1.1\r\n{{H}}\r\n',
    expect: { status: [200, 204, 400, 405, 501] }, upstream: none, gatewayMayAnswer: true,
  },

  { id: 'C16a', title: 'G: bad escape /users/%ZZ', bytes: get('/users/%ZZ'), expect: { status: 400 }, upstream: none },
  { id: 'C16b', title: 'G: truncated escape /users/%', bytes: get('/users/%'), expect: { status: 400 }, upstream: none },
  { id: 'C16c', title: 'G: truncated UTF-8 /users/%E0%A4%A', bytes: get('/users/%E0%A4%A'), expect: { status: 400 }, upstream: none },
  { id: 'C16d', title: 'G: raw " in the path', bytes: get('/a"b'), expect: { status: 400 }, upstream: none },
  { id: 'C16e', title: 'G: raw <> in the path', bytes: get('/a<b>'), expect: { status: 400 }, upstream: none },
  { id: 'C16f', title: 'G: raw {} in the path', bytes: get('/a{b}'), expect: { status: 400 }, upstream: none },
  { id: 'C16g', title: 'G: raw | in the path', bytes: get('/a|b'), expect: { status: 400 }, upstream: none },
  { id: 'C16h', title: 'G: raw ^ in the path', bytes: get('/a^b'), expect: { status: 400 }, upstream: none },
  { id: 'C16i', title: 'G: raw ` in the path', bytes: get('/a`b'), expect: { status: 400 }, upstream: none },

  { id: 'C17a', title: '/users/1%2fadmin', bytes: get('/users/1%2fadmin', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'C17b', title: '/users/1;role=admin', bytes: get('/users/1;role=admin', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'C17c', title: '/users/1.json (not an integer)', bytes: get('/users/1.json', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'C17d', title: '/users/+1', bytes: get('/users/+1', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'C17e', title: '/users/1e0', bytes: get('/users/1e0', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'C17f', title: '/users/01 is owner-checked as user 1', bytes: get('/users/01', '{{U}}'), expect: { status: 200 }, upstream: { count: 1 } },

  {
    id: 'C18', title: 'X-Original-URL / X-Rewrite-URL are not honoured and not forwarded', source: 'Symfony CVE-2018-14773',
    bytes: 'GET /public HTTP/1.1\r\n{{H}}X-Original-URL: /admin\r\nX-Rewrite-URL: /admin\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/public', headers: { 'x-original-url': null, 'x-rewrite-url': null } },
  },

  {
    id: 'C19a', title: 'X-HTTP-Method-Override: DELETE on PUT', bytes: put(VALID, undefined, 'X-HTTP-Method-Override: DELETE\r\n'),
    expect: { status: [200, 400] }, upstream: { method: 'PUT', headers: { 'x-http-method-override': null } },
  },
  {
    id: 'C19b', title: 'X-HTTP-Method: DELETE on PUT', bytes: put(VALID, undefined, 'X-HTTP-Method: DELETE\r\n'),
    expect: { status: [200, 400] }, upstream: { method: 'PUT', headers: { 'x-http-method': null } },
  },
  {
    id: 'C19c', title: 'X-Method-Override: DELETE on PUT', bytes: put(VALID, undefined, 'X-Method-Override: DELETE\r\n'),
    expect: { status: [200, 400] }, upstream: { method: 'PUT', headers: { 'x-method-override': null } },
  },
  {
    id: 'C19d', title: '?_method=DELETE on PUT', bytes: `PUT /users/1?_method=DELETE HTTP/1.1\r\n{{H}}{{U}}Content-Type: application/json\r\nContent-Length: {{LEN}}\r\n\r\n${VALID}`,
    expect: { status: [200, 400] }, upstream: { method: 'PUT' },
  },
  {
    id: 'C19e', title: 'POST /public with X-HTTP-Method-Override: GET is authorised as POST',
    bytes: 'POST /public HTTP/1.1\r\n{{H}}X-HTTP-Method-Override: GET\r\nContent-Length: 0\r\n\r\n', expect: { status: [405, 400] }, upstream: none,
  },

  // The catalogue routes these to /public with the query untouched; the §3 query-parameter policy may refuse
  // the undeclared parameters instead. Either way, never /admin, and a forwarded query is byte-identical.
  { id: 'C20a', title: '/public?/../admin', bytes: get('/public?/../admin'), expect: { status: [200, 400] }, upstream: { target: '/public?/../admin' } },
  { id: 'C20b', title: '/public?x=//admin', bytes: get('/public?x=//admin'), expect: { status: [200, 400] }, upstream: { target: '/public?x=//admin' } },

  { id: 'C21', title: 'request-target of 9,000 bytes', source: 'nginx 8k line buffer', bytes: get(`/public?q=${'a'.repeat(9000)}`), expect: { status: 414 }, upstream: none },

  // D. Headers (second half)
  { id: 'D7a', title: 'Connection names Authorization: no anonymous access', source: 'Traefik CVE-2024-45410', bytes: 'GET /users/1 HTTP/1.1\r\n{{H}}Connection: close, Authorization\r\n\r\n', expect: { status: 401 }, upstream: none },
  {
    id: 'D7b', title: 'Connection names X-Forwarded-*: the gateway-set ones still reach the upstream',
    bytes: 'GET /public HTTP/1.1\r\n{{H}}Connection: close, X-Forwarded-For, X-Forwarded-Host\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/public', headers: { 'x-forwarded-for': { lastItem: '127.0.0.1' } } },
  },
  {
    id: 'D7c', title: 'Connection names Authorization on an authorised request',
    bytes: 'GET /users/1 HTTP/1.1\r\n{{H}}{{U}}Connection: close, X-Forwarded-For, X-Forwarded-Host, Authorization\r\n\r\n',
    expect: { status: [200, 400] }, upstream: { target: '/users/1', headers: { 'x-forwarded-for': { lastItem: '127.0.0.1' } } },
  },

  { id: 'D8a', title: 'underscore header X_Forwarded_For', source: 'Traefik CVE-2026-33433', bytes: 'GET /public HTTP/1.1\r\n{{H}}X_Forwarded_For: 1.2.3.4\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D8b', title: 'underscore header X_Auth_User', bytes: 'GET /public HTTP/1.1\r\n{{H}}X_Auth_User: admin\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D8c', title: 'underscore header Content_Type', bytes: put(VALID, 'Content_Type: application/json\r\n'), expect: { status: 400 }, upstream: none },

  {
    id: 'D9a', title: 'client-sent identity headers are replaced', bytes: 'GET /public HTTP/1.1\r\n{{H}}X-Portcullis-Principal: admin\r\nX-Portcullis-Roles: admin\r\nX-Portcullis-Subject: admin\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/public', headers: { 'x-portcullis-principal': { notEqual: 'admin' }, 'x-portcullis-roles': { notEqual: 'admin' }, 'x-portcullis-subject': { notEqual: 'admin' } } },
  },
  {
    id: 'D9b', title: 'client-sent identity headers are replaced on an authenticated request', bytes: 'GET /users/1 HTTP/1.1\r\n{{H}}{{U}}X-Portcullis-Principal: admin\r\nX-Portcullis-Roles: admin\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/users/1', headers: { 'x-portcullis-principal': { notEqual: 'admin' }, 'x-portcullis-roles': { notEqual: 'admin' } } },
  },

  { id: 'D10a', title: 'G: 101 headers', bytes: `GET /public HTTP/1.1\r\n{{H}}${manyHeaders(100)}\r\n`, expect: { status: 431 }, upstream: none },
  { id: 'D10b', title: 'G: 2,100 headers of 10 bytes (23 KB)', bytes: `GET /public HTTP/1.1\r\n{{H}}${manyHeaders(2100)}\r\n`, expect: { status: 431 }, upstream: none },
  { id: 'D11a', title: 'one header value of 17,000 bytes', bytes: `GET /public HTTP/1.1\r\n{{H}}X-Big: ${'a'.repeat(17_000)}\r\n\r\n`, expect: { status: 431 }, upstream: none },
  { id: 'D11b', title: 'one header value of 8,193 bytes (limit 8 KiB)', bytes: `GET /public HTTP/1.1\r\n{{H}}X-Big: ${'a'.repeat(8193)}\r\n\r\n`, expect: { status: 431 }, upstream: none },

  // E. Bodies and parameters (second half)
  { id: 'E10a', title: 'body ["a"]', bytes: put('["a"]'), expect: { status: 400 }, upstream: none },
  { id: 'E10b', title: 'body "x"', bytes: put('"x"'), expect: { status: 400 }, upstream: none },
  { id: 'E10c', title: 'body null', bytes: put('null'), expect: { status: 400 }, upstream: none },
  { id: 'E10d', title: 'empty body with Content-Length 0', bytes: put(''), expect: { status: 400 }, upstream: none },

  { id: 'E11a', title: 'JSON body without Content-Type', source: 'WAFFLED class 1', bytes: put(VALID, ''), expect: { status: 415 }, upstream: none },
  { id: 'E11b', title: '"ContentType: application/json"', source: 'WAFFLED class 2', bytes: put(VALID, 'ContentType: application/json\r\n'), expect: { status: 415 }, upstream: none },
  { id: 'E11c', title: 'Content-Type text/plain', bytes: put(VALID, 'Content-Type: text/plain\r\n'), expect: { status: 415 }, upstream: none },
  { id: 'E11d', title: 'Content-Type "application/json, text/plain"', bytes: put(VALID, 'Content-Type: application/json, text/plain\r\n'), expect: { status: 415 }, upstream: none },
  { id: 'E11e', title: 'Content-Type application/json; charset=utf-7', bytes: put(VALID, 'Content-Type: application/json; charset=utf-7\r\n'), expect: { status: 415 }, upstream: none },

  {
    id: 'E12', title: 'Content-Type Application/JSON; Charset="UTF-8" is JSON', bytes: put(VALID, 'Content-Type: Application/JSON; Charset="UTF-8"\r\n'),
    expect: { status: 200 }, upstream: { count: 1, target: '/users/1', body: VALID },
  },

  { id: 'E13a', title: 'TAB-prefixed multipart with RFC 2231 boundary on a JSON operation', source: 'WAFFLED class 4', bytes: put(VALID, 'Content-Type: \tmultipart/form-data; boundary*0=re;boundary*1=al\r\n'), expect: { status: 415 }, upstream: none },
  { id: 'E13b', title: '"Content_-Type: multipart/…" on a JSON operation', source: 'WAFFLED class 3', bytes: put(VALID, 'Content_-Type: multipart/form-data; boundary=x\r\n'), expect: { status: [400, 415] }, upstream: none },

  { id: 'E14a', title: 'form-urlencoded on a JSON operation', bytes: put('name=a', 'Content-Type: application/x-www-form-urlencoded\r\n'), expect: { status: 415 }, upstream: none },
  {
    id: 'E14b', title: 'multipart on a JSON operation',
    bytes: put('--b\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--b--\r\n', 'Content-Type: multipart/form-data; boundary=b\r\n'),
    expect: { status: 415 }, upstream: none,
  },
  {
    id: 'E15', title: 'charset=ibm037 with an EBCDIC body', bytes: put('\x95\x81\x94\x85~\x81', 'Content-Type: application/x-www-form-urlencoded; charset=ibm037\r\n'),
    expect: { status: 415 }, upstream: none,
  },

  { id: 'E16a', title: 'G: control ?fields=name', bytes: get('/users/1?fields=name', '{{U}}'), expect: { status: 200 }, upstream: { count: 1, target: '/users/1?fields=name' } },
  { id: 'E16b', title: 'G: scalar parameter repeated', source: 'HPP', bytes: get('/users/1?fields=name&fields=password', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'E16c', title: 'G: ";" as a parameter separator', source: 'Python CVE-2021-23336', bytes: get('/users/1?fields=name;fields=password', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'E16d', title: 'G: undeclared bracket parameter user[role]', bytes: get('/users/1?user[role]=admin', '{{U}}'), expect: { status: 400 }, upstream: none },

  { id: 'E17a', title: 'id in the path and the query', source: 'BOLA differential', bytes: get('/users/1?id=2', '{{U}}'), expect: { status: 400 }, upstream: none },
  { id: 'E17b', title: 'id in the path and the body', bytes: put('{"id":2,"name":"a"}'), expect: { status: 400 }, upstream: none },

  { id: 'E18', title: 'Content-Encoding gzip body', bytes: put(GZIPPED, 'Content-Type: application/json\r\n', 'Content-Encoding: gzip\r\n'), expect: { status: 415 }, upstream: none },
];
