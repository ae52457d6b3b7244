import type { Detection, Detector } from '../types.js';
import { BARE, BIN_DIRS, COMMANDS, NETWORK, WORDY, WRAPPERS, type Strength } from './commands.js';
import { globLength, globMatch, hasGlob } from './glob.js';
import { globbedPath } from './paths.js';
import { variableCommand } from './variables.js';
import { mailCommand } from './mail.js';
import { unixView, windowsView } from './views.js';
import {
  ALL, BANG, COMMA, CR, DASH, DOLLAR, EQ, GT, IF_WORD, LBRACE, LBRACKET, LF, LPAREN, LT, PERCENT, PRECHECK_BITS, QMARK, RBRACE, RPAREN,
  LEADING, SEPARATOR_BITS, SLASH, STAR, TILDE, scanValue,
} from './chars.js';

/**
 * OS command injection: shell structure, not keywords. A command separator or substitution
 * (`;`, `|`, `&&`, a newline, backticks, `$(…)`, `<(…)`, `{a,b}`) followed by a word the shell would
 * run as a known program; or a whole value that is a command line with attack-typical arguments.
 * Words are read after undoing shell quoting (see views.ts), so `w'h'o'am'i` and `/???/c?t` count.
 */

/** Only this much of each end is scanned: an injected command has to sit near one of them to run. */
export const SCAN_LIMIT = 4096;

/** Values without any of these cannot hold shell structure; most prose stops here. */
const PRECHECK = /[;|&`$\n\r<>(){}\\/%^'"*?[=~!-]/;
const WORD_CHAR = /[a-z0-9_.\-/\\?*[\]~%+]/;
/** Right after a command word: the word ended the way a command does (space, separator, redirect, end). */
const AFTER_COMMAND = /[\s;|&)<>`$]/;

type Separator = { text: string; strong: boolean; substitution: boolean };

interface Hit {
  confidence: number;
  reason: string;
  from: number;
  to: number;
  /** Set when the shape is also seen in benign values (see Detection.paranoia); 1 when absent. */
  paranoia?: 2 | 3 | 4;
}

export const cmdi: Detector = {
  id: 'cmdi',
  detect(value: string): Detection | undefined {
    const v = scanWindow(value);
    // One pass over the char codes decides which sub-checks can match at all (chars.ts); most
    // ordinary values need none of them and are done without a regex or a lower-cased copy.
    const chars = scanValue(v, commandOf);
    return run(v, (chars & PRECHECK_BITS) === 0, chars);
  },
};

/**
 * The un-gated reference: every sub-check on every value, as detect() behaved before its character
 * gates. For differential tests only (detect() must return exactly what this returns); not faster.
 */
export function detectExhaustive(value: string): Detection | undefined {
  const v = scanWindow(value);
  return run(v, !PRECHECK.test(v), ALL);
}

/** The head and tail of a long value, joined by a newline. */
function scanWindow(value: string): string {
  return value.length > 2 * SCAN_LIMIT ? `${value.slice(0, SCAN_LIMIT)}\n${value.slice(-SCAN_LIMIT)}` : value;
}

/**
 * The sub-checks, in their fixed order, each skipped when `chars` (the value's character set, see
 * chars.ts) lacks a character it cannot match without, or the first word names no command (no
 * LEADING bit). A skipped check could only have returned undefined, so the first hit is unchanged.
 */
function run(v: string, plain: boolean, chars: number): Detection | undefined {
  const leading = (chars & LEADING) !== 0;
  const batchMay = (chars & IF_WORD) !== 0;
  if (plain) {
    // BARE names are all in COMMANDS, so `leading` gates bareProbe as it gates shortCommand.
    return (leading ? bareProbe(v) : undefined) ?? (batchMay ? batchHit(v) : undefined) ?? (leading ? shortCommand(v) : undefined);
  }
  const chainMay = (chars & SEPARATOR_BITS) !== 0 || ((chars & (DOLLAR | LT | GT)) !== 0 && (chars & LPAREN) !== 0);
  const structMay = structuresMay(chars);
  if (!chainMay && !leading && !structMay && !batchMay) return undefined;
  const raw = v.toLowerCase();
  // The cmd view differs only where `\`, `^` or `%` occur; most values skip it.
  const unix = unixView(raw);
  // A cmd view equal to the sh view would repeat every check with the same result.
  const windows = /[\\^%]/.test(v) ? windowsView(raw) : unix;
  const views = windows === unix ? [unix] : [unix, windows];
  // The first finding that counts at paranoia 1 decides; else the first of a higher level.
  let weak: Detection | undefined;
  for (const view of views) {
    const hit =
      (chainMay ? chained(view) : undefined) ??
      (leading ? leadingCommand(view, raw) : undefined) ??
      (structMay ? structures(view, chars) : undefined) ??
      (batchMay ? batch(raw) : undefined);
    if (!hit) continue;
    if (!hit.paranoia) return toDetection(hit, view, raw);
    weak ??= toDetection(hit, view, raw);
  }
  // Variables that spell or pad the command word: read on the raw value, whose `$` the views drop.
  const variable = chainMay && (chars & DOLLAR) !== 0 ? variableCommand(raw, commandOf) : undefined;
  if (variable) {
    const hit: Hit = { confidence: variable.confidence, reason: 'obfuscated-command', from: variable.from, to: variable.to };
    if (!variable.paranoia) return toDetection(hit, raw, raw);
    weak ??= toDetection({ ...hit, paranoia: variable.paranoia }, raw, raw);
  }
  // A mail protocol command on a line of its own after a CRLF (paranoia 2 or 3).
  const mail = weak === undefined && (chars & CR) !== 0 && (chars & LF) !== 0 ? mailCommand(raw) : undefined;
  if (mail) weak = toDetection({ confidence: 0.6, reason: 'mail-command', from: mail.from, to: mail.to, paranoia: mail.paranoia }, raw, raw);
  return weak;
}

