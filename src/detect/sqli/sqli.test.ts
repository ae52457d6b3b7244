import { describe, expect, it } from 'vitest';
import { detectSqliExhaustive } from './detect.js';
import { sqli, tokenize } from './index.js';

// Hand-written examples: each attack shows one SQL shape; each benign value is a look-alike that a
// keyword or regex filter would trip on. None is taken from the measuring corpus.
const ATTACKS: Array<[string, string]> = [
  ["x' OR 1=1", 'tautology'],
  ["pw' or 'q'='q", 'tautology'],
  ["bob') OR ('z'='z", 'tautology'],
  ['7 OR 2=2', 'tautology'],
  ['42 AND 3>2', 'tautology'],
  ['OR k=k--', 'tautology'],
  ["zz' AnD SlEeP(7)-- x", 'time-function'],
  ['12 and sleep(3)', 'time-function'],
  ["q'; WAITFOR DELAY '0:0:9'--", 'stacked-query'],
  ['3 AND BENCHMARK(900000,SHA1(2))', 'time-function'],
  ["v' || pg_sleep(4)--", 'time-function'],
  ['-3 UNION SELECT 1,2,3--', 'union-select'],
  ["k' UNION ALL SELECT NULL,NULL#", 'union-select'],
  ['9 UN/**/ION SEL/**/ECT pass FROM members', 'union-select'],
  ['9 /*!50000UNION*/ /*!50000SELECT*/ 1,2', 'union-select'],
  ["m'; DROP TABLE accounts;--", 'stacked-query'],
  ['5; INSERT INTO staff VALUES (1)', 'stacked-query'],
  ["y'; exec master..xp_cmdshell 'dir'--", 'stacked-query'],
  ["root'--", 'comment-terminated'],
  ["root'#", 'comment-terminated'],
  ["root')-- -", 'comment-terminated'],
  ['2 ORDER BY 4--', 'order-by-probe'],
  ["p' AND extractvalue(7,concat(0x5c,version()))-- ", 'sql-function'],
  ['4 AND updatexml(2,concat(0x3a,user()),2)', 'sql-function'],
  ["r' UNION SELECT load_file('/etc/hosts')--", 'union-select'],
  ['0 UNION SELECT table_name FROM information_schema.tables', 'union-select'],
  ["t' AND (SELECT count(*) FROM information_schema.columns)>0-- ", 'tautology'],
  ["g' AND ascii(substring((SELECT pwd FROM u LIMIT 1),1,1))>77--", 'tautology'],
  ['8 AND char(65)=0x41', 'tautology'],
  ["w'+(SELECT 1 FROM dual)+'", 'subquery'],
  ['SELECT * FROM staff WHERE id = 3', 'sql-statement'],
  ['( 3 OR 4 ) --', 'sql-expression'],
  ["zz' ^ 0 = 'zz", 'quote-balanced-expression'],
  ["q' EXEC xp_cmdshell 'whoami'", 'stacked-query'],
  ['exec xp_cmdshell', 'command-exec'],
  ['EXEC(@cmd)', 'dynamic-exec'],
  ['-4 ORDER BY 1,2,3--', 'order-by-probe'],
  ['6\u00a0UNION\u00a0SELECT\u00a07--', 'union-select'],
  ['9 GROUP BY concat(version(),floor(rand(0)*2)) HAVING min(0)', 'group-by-error'],
  ["IF(2>1) SELECT 1 ELSE DROP TABLE t--", 'sql-statement'],
  ['3 --', 'comment-terminated'],
  ["'or'2=2", 'quote-balanced-expression'],
  ["guest' or '", 'quote-balanced-expression'],
  ["' or ''^'", 'quote-balanced-expression'],
  ['" and ""*"', 'quote-balanced-expression'],
  ["' -- &pass=x", 'comment-terminated'],
  ['select user_name();', 'sql-statement'],
  ['SELECT current_schema();', 'sql-statement'],
];

const BENIGN = [
  "O'Brien",
  "Rock 'n' roll",
  'SELECT a plan',
  'select your seat',
  'Union Station',
  'Union Select Committee minutes',
  'drop me a line; thanks',
  '1-2-3',
  '--help',
  `I'm 5'11"`,
  'salt and pepper or sugar',
  'rock or roll and jazz',
  'Select Comfort mattress from our store',
  'ORDER BY date please',
  'jane.doe+orders@example.com',
  'https://shop.example.com/p?id=12&sort=desc#top',
  '{"name":"Ann","tags":["a","b"],"n":[1,2]}',
  '[[-3,"-4"],[5,6]]',
  'TRUE#LAST',
  'It\'s 5 o\'clock -- time for tea',
  'Delete from cart',
  '"Hello" and "goodbye"',
  'size 16" or 18"',
  'insert coin; play again',
  'where is 1 = 1 in math?',
  'C# or F#',
  '1950 or 1960',
  'we sleep (5 hours)',
  "what's up; drop it",
  "don't; select none",
  "L'Union SELECT nouveau",
  '1---',
  "Don't--stop",
  'Page 3 -- intro',
  'Drop table tennis',
  '"Tom" & "Jerry"',
  'x = y',
  "Aisle 4 '#'",
  "'and'",
  "'hello' or 'bye'",
  '"#1 DAD"',
  "'-- see below'",
  "'or'",
  'select current offers',
];

