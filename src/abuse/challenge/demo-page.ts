import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CHALLENGE_HEADER } from './service.js';

/**
 * The ALTCHA widget's single-file ES module build, for the gateway to serve itself (no CDN).
 * It injects its styles and starts its workers from blob: URLs, so the page that loads it needs
 * `style-src 'unsafe-inline'` and `worker-src blob:` (see DEMO_PAGE_CSP).
 */
export const WIDGET_SCRIPT_FILE = join(dirname(createRequire(import.meta.url).resolve('altcha')), 'altcha.min.js');

export interface DemoPageOptions {
  /** The gateway's challenge endpoint, without query (the page adds method and path). */
  challengeUrl: string;
  /** Where the gateway serves WIDGET_SCRIPT_FILE. Same origin keeps the page free of third parties. */
  widgetScriptUrl: string;
  /** The request the demo sends once the challenge is solved. */
  target: { method: string; path: string };
}

// Static on purpose: the per-page values travel in data- attributes, so this script (and its
// CSP hash below) never changes, and no inline event handler needs 'unsafe-inline' for scripts.
const SCRIPT = `
const form = document.getElementById('demo');
const widget = form.querySelector('altcha-widget');
const button = form.querySelector('button');
const result = document.getElementById('result');
let payload = null;
widget.addEventListener('statechange', (ev) => {
  const state = ev.detail.state;
  payload = state === 'verified' ? ev.detail.payload : null;
  button.disabled = payload === null;
});
form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!payload) return;
  const { method, path, header } = form.dataset;
  button.disabled = true;
  result.textContent = 'Sending ' + method + ' ' + path + '…';
  try {
    const res = await fetch(path, { method, headers: { [header]: payload } });
    result.textContent = method + ' ' + path + ' answered ' + res.status + ' ' + res.statusText;
  } catch (err) {
    result.textContent = 'Request failed: ' + err;
  }
  // A solved challenge is good for one request: start over for the next one.
  payload = null;
  widget.reset();
});
`;

/** CSP for the demo page: everything from the gateway's own origin, nothing else. */
export const DEMO_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "style-src 'self' 'unsafe-inline'",
  "worker-src blob:",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function demoPageHtml(opts: DemoPageOptions): string {
  const method = opts.target.method.toUpperCase();
  const challenge = new URL(opts.challengeUrl, 'http://placeholder.invalid');
  challenge.searchParams.set('method', method);
  challenge.searchParams.set('path', opts.target.path);
  // Keep a relative challenge URL relative: the page and the endpoint share the gateway's origin.
  const challengeSrc = /^[a-z][a-z0-9+.-]*:/i.test(opts.challengeUrl) ? challenge.toString() : challenge.pathname + challenge.search;
  const a = escapeHtml;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Portcullis proof-of-work demo</title>
<script type="module" src="${a(opts.widgetScriptUrl)}"></script>
<style>
body { font: 1rem/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
button { font: inherit; padding: .5rem 1rem; margin-top: 1rem; }
output { display: block; margin-top: 1rem; }
</style>
</head>
<body>
<main>
<h1>Proof-of-work demo</h1>
<p>This page asks your browser to solve a small proof-of-work puzzle, then sends
<code>${a(method)} ${a(opts.target.path)}</code> with the solution in the
<code>${a(CHALLENGE_HEADER)}</code> header. No cookies, no tracking, no third party.</p>
<form id="demo" data-method="${a(method)}" data-path="${a(opts.target.path)}" data-header="${a(CHALLENGE_HEADER)}">
<altcha-widget challenge="${a(challengeSrc)}" name="altcha"
 configuration="${a(JSON.stringify({ hideFooter: true, humanInteractionSignature: false }))}"></altcha-widget>
<button type="submit" disabled>Send demo request</button>
</form>
<output id="result" role="status" aria-live="polite"></output>
</main>
<script type="module">${SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
