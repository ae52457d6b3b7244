/**
 * Shell variables that hide the command word: `a=nc&&$a -lvp 9`, `x=/etc;y=ca;z=t;$y$z $x/group`
 * (the program is assembled from assignments made earlier in the same value), and `|$u wget …`
 * (an unset variable standing before the command pads it past a filter that expects the name right
 * after the separator). Read on the lower-cased raw value: the quoting views drop such variables.
 */

export interface VariableHit {
  from: number;
  to: number;
  confidence: number;
  /** 2 for a padded weak command (`;$x cat notes.txt`), which needs more than the padding to be sure. */
  paranoia?: 2;
}

/** What the detector knows about a word (index.ts's commandOf); passed in to keep the modules acyclic. */
type Resolve = (word: string) => { strength: 'strong' | 'weak' } | undefined;

/** `name=value` at a command position. */
const ASSIGNMENT = /(?:^|[;&|\n`(])[ \t]*([a-z_][a-z0-9_]{0,30})=([^\s;&|`]{0,64})/g;
/**
 * A `$name` or `${name}` at a command position after a separator, a backtick or `(` (not at the
 * start: a value that opens with `$x word` is a template or a price as often as not).
 */
const VARIABLE_AT_COMMAND = /[;&|\n`(][ \t]*\$\{?([a-z_][a-z0-9_]{0,30})/g;
const REFERENCE = /^\$\{?([a-z_][a-z0-9_]{0,30})\}?/;

/** Longest word assembled from variables. */
const MAX_WORD = 64;

export function variableCommand(raw: string, resolve: Resolve): VariableHit | undefined {
  if (!raw.includes('$')) return undefined;
  const assigned = new Map<string, string>();
  if (raw.includes('=')) {
    ASSIGNMENT.lastIndex = 0;
    for (let m = ASSIGNMENT.exec(raw); m; m = ASSIGNMENT.exec(raw)) {
      assigned.set(m[1]!, m[2]!);
      ASSIGNMENT.lastIndex = m.index + m[0].length;
    }
  }
  let weak: VariableHit | undefined;
  VARIABLE_AT_COMMAND.lastIndex = 0;
  for (let m = VARIABLE_AT_COMMAND.exec(raw); m; m = VARIABLE_AT_COMMAND.exec(raw)) {
    const at = m.index + m[0].lastIndexOf('$');
    const word = assemble(raw, at, assigned);
    if (word.usedAssigned) {
      // `$c $a$b`, `$c1$c2$c3`: the word the shell runs is the one the assignments spell.
      if (resolve(word.text) ?? resolve(/^[a-z0-9._-]*/.exec(word.text)![0])) return { from: m.index, to: word.end, confidence: 0.85 };
    } else if (word.refs === 1 && /^[ \t]/.test(raw.slice(word.end, word.end + 1))) {
      // `|$u wget x`: an unset variable, then the command.
      const after = /^[ \t]+([a-z][a-z0-9._-]{1,30})(?=$|[\s;|&)<>`])/.exec(raw.slice(word.end, word.end + 40));
      const cmd = after ? resolve(after[1]!) : undefined;
      if (cmd?.strength === 'strong') return { from: m.index, to: word.end + after![0].length, confidence: 0.8 };
      if (cmd) weak ??= { from: m.index, to: word.end + after![0].length, confidence: 0.6, paranoia: 2 };
    }
    VARIABLE_AT_COMMAND.lastIndex = Math.max(VARIABLE_AT_COMMAND.lastIndex, word.end);
  }
  return weak;
}

/**
 * The word starting at the `$` at `at`: each `$name` replaced by its assigned value (unassigned:
 * nothing), literal word characters kept; up to a blank or an operator.
 */
function assemble(raw: string, at: number, assigned: ReadonlyMap<string, string>): { text: string; end: number; refs: number; usedAssigned: boolean } {
  let text = '';
  let k = at;
  let refs = 0;
  let usedAssigned = false;
  while (k < raw.length && k - at < MAX_WORD) {
    if (raw[k] === '$') {
      const ref = REFERENCE.exec(raw.slice(k, k + 34));
      if (!ref) break;
      const value = assigned.get(ref[1]!);
      if (value !== undefined) usedAssigned = true;
      text += value ?? '';
      refs++;
      k += ref[0].length;
      continue;
    }
    if (/[\s;&|`()<>'"]/.test(raw[k]!)) break;
    text += raw[k];
    k++;
  }
  // `c4=\ `: an escaped blank ends the program's name.
  return { text: text.replace(/\\.*$/, ''), end: k, refs, usedAssigned };
}
