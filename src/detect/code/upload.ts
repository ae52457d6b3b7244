import type { Detection, Detector, InputKind } from '../types.js';

/**
 * A PHP script, session file or server configuration file handed over as an upload's file name
 * (CRS 933110, 933220 and 932180): a
 * web server that stores `shell.php` (or `shell.php.`, `shell. phtml`, `shell.phar`) under its
 * document root runs it, and a file named `sess_<id>` planted in the session directory becomes a
 * session. Only file names count: the names of multipart file parts (inputs of kind `file-name`) and the `X-Filename`-style headers upload APIs use. Elsewhere `index.php` is an
 * ordinary value (a page, a link), so the `code` detector does not judge names.
 */
const PHP_SCRIPT = /(?:^|[\\/])[^\\/\s]{0,255}\.\s*(?:php\d{0,3}|phtml|phar|phps|pht|phpt|pgif|inc)[.\s]*$/i;
/** `/app/serverComponent.php`: an absolute path names a script on the server (a link, a route), not an upload. */
const ABSOLUTE = /^\s*(?:[\\/]|[a-z]:[\\/])/i;
const SESSION_FILE = /(?:^|[\\/])sess_[a-z0-9,-]{16,}$/i;
/**
 * Files a web server or framework reads as its own configuration where they land (CRS 932180's
 * restricted uploads): `.htaccess` makes Apache run any extension as PHP, `.user.ini` and
 * `php.ini` add an auto-prepended script, `web.config` does the same on IIS, and framework
 * settings (`settings.php`, `config.yml`, `.env`) hold the credentials an attacker replaces.
 */
const SERVER_CONFIG = /(?:^|[\\/])(?:\.htaccess|\.htpasswd|\.htdigest|\.user\.ini|php\.ini|web\.config|\.env(?:\.[a-z]+)?|(?:default\.)?settings(?:\.local)?\.php|(?:config|parameters|services|routing|security)(?:_[a-z]+)?\.ya?ml|local\.xml|\.boto)[.\s]*$/i;
const FILENAME_HEADER = /^x[-_.]?file[-_.]?name$/i;

export const phpUpload: Detector = {
  id: 'code',
  appliesTo: (kind: InputKind, name: string | undefined) => kind === 'file-name' || (kind === 'header' && name !== undefined && FILENAME_HEADER.test(name)),
  detect(value: string): Detection | undefined {
    // A file name is short and has a dot or an underscore; anything else is decided here.
    if (value.length > 1024 || (!value.includes('.') && !value.includes('_'))) return undefined;
    // A URL or a query (`https://x/index.php`, `page=a.php`) names a resource, not an uploaded file.
    if (/:\/\/|[?=&#]/.test(value)) return undefined;
    const trimmed = value.trim();
    let m = ABSOLUTE.test(trimmed) ? null : PHP_SCRIPT.exec(trimmed);
    if (m) return { detector: 'code', confidence: 0.8, fragment: m[0].replace(/^[\\/]/, '').slice(-64), reason: 'php-upload' };
    m = SERVER_CONFIG.exec(trimmed);
    if (m) return { detector: 'code', confidence: 0.75, fragment: m[0].replace(/^[\\/]/, '').slice(-64), reason: 'server-config-upload' };
    m = SESSION_FILE.exec(trimmed);
    if (m) return { detector: 'code', confidence: 0.75, fragment: m[0].replace(/^[\\/]/, '').slice(-64), reason: 'php-session-upload' };
    return undefined;
  },
};