/** `whoami`, `'i'fconfig`: a value that is nothing but a recon command. */
function bareProbe(v: string): Detection | undefined {
  if (v.length > 16) return undefined;
  const w = v.trim().toLowerCase();
  return BARE.has(w) ? { detector: 'cmdi', confidence: 0.5, reason: 'shell-command', fragment: w } : undefined;
}

/** `time ifconfig`, `netstat all`: a short value can be a command line without any metacharacter. */
function shortCommand(v: string): Detection | undefined {
  if (v.length > 64) return undefined;
  const raw = v.toLowerCase();
  const hit = leadingCommand(raw, raw);
  return hit ? toDetection(hit, raw, raw) : undefined;
}

/** `IF EXIST x CMD` needs no shell metacharacter at all. */
function batchHit(v: string): Detection | undefined {
  const raw = v.toLowerCase();
  const hit = batch(raw);
  return hit ? toDetection(hit, raw, raw) : undefined;
}

function toDetection(hit: Hit, view: string, raw: string): Detection {
  const fragment = view.slice(hit.from, Math.min(hit.to, hit.from + 64)).trim();
  // The words only appear after unquoting: the value spelled the command so a filter would miss it.
  const word = /[a-z0-9]{2,}/.exec(fragment.replace(/^[^a-z0-9]*/, ''))?.[0] ?? '';
  const obfuscated = hit.reason !== 'obfuscated-command' && word !== '' && !raw.includes(word);
  const detection: Detection = { detector: 'cmdi', confidence: hit.confidence, reason: obfuscated ? 'obfuscated-command' : hit.reason, fragment: fragment.slice(0, 64) };
  return hit.paranoia ? { ...detection, paranoia: hit.paranoia } : detection;
}

/** Whether a known program is among the words before `i` (at most 256 characters back): `Tom | sh` pipes no program. */
function commandBefore(s: string, i: number): boolean {
  const words = s.slice(Math.max(0, i - 256), i).split(/[^a-z0-9._-]+/);
  return words.some((w) => w.length >= 2 && COMMANDS.has(w));
}

/** Programs that run their standard input as code. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'ksh', 'dash', 'csh', 'tcsh', 'busybox', 'python', 'perl', 'ruby', 'php', 'node', 'lua', 'powershell', 'pwsh', 'cmd', 'iex']);

/** The separators, shared: separatorAt is called at every separator character and must not allocate. */
const SEP = {
  semi: { text: ';', strong: false, substitution: false },
  lf: { text: '\n', strong: false, substitution: false },
  cr: { text: '\r', strong: false, substitution: false },
  or: { text: '||', strong: true, substitution: false },
  pipe: { text: '|', strong: false, substitution: false },
  and: { text: '&&', strong: true, substitution: false },
  amp: { text: '&', strong: false, substitution: false },
  backtick: { text: '`', strong: true, substitution: true },
  arith: { text: '$((', strong: true, substitution: true },
  dollar: { text: '$(', strong: true, substitution: true },
  input: { text: '<(', strong: true, substitution: true },
  output: { text: '>(', strong: true, substitution: true },
  brace: { text: '{', strong: false, substitution: false },
} as const satisfies Record<string, Separator>;

/** The separator starting at `i`, if any. Prose uses `;` `&` `|` too; `&&` `||` `$(` and backticks it does not. */
function separatorAt(s: string, i: number): Separator | undefined {
  const c = s[i];
  const n = s[i + 1];
  switch (c) {
    case ';':
      return SEP.semi;
    case '\n':
    case '\r':
      // Weak: multi-line text (GraphQL, code, addresses) puts words at line starts all the time.
      return c === '\n' ? SEP.lf : SEP.cr;
    case '|':
      return n === '|' ? SEP.or : SEP.pipe;
    case '&':
      return n === '&' ? SEP.and : SEP.amp;
    case '`':
      return SEP.backtick;
    case '$':
      if (n === '(') return s[i + 2] === '(' ? SEP.arith : SEP.dollar;
      return undefined;
    case '<':
      return n === '(' ? SEP.input : undefined;
    case '>':
      return n === '(' ? SEP.output : undefined;
    case '{':
      return SEP.brace;
    default:
      return undefined;
  }
}