describe('sqli detector', () => {
  it.each(ATTACKS)('flags %s', (value, reason) => {
    const d = sqli.detect(value);
    expect(d, value).toBeDefined();
    expect(d?.reason).toBe(reason);
    expect(d?.detector).toBe('sqli');
    expect(d?.confidence).toBeGreaterThan(0);
    expect(d?.confidence).toBeLessThanOrEqual(1);
    expect(d?.fragment.length).toBeLessThanOrEqual(64);
  });

  it.each(BENIGN)('passes %s', (value) => {
    expect(sqli.detect(value)).toBeUndefined();
  });

  it('only scans a bounded prefix of huge values, in linear time', () => {
    const huge = "'".repeat(300_000) + '('.repeat(300_000) + 'a or '.repeat(100_000);
    const t0 = performance.now();
    sqli.detect(huge);
    sqli.detect('x'.repeat(1 << 20) + "' OR 1=1--");
    expect(performance.now() - t0).toBeLessThan(200);
    // Padding past the head window does not hide a payload at the end; the middle is not scanned.
    expect(sqli.detect('a'.repeat(5000) + "' OR 1=1--")?.reason).toBe('tautology');
    expect(sqli.detect("' OR 1=1--" + 'a'.repeat(10000))?.reason).toBe('tautology');
    expect(sqli.detect('a'.repeat(5000) + "x' OR 1=1--" + 'a'.repeat(5000))).toBeUndefined();
  });

  it('tokenizes from inside a quoted literal', () => {
    const kinds = tokenize("ab' OR 'c'='c", "'").map((t) => t.kind).join('');
    expect(kinds).toBe('s&sos');
    expect(tokenize('1 UNION ALL SELECT @@version -- x', '').map((t) => t.kind).join('')).toBe('nUEvc');
  });

  it('the bare-context pre-check never hides a finding (differential test against the exhaustive scan)', () => {
    // Seeded mix of SQL pieces, punctuation that changes tokenizing (dots, digits, exponents, operators)
    // and prose: the pre-check may only skip what the rules would not have flagged anyway.
    const pieces = [
      'union', 'UNION ALL', 'select', 'SELECT', 'from', 'where', 'having', 'order by', 'group by', 'waitfor', 'delay', 'into', 'outfile',
      'exec', 'execute', 'xp_cmdshell', 'master', 'drop', 'table', 'delete', 'insert', 'update', 'set', 'create', 'shutdown',
      'and', 'or', 'xor', 'not', 'like', 'is', 'null', 'true', 'information_schema.tables', 'sysobjects', 'sys.objects', 'pg_shadow',
      'utl_http.request', 'dbms_pipe.receive_message', 'sleep', 'benchmark', 'version', 'user', '1', '2', '0x41', '3.14', '1e5', '.5',
      '1union', '5sysobjects', '2or', '-', '+', '=', '<', '>', '<=', '<>', '!=', '<=>', '::', '*', '/', '%', ',', '.', ':', '[', ']', '{',
      '\\', '~', '!', '^', 'x', 'name', 'keyboard', 'with', 'the', 'cats', 'dogs', '\u00a0', 'ſelect', 'unıon',
      '&', '|', '&&', '||', 'a=1&b=2', '|/', '||/', '&amp;',
    ];
    let seed = 20261203;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    let fired = 0;
    for (let n = 0; n < 20_000; n++) {
      const len = 1 + rand(7);
      const parts: string[] = [];
      for (let k = 0; k < len; k++) parts.push(pieces[rand(pieces.length)]!);
      const value = parts.join(rand(3) === 0 ? '' : ' ');
      const exhaustive = detectSqliExhaustive(value);
      if (exhaustive) fired++;
      expect(sqli.detect(value)?.reason, value).toBe(exhaustive?.reason);
    }
    for (const [value] of ATTACKS) expect(sqli.detect(value)?.reason, value).toBe(detectSqliExhaustive(value)?.reason);
    // The generator must reach the rules, or the comparison proves nothing.
    expect(fired).toBeGreaterThan(500);
  });
});
