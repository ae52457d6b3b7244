import { describe, expect, it } from 'vitest';
import { SCAN_LIMIT, detectExhaustive, traversal } from './index.js';

// Test values are written for these tests, not taken from the measuring corpus.
describe('path traversal / LFI / RFI', () => {
  it.each([
    // Climbing, in every spelling a normaliser accepts.
    ['../../../../srv/app/config.yml', 'path-climb'],
    ['..\\..\\..\\boot.ini', 'path-climb'],
    ['..\\/..\\/secret.txt', 'path-climb'],
    ['....//....//....//home/alice/notes', 'path-climb'],
    ['/static/..;/..;/manager/html', 'path-climb'],
    ['images/../../../opt/data/db.sqlite', 'path-climb'],
    ['..%2f..%2fsettings.json', 'path-climb'], // left encoded by a second encoding layer
    ['%2e%2e%5c%2e%2e%5creports', 'path-climb'],
    ['..\0', 'path-climb'],
    ['/var/www/html/..', 'path-climb'],
    ['download?file=../../../home/bob/.profile', 'path-climb'],
    ['../etc/hostname', 'path-climb'],
    ['../../srv/www/upload.php\0.png', 'path-climb'], // an asset extension after a NUL does not make it an asset
    ['.../.../winnt/win.ini', 'path-climb'],
    // Sensitive targets without climbing.
    ['/etc/shadow', 'sensitive-file'],
    ['/proc/self/cmdline', 'sensitive-file'],
    ['C:\\Windows\\system32\\config\\SAM', 'sensitive-file'],
    ['c:/boot.ini', 'sensitive-file'],
    ['~/.ssh/id_ed25519', 'sensitive-file'],
    ['/home/carol/.bash_history', 'sensitive-file'],
    ['/var/log/nginx/access.log', 'sensitive-file'],
    ['site/.htpasswd', 'sensitive-file'],
    ['WEB-INF\\web.xml', 'sensitive-file'],
    ['web.config', 'sensitive-file'],
    ['/.git/config', 'sensitive-file'],
    ['tail -n 20 /etc/nginx/nginx.conf', 'sensitive-file'],
    ['/tmp/sess_4f2a9c', 'sensitive-file'],
    ['/.vscode/settings.json', 'sensitive-file'],
    ['dump-2024.sql.gz', 'sensitive-file'],
    // Wrappers.
    ['php://filter/convert.base64-encode/resource=index.php', 'stream-wrapper'],
    ['PHP://input', 'stream-wrapper'],
    ['phar://uploads/avatar.jpg/x', 'stream-wrapper'],
    ['expect://id', 'stream-wrapper'],
    ['zip://archive.zip#inner.php', 'stream-wrapper'],
    ['file:///srv/secret.key', 'stream-wrapper'],
    ['data://text/plain;base64,SGVsbG8=', 'stream-wrapper'],
    ['data:text/plain,<?php echo 1; ?>', 'stream-wrapper'],
    // NUL truncation and remote include.
    ['avatar.php\0.png', 'nul-truncation'],
    ['templates/header.inc\0', 'nul-truncation'],
    ['http://203.0.113.9/payload.txt?', 'remote-include'],
    ['https://files.example.net/tools/run.php??', 'remote-include'],
    ['\\\\198.51.100.4\\share\\x.php', 'remote-include'],
    ['http://192.0.2.44/drop.php', 'remote-include'],
  ])('%s is flagged (%s)', (value, reason) => {
    const d = traversal.detect(value);
    expect(d).toBeDefined();
    expect(d?.reason).toBe(reason);
    expect(d?.detector).toBe('traversal');
    expect(d?.fragment.length).toBeLessThanOrEqual(64);
    expect(d?.confidence).toBeGreaterThan(0.5);
  });

  it.each([
    'docs/readme.md', 'a/b/c', './local/file.txt', '1.2.3', 'v10.4.0-beta.2', 'wait... what', 'and so on..', 'so on../and on',
    '..', 'this is .. odd', '...', 'Loading...', 'https://example.com/a/b?c=d', 'https://cdn.example.org/img/logo.png',
    'https://shop.example.com/search?', 'C:\\Users\\me\\Documents\\report.docx', '/usr/share/doc/readme', '/shop/etc/gift-cards',
    'fetch/passwords', 'etc.', 'my.env', 'Set up /etc later', 'see section 3.1.4', '../../assets/images/card-visa.svg',
    '/.well-known/openid-configuration', 'file name.pdf', 'data:image/png;base64,iVBORw0KGgo=', 'data:image/svg+xml;base64,PD94bWwg',
    'ftp is old', 'the passwd field', 'price 3.50 and 4.20', '/api/v2/orders/17', 'C:/Program Files/App/app.exe',
    'user@example.com', 'Mr. Smith.. Jr.', '/products?page=2&sort=asc', '{"path":"reports/2024/q1.csv"}',
  ])('%s is benign', (value) => {
    expect(traversal.detect(value)).toBeUndefined();
  });

  it('is more confident when climbing several levels or to a known target', () => {
    const one = traversal.detect('../notes.txt')!;
    const many = traversal.detect('../../../notes.txt')!;
    const target = traversal.detect('../../../etc/passwd')!;
    expect(one.confidence).toBeLessThan(many.confidence);
    expect(many.confidence).toBeLessThan(target.confidence);
  });

  it('scans head and tail of a 1 MB value quickly, not the middle', () => {
    const pad = 'x/'.repeat(1 << 19); // 1 MB
    const t0 = Date.now();
    expect(traversal.detect(pad)).toBeUndefined();
    expect(traversal.detect(`${pad}../../../etc/passwd`)?.reason).toBe('path-climb');
    expect(traversal.detect(`php://filter/resource=x${pad}`)?.reason).toBe('stream-wrapper');
    const middle = `${pad}../../../etc/passwd${pad}`;
    expect(middle.length).toBeGreaterThan(2 * SCAN_LIMIT);
    expect(traversal.detect(middle)).toBeUndefined();
    // Adversarial runs of dots and separators stay linear.
    expect(traversal.detect('.'.repeat(1 << 20))).toBeUndefined();
    expect(traversal.detect('/.a'.repeat(350_000))).toBeDefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
  it('the character gates never hide a finding (differential test against the exhaustive path)', () => {
    // Seeded mix of path syntax (climbs in several spellings, separators, encodings, NULs, wrappers,
    // targets, URLs) and prose: detect() may only skip rules that could not have fired.
    const pieces = [
      '/', '\\', '//', '.', '..', '...', '../', '..\\', '..;/', '....//', '%2e', '%2E%2e', '%252e', '%u002e', '%c0%ae', '0x2e', '0X2E',
      '%2f', '%5c', '%00', '\0', '?', '??', ':', '~', '~/', '_', '_log', '.env', '.git/config', '.ssh/id_rsa', 'etc/passwd', '/etc/',
      'etc', '/tmp/', 'proc/self/environ', 'var/log', 'WEB-INF/', 'web.config', 'win.ini', 'C:\\', 'c:/', 'windows\\system32',
      'php://filter', 'file://', 'file:/', 'data:,', 'data:text/plain,<?php', 'phar://', 'http://', 'https://192.0.2.7/', 'x.php', 'a.txt',
      'a.png', 'backup.sql', 'index.php.bak', '/.claude/', '/.well-known/', 'debug', 'access', 'the', 'notes', 'wait', 'what', 'and', 'so',
      'on', 'KBD-0075', '75%', 'v1.2', 'Mr', ' ', ' ', '=', '"', '(', 'é', '\u00a0',
    ];
    let seed = 20261203;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    let fired = 0;
    for (let n = 0; n < 600; n++) {
      const len = 1 + rand(6);
      const parts: string[] = [];
      for (let k = 0; k < len; k++) parts.push(pieces[rand(pieces.length)]!);
      const value = parts.join(rand(2) === 0 ? '' : ' ');
      const exhaustive = detectExhaustive(value);
      if (exhaustive) fired++;
      expect(traversal.detect(value), value).toEqual(exhaustive);
    }
    // The generator must reach the rules, or the comparison proves nothing.
    expect(fired).toBeGreaterThan(100);
  });
});