/** Characters a separator starts with: the scan jumps from one to the next (natively, and test() builds no match array). */
const SEPARATOR_START = /[;\n\r|&`$<>{]/g;

/** A separator, then a command. */
function chained(s: string): Hit | undefined {
  SEPARATOR_START.lastIndex = 0;
  // The separators that are themselves part of a command prefix (`{`, newlines) come in runs
  // (`{{{{…`, blank lines): from each one of a run the prefix scan reaches the same word, and for
  // these the verdict depends on nothing else (not on spacing, not on the position). So one of each
  // kind per run is judged; judging each would rescan the rest of the run from every one (quadratic).
  // Per kind of such separator, where the prefix after the last one judged ended (runs may mix kinds: `\n{\n{…`).
  let braceReach = -1;
  let lfReach = -1;
  let crReach = -1;
  while (SEPARATOR_START.test(s)) {
    const i = SEPARATOR_START.lastIndex - 1;
    const sep = separatorAt(s, i);
    if (!sep) continue;
    const start = i + sep.text.length;
    const kind = sep === SEP.brace ? 0 : sep === SEP.lf ? 1 : sep === SEP.cr ? 2 : -1;
    if (kind >= 0 && start <= (kind === 0 ? braceReach : kind === 1 ? lfReach : crReach)) {
      SEPARATOR_START.lastIndex = start;
      continue;
    }
    const found = commandAfter(s, start, sep);
    if (found) return found;
    if (kind === 0) braceReach = prefixEnd(s, start);
    else if (kind === 1) lfReach = prefixEnd(s, start);
    else if (kind === 2) crReach = prefixEnd(s, start);
    SEPARATOR_START.lastIndex = start;
  }
  return undefined;
}

/** Where the prefixes the shell accepts before a command (blanks, `(`, `{`, `!`, `@`) end; commandAfter reads the same. */
function prefixEnd(s: string, start: number): number {
  let j = start;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (!isSpaceCode(c) && c !== 40 && c !== 123 && c !== 33 && c !== 64) break;
    j++;
  }
  return j;
}

/** `\s` as a JS regex reads it (Unicode spaces included), by char code. */
function isSpaceCode(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** AFTER_COMMAND (`[\s;|&)<>\`$]`) by char code. */
function endsCommand(c: number): boolean {
  return c === 59 || c === 124 || c === 38 || c === 41 || c === 60 || c === 62 || c === 96 || c === 36 || isSpaceCode(c);
}

function commandAfter(s: string, start: number, sep: Separator): Hit | undefined {
  let j = start;
  let spaced = false;
  // `; (id)`, `&& !id`, `&@cmd`, `;{id,}`: prefixes the shell (or cmd) accepts before a command.
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (isSpaceCode(c)) spaced = true;
    else if (c !== 40 && c !== 123 && c !== 33 && c !== 64) break;
  }
  j = skipAssignments(s, j);
  const end = wordEnd(s, j);
  if (end - j < 2) return undefined;
  const term = s[end];
  // Most words after a `{`, `&` or `;` are keys and names (`{a:1}`, `&b=2`): rejected before any lookup.
  if (end < s.length && term !== ',' && term !== '(' && !endsCommand(s.charCodeAt(end))) return undefined;
  const cmd = commandOf(s.slice(j, end));
  if (!cmd) return undefined;
  const reason = sep.substitution ? 'command-substitution' : cmd.glob ? 'obfuscated-command' : 'command-chain';
  const hit = (confidence: number): Hit => ({ confidence, reason, from: start - sep.text.length, to: argsEnd(s, end) });
  // `;c?t /etc/x` is an evasion; a bare `;y?m` in a random token is not evidence of one.
  if (cmd.glob && !cmd.path && !shellArgsFollow(s, end, cmd.name)) return undefined;
  if (sep.text === '{') {
    // `{cat,/etc/passwd}`: brace expansion runs the first word with the rest as arguments.
    return term === ',' && shellArgAt(s, end + 1) ? hit(0.9) : undefined;
  }
  // `iex(…)`: PowerShell calls take parentheses; a shell word ends at a space or an operator.
  if (term !== undefined && !AFTER_COMMAND.test(term) && !(term === '(' && (cmd.name === 'iex' || cmd.name.includes('-')))) return undefined;
  // `a|rm|b`, `NC|NC|`: pipe-delimited data, not a pipeline.
  if (sep.text === '|' && !spaced && (term === '|' || term === undefined) && s[start - 2] !== ' ') return undefined;
  // `… | sh`, `…|bash #`: piping into a shell or an interpreter at the end of the value runs what came before.
  if (sep.text === '|' && SHELLS.has(cmd.name) && end + 64 >= s.length && /^[ \t]*(?:#[^\n]*)?\s*$/.test(s.slice(end)) && commandBefore(s, start - 1)) return hit(0.85);
  if (cmd.strength === 'strong' || cmd.path) {
    if (sep.strong || term === undefined || shellArgsFollow(s, end, cmd.name)) return hit(sep.strong ? 0.95 : 0.9);
    // `;iex (iwr http://…)`: a PowerShell subexpression (or a subshell) that runs another program.
    if (subexpressionAt(s, end)) return hit(0.85);
    // `Notes; id est …`, `{\n  id\n}`: after a prose-like separator, a strong name alone needs shell after it.
    const next = /\S/.exec(s.slice(end, end + 16))?.[0];
    // `; ansible-vault decrypt x`: a program no word shares, with arguments that are not a sentence.
    if (cmd.unambiguous && cmd.name.length > 3 && (next === undefined || (/[a-z0-9]/.test(next) && !looksLikeProse(s.slice(end, end + 128))))) return hit(0.75);
    if (!spaced && sep.text !== '\n' && sep.text !== '\r' && (next === undefined || /[;|&`)<>]/.test(next))) return hit(0.85);
    return next !== undefined && /[;&`]/.test(next) && s[end] !== '\n' ? hit(0.8) : undefined;
  }
  if (shellArgsFollow(s, end, cmd.name)) return hit(sep.strong ? 0.9 : 0.85);
  // `foo;cat`, `x;ps;`: no space and nothing after, which prose never writes (`a|b|c` data lists do).
  if (!spaced && sep.text === ';' && (term === undefined || /[;`)]/.test(term))) return hit(0.75);
  // `$(date)`, `` `echo x` ``, `<(cat file)`: a substitution that closes runs whatever is inside.
  if (sep.substitution && /[`)]/.test(s.slice(end, end + 64))) return hit(0.8);
  return undefined;
}

/** After blanks at `end`, a `(` opening on a program name (`iex (iwr …)`, `nohup (sh …)`). */
function subexpressionAt(s: string, end: number): boolean {
  let k = end;
  while (k < s.length && k - end < 4 && (s[k] === ' ' || s[k] === '\t')) k++;
  if (s[k] !== '(') return false;
  k++;
  while (k < s.length && k - end < 8 && (s[k] === ' ' || s[k] === '\t')) k++;
  const wordTo = wordEnd(s, k);
  if (wordTo - k < 2 || (wordTo < s.length && !endsCommand(s.charCodeAt(wordTo)))) return false;
  return commandOf(s.slice(k, wordTo))?.strength === 'strong';
}

/** `VAR=x cmd`: assignments before a command, skipped. */
function skipAssignments(s: string, j: number): number {
  for (let k = 0; k < 3; k++) {
    const length = assignmentAt(s, j);
    if (length === 0) break;
    j += length;
  }
  return j;
}

const NAME_CODE = new Uint8Array(128);
const VALUE_CODE = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  NAME_CODE[c] = /[a-z0-9_]/.test(ch) ? 1 : 0;
  VALUE_CODE[c] = /[a-z0-9_./:-]/.test(ch) ? 1 : 0;
}

/**
 * The length of `/^[a-z_][a-z0-9_]*=[a-z0-9_./:-]*\s+/` matched on `s.slice(j, j + 64)`, or 0, by char
 * code: it is tried after every separator (every `&` of a query string), where a slice and a regex
 * per try cost more than the rest of the check. The test holds it to the regex.
 */
export function assignmentAt(s: string, j: number): number {
  const limit = Math.min(s.length, j + 64);
  let k = j;
  const c0 = k < limit ? s.charCodeAt(k) : 0;
  if (!((c0 >= 97 && c0 <= 122) || c0 === 95)) return 0;
  k++;
  while (k < limit && s.charCodeAt(k) < 128 && NAME_CODE[s.charCodeAt(k)] === 1) k++;
  if (k >= limit || s.charCodeAt(k) !== 61) return 0;
  k++;
  while (k < limit && s.charCodeAt(k) < 128 && VALUE_CODE[s.charCodeAt(k)] === 1) k++;
  const spaces = k;
  while (k < limit && isSpaceCode(s.charCodeAt(k))) k++;
  return k > spaces ? k - j : 0;
}

/**
 * The shell word at `j` (at most 64 characters): letters, digits and the punctuation of paths and
 * globs. `:` only as a drive letter's (`c:\…`), so `key:value` stops at the key.
 */
function readWord(s: string, j: number): { text: string } {
  return { text: s.slice(j, wordEnd(s, j)) };
}

/** WORD_CHAR by char code (the views are lower-cased: no `A-Z`). */
const WORD_CODE = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD_CODE[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0;

/** Where readWord's word starting at `j` ends, with no string built. */
function wordEnd(s: string, j: number): number {
  let k = j;
  while (k < s.length && k - j < 64) {
    const c = s.charCodeAt(k);
    if (c === 58 ? k !== j + 1 || (s[k + 1] !== '\\' && s[k + 1] !== '/') : c >= 128 || WORD_CODE[c] !== 1) break;
    k++;
  }
  return k;
}

/** End of the command's arguments, for the fragment. */
function argsEnd(s: string, end: number): number {
  const stop = s.slice(end, end + 48).search(/[;|&\n`]/);
  return stop < 0 ? Math.min(s.length, end + 48) : end + stop;
}

interface Command {
  name: string;
  strength: Strength;
  /** Named by a path through a binary directory (`/bin/sh`, `C:\Windows\System32\cmd.exe`). */
  path: boolean;
  /** No word is spelled like it: strong, and not in WORDY, or a family tool (`ansible-vault`). */
  unambiguous: boolean;
  glob: boolean;
}

/** `/^[a-z][a-z0-9]*$/.test(word)`, by char code: commandOf's common case, once per word after a separator. */
function isPlainName(word: string): boolean {
  const n = word.length;
  if (n === 0) return false;
  const c0 = word.charCodeAt(0);
  if (!(c0 >= 97 && c0 <= 122)) return false;
  for (let i = 1; i < n; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** The program a shell word names, if it is one the detector knows. */
export function commandOf(input: string): Command | undefined {
  let word = input;
  // Most words are plain names: one map lookup, no path or glob handling.
  if (isPlainName(word)) {
    const strength = COMMANDS.get(word);
    if (strength) return { name: word, strength, path: false, glob: false, unambiguous: strength === 'strong' && !WORDY.has(word) };
    const last = word.charCodeAt(word.length - 1);
    if (!(last >= 48 && last <= 57)) return undefined;
  } else if (!/[/\\?*[]/.test(word) && !/^(?:\.(?:shell|system)|[a-z][a-z0-9-]*(?:\.(?:exe|com|bat|cmd|ps1)|[0-9.]+)?)$/.test(word)) {
    // `user_id`, `a:b`, `x.y`: no path, no glob, not `name.exe`/`name3.10`/`tool-sub`: no program.
    return undefined;
  }
  // `bcdboot/r`, `cmd/c`: cmd allows a switch glued to the program name.
  const glued = /^([a-z][a-z0-9_-]{1,30})\/[a-z?]$/.exec(word);
  if (glued && COMMANDS.has(glued[1]!)) word = glued[1]!;
  const parts = word.split(/[/\\]/);
  let base = parts[parts.length - 1]!;
  const dirs = parts.slice(0, -1).filter((d) => d !== '' && d !== '.' && !/^[a-z]:$/.test(d));
  // `.shell`, `.system`: SQLite's shell escapes; a leading dot on anything else is a file name.
  if (base === '.shell' || base === '.system') base = base.slice(1);
  base = base.replace(/\.(?:exe|com|bat|cmd|ps1)$/, '');
  base = base.replace(/^(python|perl|ruby|php|lua|gcc)[0-9.]*$/, '$1');
  // `ansible-playbook`, `python3-config`, `rmt-tar`: a family's tools share its name (a three-letter
  // family only when no word is spelled like it: `rmt-…`, not `cmd-…` or `php-…`).
  const family = /^([a-z]{3,})-[a-z-]+$/.exec(base)?.[1];
  const isFamily = family !== undefined && !COMMANDS.has(base) && COMMANDS.get(family) === 'strong' && (family.length > 3 || !WORDY.has(family));
  if (isFamily) base = family;
  if (base.length < 2 || base.length > 40) return undefined;
  // `c?t`, `/???/c?t`; not `an*`, a search term's trailing wildcard.
  const globBase = hasGlob(base) && !base.startsWith('*') && (base.replace(/\[[^\]]*\]|[?*]/g, '').match(/[a-z]/g)?.length ?? 0) >= 2;
  const glob = globBase || dirs.some(hasGlob);
  let name: string | undefined;
  let strength: Strength | undefined = COMMANDS.get(base);
  if (strength) name = base;
  else if (globBase) {
    // Without a `*` only names of the pattern's length can match: most are skipped before globMatch.
    const length = globLength(base);
    for (const [c, st] of COMMANDS) {
      if (c.length >= 2 && (length < 0 || c.length === length) && globMatch(base, c)) {
        name = c;
        strength = st;
        break;
      }
    }
  }
  if (!name || !strength) {
    // `/bin/ab`, `/usr/sbin/xyz`: any program named through a bin directory is a program, known or not.
    const last = dirs[dirs.length - 1];
    if (!glob && (last === 'bin' || last === 'sbin') && /^[a-z0-9][a-z0-9._+-]{0,39}$/.test(base) && dirs.every((d) => BIN_DIRS.has(d))) {
      return { name: base, strength: 'weak', path: true, glob: false, unambiguous: false };
    }
    return undefined;
  }
  // `ansible-vault` is a tool; `python-dateutil`, `php-fpm`, `node-gyp` are package names.
  const unambiguous = strength === 'strong' && (isFamily ? !/^(?:python|perl|ruby|php|lua|node|gcc)$/.test(name) : !WORDY.has(name));
  if (parts.length === 1) return { name, strength, path: false, glob, unambiguous };
  // A path: only through a binary directory (`/usr/bin/id`), or run from here (`./x`); `/api/ls` is a URL.
  const binDir = dirs.length > 0 && dirs.every((d) => [...BIN_DIRS].some((b) => globMatch(d, b)));
  const here = parts[0] === '.' && parts.length === 2;
  if (!binDir && !here) return undefined;
  return { name, strength, path: true, glob, unambiguous };
}

/**
 * One of the next few arguments is one only a command line has: a flag, a path, a variable, a
 * redirect; for a network tool, a URL or host name.
 */
function shellArgsFollow(s: string, end: number, name: string): boolean {
  let k = end;
  for (let n = 0; n < 4; n++) {
    const from = k;
    while (k < s.length && (s[k] === ' ' || s[k] === '\t')) k++;
    if (k === from && !(n === 0 && /[<>]/.test(s[k] ?? ''))) return false;
    if (shellArgAt(s, k)) return true;
    if (n === 0 && NETWORK.has(name) && /^(?:[a-z]+:\/\/|[a-z0-9-]+(?:\.[a-z0-9-]+)+)/.test(s.slice(k, k + 64))) return true;
    while (k < s.length && !/[\s;|&`)]/.test(s[k]!)) k++;
  }
  return false;
}

function shellArgAt(s: string, k: number): boolean {
  const c = s[k];
  if (c === undefined) return false;
  if (c === '-' ) return /^-{1,2}[a-z0-9]/.test(s.slice(k, k + 3));
  if (c === '/') return /^\/[a-z.*?[]/.test(s.slice(k, k + 2)) || s[k + 1] === ' ' || s[k + 1] === undefined;
  if (c === '.' || c === '~') return /^(?:\.\.?|~)[/\\]/.test(s.slice(k, k + 3));
  if (c === '$' || c === '`' || c === '%') return true;
  // Redirects; `<anonymous>` and `<b>` are markup, not `< file`.
  if (c === '<') return /^<(?:[\s<(/]|$)/.test(s.slice(k, k + 2));
  if (c === '>') return /^>(?:[\s>&/(]|$)/.test(s.slice(k, k + 2));
  if (/^[a-z]:\\/.test(s.slice(k, k + 3))) return true;
  return /^(?:passwd|shadow|hosts|win\.ini|boot\.ini)\b/.test(s.slice(k, k + 12));
}

/** The whole value is a command line: `cat /etc/passwd`, `/bin/sh -c …`, `nc -e /bin/sh host 4444`. */
function leadingCommand(s: string, raw: string): Hit | undefined {
  let j = 0;
  while (j < s.length && /[\s({]/.test(s[j]!)) j++;
  let word = readWord(s, j).text;
  let cmd = word ? commandOf(word) : undefined;
  let wrapped = false;
  if (cmd && WRAPPERS.has(cmd.name) && !cmd.path) {
    // `time sh -c …`, `nohup nc …`: the wrapped word is the command.
    const k = j + word.length;
    const m = /^\s+/.exec(s.slice(k, k + 8));
    if (m) {
      const inner = readWord(s, k + m[0].length).text;
      const innerCmd = inner ? commandOf(inner) : undefined;
      if (innerCmd && innerCmd.strength === 'strong') {
        j = k + m[0].length;
        word = inner;
        cmd = innerCmd;
        wrapped = true;
      }
    }
  }
  if (!cmd) return undefined;
  const end = j + word.length;
  const term = s[end];
  if (term !== undefined && !AFTER_COMMAND.test(term)) return undefined;
  const hit = (confidence: number): Hit => ({ confidence, reason: cmd.glob ? 'obfuscated-command' : 'shell-command', from: j, to: argsEnd(s, end) });
  // `\ls`, `'cscli' …`, `w'h'oami`: a strong command spelled so only a shell reads it.
  const spelled = !raw.trimStart().startsWith(word) && /^[\s\\'"]*[a-z]/.test(raw);
  // `"id"` is a quoted field name; `\ls` and `'cscli'` are the alias-bypass spellings.
  if (cmd.strength === 'strong' && spelled && (cmd.unambiguous || raw.trimStart().startsWith('\\'))) {
    return { ...hit(0.6), reason: 'obfuscated-command' };
  }
  // `pi``ng 127.0.0.1`, `""p""y""t""h""o""n""3`: quotes or an empty substitution between the letters
  // of a program's name. Paranoia 2: `it''s` or `O""Neil` splice words too, just not program names.
  // Judged last: a paranoia-1 reading of the same value comes first.
  const spliced = (): Hit | undefined =>
    spelled && SPLICED.test(raw.slice(0, 128).trimStart().split(/\s/, 1)[0]!) ? { ...hit(0.6), reason: 'obfuscated-command', paranoia: 2 } : undefined;
  const rest = s.slice(end, end + 256);
  // `ifconfig;. rm …; some text`: a program no word shares, chained at once, whatever prose follows.
  if (cmd.unambiguous && /^(?:;|&&|\|\|)/.test(rest)) return hit(0.7);
  if (looksLikeProse(rest)) return spliced();
  // `perf --version`, `env --help`: a long option; prose never writes one after a command word.
  if (/^[ \t]+--[a-z][a-z-]+(?:[ \t=]|$)/.test(rest)) return hit(0.6);
  // `ansible-console⏎`: a tool's name alone on a line that ends, the way a shell reads its input.
  if (cmd.unambiguous && /^[ \t]*\r?\n\s*$/.test(rest)) return hit(0.6);
  if (cmd.path) return hit(term === undefined ? 0.6 : 0.75);
  if (cmd.strength === 'strong' && shellArgsFollow(s, end, cmd.name)) return hit(0.7);
  // `whoami;…`, `id|…`: the value is a command and chains another.
  if (cmd.strength === 'strong' && /^\s*(?:;|&&|\|\|)/.test(rest)) return hit(0.7);
  // `ansible-vault decrypt x`, `cscli alerts list`: a program no word shares, given arguments.
  // One plain word after a strong name is a search (`netstat explained`), except after a tool's own
  // sub-command name (`ansible-config dump`).
  if (cmd.unambiguous && /^\s+[a-z0-9]/.test(rest) && (word.includes('-') || !/^\s+[a-z]+$/.test(rest.trimEnd()))) return hit(0.6);
  // `time ifconfig`, `whoami\n`: a recon command with nothing after it, alone or wrapped.
  if (cmd.strength === 'strong' && rest.trim() === '' && (wrapped || BARE.has(cmd.name))) return hit(0.6);
  if (/^\s+(?:-[a-z]+\s+)*(?:\/(?:etc|proc|dev|var\/log|root|home|bin|usr)\b|\.\.[/\\]|[a-z]:\\|%[a-z]+%)/.test(rest) || /^\s+[a-z]*\s*(?:passwd|shadow|win\.ini|boot\.ini)\b/.test(rest)) return hit(0.65);
  return spliced();
}

/** A quote, a backslash or an empty substitution between two letters or digits of one word. */
const SPLICED = /[a-z0-9](?:['"`\\]|\$\(\)|[<>]\(\))+[a-z0-9]/;

/** Three plain words in a row: a sentence that mentions a command (`ls -la is a command`), not one. */
function looksLikeProse(rest: string): boolean {
  let run = 0;
  for (const t of rest.split(/\s+/)) {
    if (t === '') continue;
    run = /^[a-z]+[,.]?$/.test(t) ? run + 1 : 0;
    if (run >= 3) return true;
  }
  return false;
}

/**
 * Shell constructs that are attacks without a known command name. Each has a cheap gate (a
 * substring it cannot match without) so ordinary values never reach the regex.
 */
const STRUCTURES: ReadonlyArray<[string, RegExp, string, number, number]> = [
  // Shellshock: a function definition where a variable's value starts.
  ['(', /^\s*\(\s*\)\s*\{/, 'shellshock', 0.95, LPAREN | RPAREN | LBRACE],
  // `:(){ :|:& };:`, `f(){ f|f& };f`: a function that calls itself in the background (fork bomb).
  ['()', /(?:^|[\s;&|])([a-z_.:][a-z0-9_.:-]{0,20})\s*\(\s*\)\s*\{\s*\1\s*(?:\(\s*\)\s*)?[|&][^}]{0,64}\}/, 'shell-function', 0.9, LPAREN | RPAREN | LBRACE | RBRACE],
  // Windows `for /f %i in (…) do …`.
  ['for', /\bfor\s+(?:\/[dflr]\b[^%\n]{0,64})?%%?[^\s%]{0,32}\s+in\s*\([^\n]{0,256}?\)\s*do\b/, 'batch-loop', 0.85, PERCENT | LPAREN | RPAREN],
  // Bash's TCP pseudo-device: a reverse shell.
  ['/dev/', /\/dev\/(?:tcp|udp)\/[a-z0-9.-]+\/\d/, 'reverse-shell', 0.9, SLASH],
  // `~+`, `~-1`: tilde expansion to the shell's directory stack, which no ordinary value is.
  ['~', /(?:^|\s)~[+-]\d{0,2}(?=$|[\s/])/, 'shell-expansion', 0.5, TILDE],
  // `!-1!-2`: history expansion re-runs earlier commands.
  ['!-', /(?:^|[\s;&|])!-\d{1,3}(?:!-?\d{1,3})*(?=$|[\s;&|])/, 'shell-history', 0.5, BANG | DASH],
  // `$[2+2]`: bash's old arithmetic expansion; `${x#…}`, `${p:-…}`: parameter expansion operators.
  ['$[', /\$\[\s*\d+\s*[-+*/%]\s*\d+\s*\]/, 'shell-expansion', 0.6, DOLLAR | LBRACKET],
  // `${:1337:-x}`: an empty name with an offset still takes the `:-` default (a spelling Log4Shell evasions use).
  ['${', /\$\{(?:[a-z_][a-z0-9_]*|:[a-z0-9_]{0,16})(?:##?|%%?|:[-=+?]|\/\/?)[^}\n]{0,32}\}/, 'shell-expansion', 0.6, DOLLAR | LBRACE | RBRACE],
  // `$((7))z`, `$(($() 1))`: arithmetic expansion, closed, splices its result into a word.
  ['$((', /\$\(\([^\n]{0,64}?\)\)/, 'shell-expansion', 0.6, DOLLAR | LPAREN | RPAREN],
  // `alias a=curl`: renaming a command to get it past a filter.
  // Blanks, not `\s*`, after the separator: a run of newlines would be rescanned from each of them (quadratic).
  ['alias', /(?:^|[;&|\n\r][ \t]*)alias\s+(?:[-+][a-z]+\+?\s+)?[a-z0-9_!%,@.-]+=\S/, 'shell-alias', 0.8, EQ],
];

const BRACE_BITS = COMMA | LBRACE | RBRACE;
const GLOB_BITS = QMARK | STAR | LBRACKET;

const STRUCTURE_NEEDS = Int32Array.from(STRUCTURES, (entry) => entry[4]);

/** Whether any structure has all the characters it needs in `chars`; most values have none. */
function structuresMay(chars: number): boolean {
  if ((chars & BRACE_BITS) === BRACE_BITS || ((chars & SLASH) !== 0 && (chars & GLOB_BITS) !== 0)) return true;
  for (let i = 0; i < STRUCTURE_NEEDS.length; i++) {
    const needs = STRUCTURE_NEEDS[i]!;
    if ((chars & needs) === needs) return true;
  }
  return false;
}

/** `chars`: the value's character set; a structure whose characters are not all in it cannot match. */
function structures(s: string, chars: number): Hit | undefined {
  for (const [gate, re, reason, confidence, needs] of STRUCTURES) {
    if ((chars & needs) !== needs || !s.includes(gate)) continue;
    const m = re.exec(s);
    if (m) return { confidence, reason, from: m.index, to: m.index + m[0].length };
  }
  if ((chars & BRACE_BITS) === BRACE_BITS && s.includes(',') && s.includes('{')) {
    const brace = braceCommand(s);
    if (brace) return brace;
  }
  // globbedPath's pattern starts with `/` and must hold a wildcard.
  if ((chars & SLASH) === 0 || (chars & GLOB_BITS) === 0 || !/[?*[]/.test(s)) return undefined;
  const path = globbedPath(s);
  if (!path) return undefined;
  const hit: Hit = { confidence: 0.7, reason: 'obfuscated-command', from: path.from, to: path.to };
  return path.paranoia === 1 ? hit : { ...hit, confidence: 0.5, paranoia: path.paranoia };
}

/**
 * `{,ifconfig}`, `{id,}`, `c{a,oun}t`, `{l,-lh}s`: brace expansion that builds a command name. A
 * plain list (`{id,name}`, field selections) has no empty member, glued letters or flag.
 */
function braceCommand(s: string): Hit | undefined {
  for (let open = s.indexOf('{'); open >= 0; open = s.indexOf('{', open + 1)) {
    const close = s.indexOf('}', open + 1);
    if (close < 0) return undefined;
    if (close - open > 65) continue;
    const body = s.slice(open + 1, close);
    // `{,cd,/etc,}`, `{,echo,#x}`: after an empty first member, the rest are a command and its arguments.
    if (!body.includes(',') || !(/^[a-z0-9_,.-]+$/.test(body) || /^,[a-z0-9_.-]+,[^\s{}]*$/.test(body))) continue;
    const pre = /[a-z0-9_]{0,16}$/.exec(s.slice(Math.max(0, open - 16), open))![0];
    const post = /^[a-z0-9_]{0,16}/.exec(s.slice(close + 1, close + 17))![0];
    const alts = body.split(',');
    const evasive = pre !== '' || post !== '' || alts.some((a) => a === '' || a.startsWith('-'));
    if (!evasive) continue;
    const words = [alts.join(''), ...alts.map((a) => pre + a + post), pre + alts[0]! + post];
    if (words.some((w) => w.length >= 2 && COMMANDS.has(w))) return { confidence: 0.75, reason: 'obfuscated-command', from: open - pre.length, to: close + 1 + post.length };
  }
  return undefined;
}

/** Batch words that may follow an `if` condition besides a program name. */
const BATCH_ACTIONS = new Set(['echo', 'goto', 'call', 'exit', 'set', 'cd', 'rem', 'pause', 'shift', 'cmd', 'del', 'copy', 'start', 'type', 'dir']);
const BATCH_IF = /\bif(?:\s*\/i)?(?:\s+not)?\s+(?:(?:exist|defined|errorlevel|cmdextversion)\s+[^\s]{1,64}|\([^()=\n]{1,40}\s(?:equ|neq|lss|leq|gtr|geq)\s[^()\n]{1,40}\)|(?:"[^"\n]{0,40}"|\([^\s()=]{0,38}\)|\[[^\s\]=]{0,38}\]|\{[^\s}=]{0,38}\}|[^\s=(){}"]{1,40})\s*(?:={2,3}|\s(?:equ|neq|lss|leq|gtr|geq)\s)\s*(?:"[^"\n]{0,40}"|\S{1,40}))\s+@?([a-z.(]+)/g;

const BATCH_PARAM_IF = /\bif(?:\s*\/i)?(?:\s+not)?\s+[^\s=%]{0,8}%(?:~[a-z]{0,4})?(?:\d|[a-z_][a-z0-9_]{0,30}%)[^\s=]{0,8}\s*(?:={2,3}|\s(?:equ|neq|lss|leq|gtr|geq)\s)/;

/**
 * Windows `if exist x cmd`, `if errorlevel 1 goto y`, `if %1==x cmd`: a condition, then something
 * to run. Read on the raw value: cmd's quotes are part of what it compares. `if (a == b)` (script)
 * has no command after it.
 */
function batch(raw: string): Hit | undefined {
  if (!raw.includes('if')) return undefined;
  BATCH_IF.lastIndex = 0;
  for (let m = BATCH_IF.exec(raw); m; m = BATCH_IF.exec(raw)) {
    const next = m[1]!;
    // `if a==b x`: cmd's unspaced comparison; scripts write `a == b` and put it in parentheses.
    const tight = /[^\s=]={2,3}[^\s=]/.test(m[0]);
    if (tight || next.startsWith('(') || next.startsWith('.') || BATCH_ACTIONS.has(next) || COMMANDS.has(next) || next === 'if') {
      return { confidence: 0.75, reason: 'batch-condition', from: m.index, to: m.index + m[0].length };
    }
  }
  // `if not {%1} == {}`, `if "%~x1"==".bat"`: a comparison of cmd's own parameters or variables is batch, whatever follows.
  const param = BATCH_PARAM_IF.exec(raw);
  return param ? { confidence: 0.7, reason: 'batch-condition', from: param.index, to: param.index + param[0].length } : undefined;
}
