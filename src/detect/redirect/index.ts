import type { Detection, Detector } from '../types.js';

/**
 * Open redirect: a value used as a redirect target (`Location:`, `window.location`) that sends the
 * browser off the site. It only applies to redirect-style parameters (isRedirectParameter) and
 * judges the value the way a browser's URL parser would, after the caller's one decoding pass:
 *   - `dangerous-scheme`: `javascript:`, `vbscript:`, `data:` run or render attacker content (0.9);
 *   - `backslash-authority`: `\\evil`, `/\evil`, `//evil\@trusted`: browsers read `\` as `/` in
 *     http(s) URLs, server-side checks usually do not (0.85);
 *   - `userinfo-trick`: `https://trusted@evil`: the part before `@` is a user name, not the host (0.85);
 *   - `obfuscated-url`: tabs and newlines inside (browsers delete them), leading control characters
 *     or spaces (browsers trim them), three or more slashes, `https:evil` without slashes (0.8); a
 *     look-alike slash (`/〱evil.com`) or leading tags a sanitiser strips (`<>//evil.com`) (0.7);
 *   - `absolute-url` / `protocol-relative`: any other URL with its own host, or any other scheme
 *     (`mailto:`, `myapp:`: an external protocol handler) (0.6). The detector cannot know the site's
 *     own hosts, so a same-site absolute URL is flagged too: the control that uses this detector is
 *     to exempt configured own hosts (and allowed app schemes) before acting on a 0.6 finding;
 *   - `embedded-url`: `/https://evil`, `/https:evil`, `/javascript:…`, a path one stripped slash away
 *     from an absolute URL (0.5).
 * Only the value's head is scanned (SCAN_LIMIT): where a browser goes is decided by the scheme and
 * authority at the start, so unlike the other detectors there is no tail window.
 * Benign: relative paths and references (`/account`, `orders/5?x=1`, `#top`, `?page=2`, `../up`).
 */

/** Only the head of a value decides where a browser goes; the rest is path, query and fragment. */
export const SCAN_LIMIT = 4096;

/** `[a-z][a-z0-9+.-]*:` as the URL parser reads a scheme; anything else before a `:` is a relative path. */
const SCHEME = /^([a-z][a-z0-9+.-]{0,31}):/i;
/** Schemes that run script or render attacker-supplied content instead of navigating. */
const DANGEROUS = new Set(['javascript', 'vbscript', 'data', 'livescript', 'mocha']);
/** Schemes the URL parser treats as "special": for these `\` is a separator and `https:evil` still finds a host. */
const SPECIAL = new Set(['http', 'https', 'ftp', 'ws', 'wss', 'file']);
/** What browsers trim from the start of a URL (C0 controls and space) and delete anywhere (tab, LF, CR). */
const LEADING_JUNK = /^[\x00-\x20]+/;
const TAB_NEWLINE = /[\t\n\r]/g;
/** `/https://evil`, `/https:evil`, `/javascript:…`: an absolute URL behind one leading slash. */
const EMBEDDED = /^[/\\](?:https?:|ftp:|javascript:|vbscript:|data:)/i;
/** Raster images as `data:` URLs cannot run script; they still leave the site, as any absolute URL does. */
const INERT_DATA = /^data:image\/(?:png|jpe?g|gif|webp|avif|bmp|x-icon)[;,]/i;
/**
 * A host behind a character that some normalisers fold into `/` or drop: modifier letters such as
 * the kana repeat and prolonged-sound marks, and the fraction/division/full-width slashes
 * (`/〱evil.com`, `／evil.com`). No real relative path starts with one and then a domain.
 */
const LOOKALIKE_SLASH = /^[/\\]?[\p{Lm}\u2044\u2215\u29f8\uff0f][/\\]?[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})+/u;
/** Tags a sanitiser removes (`<>//evil.com`, `/<b>//evil.com`): judged as the value would be after removal. */
const LEADING_TAGS = /^([/\\]?)((?:<[^<>]{0,32}>){1,8})/;

/** A plain relative reference (`/account`, `orders/5`, `#top`) cannot leave the site: most values stop here. */
function plainlyRelative(v: string): boolean {
  const c = v.charCodeAt(0);
  // '/' followed by something other than a separator, or '#', '?', '.', a digit: no scheme, no authority.
  if (c === 0x2f) return v.length === 1 || (v.charCodeAt(1) > 0x20 && v.charCodeAt(1) < 0x80 && v[1] !== '/' && v[1] !== '\\' && v[1] !== '<' && !EMBEDDED.test(v));
  if (c === 0x23 || c === 0x3f) return true;
  // A letter may start a scheme (`javascript:`); anything else at the start cannot, except junk the parser trims.
  return c > 0x20 && c < 0x80 && c !== 0x5c && c !== 0x3c && !/^[a-z]/i.test(v) && !/[\t\n\r]/.test(v.slice(0, 64));
}

export const openRedirect: Detector = {
  id: 'open-redirect',
  detect(value: string): Detection | undefined {
    return judge(value) ?? behindTags(value);
  },
};

