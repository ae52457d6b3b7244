/**
 * Catalogue §2 D — Host, duplicates and header identity, rows D1–D6.
 * The upstream is configured with `host: gw`, so `Host: gw` is the only Host that routes.
 */
import type { AdversarialCase } from '../harness/case.js';

const none = { count: 0 };

export const headerCases: AdversarialCase[] = [
  { id: 'D0a', title: 'control: Host gw with a port', bytes: 'GET /public HTTP/1.1\r\nHost: gw:80\r\n\r\n', expect: { status: [200, 404, 421] }, upstream: { target: '/public' } },

  { id: 'D1', title: 'G: two Host lines', source: 'RFC 9112 §3.2', bytes: 'GET /public HTTP/1.1\r\nHost: gw\r\nHost: evil\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D1b', title: 'G: two Host lines, configured one second', bytes: 'GET /public HTTP/1.1\r\nHost: evil\r\nHost: gw\r\n\r\n', expect: { status: 400 }, upstream: none },

  { id: 'D2a', title: 'Host gw@evil.example (userinfo)', bytes: 'GET /public HTTP/1.1\r\nHost: gw@evil.example\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D2b', title: 'Host evil:80@gw', bytes: 'GET /public HTTP/1.1\r\nHost: evil:80@gw\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D2c', title: 'Host gw:99999 (port out of range)', bytes: 'GET /public HTTP/1.1\r\nHost: gw:99999\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D2d', title: 'Host gw/x', bytes: 'GET /public HTTP/1.1\r\nHost: gw/x\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D2e', title: 'Host empty', bytes: 'GET /public HTTP/1.1\r\nHost:\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D2f', title: 'no Host at all (HTTP/1.1)', bytes: 'GET /public HTTP/1.1\r\n\r\n', expect: { status: 400 }, upstream: none },

  { id: 'D3', title: 'Host evil.example (not configured)', bytes: 'GET /public HTTP/1.1\r\nHost: evil.example\r\n\r\n', expect: { status: [421, 404] }, upstream: none },
  {
    id: 'D3b', title: 'Host evil.example on a protected route with a valid token',
    bytes: 'GET /users/1 HTTP/1.1\r\nHost: evil.example\r\n{{U}}\r\n', expect: { status: [421, 404] }, upstream: none,
  },

  {
    id: 'D4a', title: 'G: user token, then a forged admin token', source: 'Node keeps the first Authorization; rawHeaders carry both',
    bytes: 'GET /admin HTTP/1.1\r\n{{H}}{{U}}{{F}}\r\n', expect: { status: 400 }, upstream: none,
  },
  { id: 'D4b', title: 'G: forged admin token, then the user token', bytes: 'GET /admin HTTP/1.1\r\n{{H}}{{F}}{{U}}\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D4c', title: 'G: user token, then a valid admin token', bytes: 'GET /admin HTTP/1.1\r\n{{H}}{{U}}{{Z}}\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D4d', title: 'G: two Authorization lines on /users/1', bytes: 'GET /users/1 HTTP/1.1\r\n{{H}}{{U}}{{F}}\r\n', expect: { status: 400 }, upstream: none },

  {
    id: 'D5a', title: 'G: two Content-Type lines',
    bytes: 'PUT /users/1 HTTP/1.1\r\n{{H}}{{U}}Content-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: {{LEN}}\r\n\r\n{"name":"a"}',
    expect: { status: 400 }, upstream: none,
  },
  { id: 'D5b', title: 'G: two X-Api-Key lines (Node joins them "k1, k2")', bytes: 'GET /public HTTP/1.1\r\n{{H}}X-Api-Key: k1\r\nX-Api-Key: k2\r\n\r\n', expect: { status: 400 }, upstream: none },
  { id: 'D5c', title: 'G: two Cookie lines with the same cookie name', bytes: 'GET /users/1 HTTP/1.1\r\n{{H}}{{U}}Cookie: session=a\r\nCookie: session=b\r\n\r\n', expect: { status: 400 }, upstream: none },

  {
    id: 'D6a', title: 'X-Forwarded-For from an untrusted peer', bytes: 'GET /public HTTP/1.1\r\n{{H}}X-Forwarded-For: 203.0.113.7\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/public', headers: { 'x-forwarded-for': { lastItem: '127.0.0.1' } } },
  },
  {
    id: 'D6b', title: 'X-Forwarded-For 127.0.0.1 spoofing the loopback', bytes: 'GET /public HTTP/1.1\r\n{{H}}X-Forwarded-For: 127.0.0.1, 10.9.9.9\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/public', headers: { 'x-forwarded-for': { lastItem: '127.0.0.1' } } },
  },
  {
    id: 'D6c', title: 'X-Real-IP from an untrusted peer', bytes: 'GET /public HTTP/1.1\r\n{{H}}X-Real-IP: 10.0.0.1\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/public', headers: { 'x-real-ip': { notEqual: '10.0.0.1' } } },
  },
  {
    id: 'D6d', title: 'Forwarded: for= from an untrusted peer', bytes: 'GET /public HTTP/1.1\r\n{{H}}Forwarded: for=198.51.100.9\r\n\r\n',
    expect: { status: 200 }, upstream: { count: 1, target: '/public', headers: { forwarded: { notEqual: 'for=198.51.100.9' } } },
  },
];
