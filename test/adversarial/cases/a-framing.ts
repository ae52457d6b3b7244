/**
 * Catalogue §2 A — HTTP/1.1 framing and desync, rows A1–A14 (A10 is generated: a10-exhaustive.ts).
 * `400c` = 400 with `Connection: close`, then the socket is closed.
 */
import type { AdversarialCase, Expect } from '../harness/case.js';

const C400: Expect = { status: 400, closed: true };
/** RFC 9112: an unknown transfer coding is 501; a malformed one is 400. Either way the connection closes. */
const C400_OR_501: Expect[] = [C400, { status: 501 }];

const PUT_HEAD = 'PUT /users/1 HTTP/1.1\r\n{{H}}{{U}}Content-Type: application/json\r\n';
/** A valid chunked JSON body (`{"name":"a"}` in one 12-byte chunk): a missing check lets it through with 200. */
const CHUNKED_JSON = 'c\r\n{"name":"a"}\r\n0\r\n\r\n';
const POST_PUBLIC = 'POST /public HTTP/1.1\r\n{{H}}';

export const framingCases: AdversarialCase[] = [
  // Benign controls: the same shapes, well-formed, must pass and be re-framed.
  { id: 'A0a', title: 'control: GET /public', bytes: 'GET /public HTTP/1.1\r\n{{H}}\r\n', expect: { status: 200 }, upstream: { count: 1, target: '/public' } },
  {
    id: 'A0b', title: 'control: chunked PUT is de-chunked and framed with Content-Length',
    bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n${CHUNKED_JSON}`,
    expect: { status: 200 }, upstream: { count: 1, target: '/users/1', body: '{"name":"a"}' },
  },
  {
    id: 'A0c', title: 'control: PUT with Content-Length',
    bytes: `${PUT_HEAD}Content-Length: {{LEN}}\r\n\r\n{"name":"a","email":"a@example.com"}`,
    expect: { status: 200 }, upstream: { count: 1, target: '/users/1', body: '{"name":"a","email":"a@example.com"}' },
  },

  { id: 'A1', title: 'CL.TE', source: 'HPE_INVALID_TRANSFER_ENCODING', bytes: `${POST_PUBLIC}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG`, expect: C400, upstream: { count: 0 } },
  {
    id: 'A2', title: 'TE.CL hiding GET /admin in a chunk',
    bytes: `${POST_PUBLIC}Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST /admin HTTP/1.1\r\n\r\n0\r\n\r\n`,
    expect: C400, upstream: { count: 0 },
  },

  { id: 'A3a', title: 'duplicate Content-Length 1 then 0', bytes: `${POST_PUBLIC}Content-Length: 1\r\nContent-Length: 0\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A3b', title: 'duplicate identical Content-Length 1/1', bytes: `${POST_PUBLIC}Content-Length: 1\r\nContent-Length: 1\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A3c', title: 'Content-Length list "1, 1"', bytes: `${POST_PUBLIC}Content-Length: 1, 1\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },

  { id: 'A4a', title: 'Content-Length +1', source: 'CVE-2018-7159 class', bytes: `${POST_PUBLIC}Content-Length: +1\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A4b', title: 'Content-Length -1', bytes: `${POST_PUBLIC}Content-Length: -1\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A4c', title: 'Content-Length 0x1', source: 'http-garden #10', bytes: `${POST_PUBLIC}Content-Length: 0x1\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A4d', title: 'Content-Length 1Z', bytes: `${POST_PUBLIC}Content-Length: 1Z\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A4e', title: 'Content-Length empty', source: 'http-garden #16', bytes: `${POST_PUBLIC}Content-Length: \r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A4f', title: 'Content-Length "1 2"', bytes: `${POST_PUBLIC}Content-Length: 1 2\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A4g', title: 'Content-Length 99999999999999999999 (overflow)', source: 'http-garden #29', bytes: `${POST_PUBLIC}Content-Length: 99999999999999999999\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },

  { id: 'A5a', title: 'SP before colon: "Content-Length : 1"', source: 'CVE-2024-27982', bytes: `${POST_PUBLIC}Content-Length : 1\r\n\r\nZ`, expect: C400, upstream: { count: 0 } },
  { id: 'A5b', title: 'SP before colon: "Transfer-Encoding : chunked"', source: 'CVE-2021-22959', bytes: `${PUT_HEAD}Transfer-Encoding : chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },

  {
    id: 'A6', title: 'leading zeros: Content-Length 012 is re-framed as 12', source: 'http-garden #32 (strtoll octal backends)',
    bytes: `${PUT_HEAD}Content-Length: 012\r\n\r\n{"name":"a"}`,
    expect: { status: 200 }, upstream: { count: 1, target: '/users/1', body: '{"name":"a"}', bodyLength: 12 },
  },

  { id: 'A7a', title: 'TE xchunked', bytes: `${PUT_HEAD}Transfer-Encoding: xchunked\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  { id: 'A7b', title: 'TE chunk', bytes: `${PUT_HEAD}Transfer-Encoding: chunk\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  { id: 'A7c', title: 'TE "chunked" (quoted)', bytes: `${PUT_HEAD}Transfer-Encoding: "chunked"\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  { id: 'A7d', title: 'TE \\x0bchunked', bytes: `${PUT_HEAD}Transfer-Encoding: \x0bchunked\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  { id: 'A7e', title: 'TE \\xa0chunked', bytes: `${PUT_HEAD}Transfer-Encoding: \xa0chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  { id: 'A7f', title: 'TE "chunked, identity"', bytes: `${PUT_HEAD}Transfer-Encoding: chunked, identity\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  { id: 'A7g', title: 'TE chunked sent twice', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  { id: 'A7h', title: 'TE chunked then TE cow', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\nTransfer-Encoding: cow\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },

  { id: 'A8a', title: 'G: TE "gzip, chunked" (Node accepts)', source: 'RFC 9112 §6.1', bytes: `${PUT_HEAD}Transfer-Encoding: gzip, chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400_OR_501, upstream: { count: 0 } },
  { id: 'A8b', title: 'G: TE "identity, chunked" (Node accepts)', bytes: `${PUT_HEAD}Transfer-Encoding: identity, chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400_OR_501, upstream: { count: 0 } },
  { id: 'A8c', title: 'G: TE ",chunked" (Node accepts)', bytes: `${PUT_HEAD}Transfer-Encoding: ,chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400_OR_501, upstream: { count: 0 } },
  { id: 'A8d', title: 'G: TE cow then TE chunked (Node accepts)', bytes: `${PUT_HEAD}Transfer-Encoding: cow\r\nTransfer-Encoding: chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400_OR_501, upstream: { count: 0 } },

  {
    id: 'A9', title: 'G: HTTP/1.0 with Transfer-Encoding (Node accepts)', source: 'RFC 9112 §6.1',
    bytes: `PUT /users/1 HTTP/1.0\r\n{{H}}{{U}}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${CHUNKED_JSON}`,
    expect: C400, upstream: { count: 0 },
  },

  { id: 'A11a', title: 'obs-fold in a header value', source: 'CVE-2022-32215', bytes: 'GET /public HTTP/1.1\r\n{{H}}X: a\r\n b\r\n\r\n', expect: C400, upstream: { count: 0 } },
  { id: 'A11b', title: 'obs-fold: "Transfer-Encoding:" CRLF " chunked"', bytes: `${PUT_HEAD}Transfer-Encoding:\r\n chunked\r\n\r\n${CHUNKED_JSON}`, expect: C400, upstream: { count: 0 } },
  {
    id: 'A11c', title: 'first header line starts with SP: " Transfer-Encoding: chunked"',
    bytes: `PUT /users/1 HTTP/1.1\r\n Transfer-Encoding: chunked\r\n{{H}}{{U}}Content-Type: application/json\r\n\r\n${CHUNKED_JSON}`,
    expect: C400, upstream: { count: 0 },
  },

  { id: 'A12a', title: 'bare LF line endings', source: 'CVE-2022-32214', bytes: 'GET /public HTTP/1.1\nHost: gw\n\n', expect: C400, upstream: { count: 0 } },
  { id: 'A12b', title: 'bare CR inside a header value', source: 'CVE-2023-30589', bytes: 'GET /public HTTP/1.1\r\n{{H}}X: a\rb\r\n\r\n', expect: C400, upstream: { count: 0 } },
  {
    id: 'A12c', title: 'bare CR ending the head, then GET /admin', source: 'http-garden #30',
    bytes: 'GET /public HTTP/1.1\r\n{{H}}\rZGET /admin HTTP/1.1\r\n{{H}}\r\n', expect: C400, upstream: { count: 0 },
  },

  { id: 'A13a', title: 'NUL in a header value', source: 'Envoy CVE-2019-9900 class', bytes: 'GET /public HTTP/1.1\r\n{{H}}X: a\x00b\r\n\r\n', expect: C400, upstream: { count: 0 } },
  { id: 'A13b', title: 'NUL in Host', bytes: 'GET /public HTTP/1.1\r\nHost: gw\x00.evil\r\n\r\n', expect: C400, upstream: { count: 0 } },
  { id: 'A13c', title: 'NUL in the request-target', bytes: 'GET /public\x00/admin HTTP/1.1\r\n{{H}}\r\n', expect: C400, upstream: { count: 0 } },

  { id: 'A14a', title: 'chunk size 0x1', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n0xc\r\n{"name":"a"}\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14b', title: 'chunk size 0_c', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n0_c\r\n{"name":"a"}\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14c', title: 'chunk size with leading SP', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n c\r\n{"name":"a"}\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14d', title: 'chunk size with trailing SP', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\nc \r\n{"name":"a"}\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14e', title: 'chunk size FFFFFFFFFFFFFFFFF1 (overflow)', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\n{"name":"a"}\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14f', title: 'empty chunk-size line', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n\r\n{"name":"a"}\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14g', title: 'chunk data longer than its size (1 / ZZ)', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n1\r\nZZ\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14h', title: 'bare LF after chunk size', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\nc\n{"name":"a"}\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
  { id: 'A14i', title: 'chunk size "5\\r\\r;ABCD"', source: 'http-garden #31', bytes: `${PUT_HEAD}Transfer-Encoding: chunked\r\n\r\n5\r\r;ABCD\r\n0\r\n\r\n`, expect: C400, upstream: { count: 0 } },
];