/** The value as the browser's URL parser sees it: trimmed, tabs and newlines removed, then scheme and authority. */
function judge(value: string): Detection | undefined {
  if (value === '' || plainlyRelative(value)) return undefined;
  const trimmed = value.replace(LEADING_JUNK, '');
  let v = trimmed.length > SCAN_LIMIT ? trimmed.slice(0, SCAN_LIMIT) : trimmed;
  const stripped = v.replace(TAB_NEWLINE, '');
  const obfuscated = trimmed.length !== value.length || stripped.length !== v.length;
  v = stripped;
  const scheme = SCHEME.exec(v);
  if (scheme) return withScheme(v, scheme[1]!.toLowerCase(), obfuscated);
  if (/^[/\\]{2}/.test(v)) return authority(v, 0, obfuscated, 'protocol-relative');
  if (EMBEDDED.test(v)) return hit(0.5, 'embedded-url', v);
  if (LOOKALIKE_SLASH.test(v)) return hit(0.7, 'obfuscated-url', v);
  return undefined;
}

/** One round of tag removal, as a sanitiser does it once; not repeated, so the work stays linear. */
function behindTags(value: string): Detection | undefined {
  const v = value.length > SCAN_LIMIT ? value.slice(0, SCAN_LIMIT) : value;
  const tags = LEADING_TAGS.exec(v);
  if (!tags) return undefined;
  const inner = judge(tags[1]! + v.slice(tags[0].length));
  return inner ? hit(Math.max(0.7, inner.confidence), 'obfuscated-url', v) : undefined;
}

function withScheme(v: string, scheme: string, obfuscated: boolean): Detection | undefined {
  if (DANGEROUS.has(scheme)) return INERT_DATA.test(v) ? hit(0.6, 'absolute-url', v) : hit(0.9, 'dangerous-scheme', v);
  const rest = scheme.length + 1;
  if (SPECIAL.has(scheme)) {
    // `https:evil.com`, `http:/evil.com`: no `//`, yet the parser still finds a host (unless the base has the same scheme).
    if (!/^[/\\]{2}/.test(v.slice(rest))) return hit(0.8, 'obfuscated-url', v);
    return authority(v, rest, obfuscated, 'absolute-url');
  }
  if (v.startsWith('//', rest)) return authority(v, rest, obfuscated, 'absolute-url');
  // `mailto:`, `myapp:`, `ms-msdt:`: leaves the site for another application; protocol handlers have been exploited.
  return hit(0.6, 'absolute-url', v);
}

/**
 * Looks at the slashes and the authority from `from` (where `//` or `\\` starts): `\` among them,
 * three or more of them, or a user-info `@` are tricks; a plain `//host` is an ordinary foreign URL.
 */
function authority(v: string, from: number, obfuscated: boolean, plain: string): Detection {
  let i = from;
  let backslash = false;
  while (i < v.length && (v[i] === '/' || v[i] === '\\')) {
    if (v[i] === '\\') backslash = true;
    i++;
  }
  const slashes = i - from;
  let end = i;
  while (end < v.length && end - i < 256 && !'/?#\\'.includes(v[end]!)) end++;
  const host = v.slice(i, end);
  if (backslash || v[end] === '\\') return hit(0.85, 'backslash-authority', v);
  if (host.includes('@')) return hit(0.85, 'userinfo-trick', v);
  if (obfuscated || slashes > 2) return hit(0.8, 'obfuscated-url', v);
  return hit(0.6, plain, v);
}

function hit(confidence: number, reason: string, fragment: string): Detection {
  return { detector: 'open-redirect', confidence, reason, fragment: fragment.slice(0, 64) };
}

/**
 * Parameter names that conventionally carry a redirect target, compared without case and
 * separators (`returnTo`, `return_to`, `return-to`, `RETURNTO`); `a[b][next]` is judged by `next`.
 */
const REDIRECT_NAMES = new Set([
  'next', 'nexturl', 'url', 'redirect', 'redirecturi', 'redirecturl', 'redirectto', 'redir', 'redirurl', 'rurl',
  'return', 'returnto', 'returnurl', 'returnuri', 'returnpath', 'continue', 'continueurl', 'dest', 'desturl',
  'destination', 'goto', 'gotourl', 'target', 'targeturl', 'callback', 'callbackurl', 'forward', 'forwardurl', 'r', 'u',
  'back', 'backurl', 'successurl', 'failureurl', 'cancelurl',
]);
/** Compound names that end in a redirect word: `post_logout_redirect_uri`, `login_return_url`, `afterSignInUrl`-style. */
const REDIRECT_SUFFIX = /(?:redirect(?:uri|url|to)?|redir|returnto|returnurl|returnuri|callbackurl|nexturl|continueurl|successurl|gotourl)$/;

export function isRedirectParameter(name: string): boolean {
  const bracket = /\[([^\]]*)\]$/.exec(name);
  const n = (bracket ? bracket[1]! : name).toLowerCase().replace(/[\s_.-]/g, '');
  return REDIRECT_NAMES.has(n) || (n.length <= 64 && REDIRECT_SUFFIX.test(n));
}
