/**
 * The shell reads a word after removing quoting, so `w'h'o'am'i`, `c""at` and `c\at` all run the
 * same program, and `$IFS`, `$@` or an unset `$x` change nothing but the spacing. These views undo
 * that, the way the shell would, so that the detector matches words and not spellings. They are
 * lower-cased. Two are needed because `\` means opposite things: escape in sh, separator in cmd.
 */

const SPECIAL_PARAM = new Set(['@', '*', '#', '!', '?', '-', '_', '$', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
/** Variables that hold a shell's path: `$SHELL -c …` runs a shell. */
const SHELL_VARS: Record<string, string> = { shell: 'sh', bash: 'bash', comspec: 'cmd' };

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9_]/.test(c);

/**
 * sh: quotes and backslashes dropped; `$IFS` → space; special and unset variables inside a word
 * dropped. Takes the value lower-cased (the caller has that copy already); returns it as it is
 * when there is nothing to undo.
 */
export function unixView(lower: string): string {
  // `pi``ng`, `who$()ami`, `c<()at`, `c>()at`: an empty substitution splices nothing into the word.
  const v = /``|\$\(\)|[<>]\(\)/.test(lower) ? lower.replace(/``|\$\(\)|[<>]\(\)/g, '') : lower;
  if (!/['"\\$]/.test(v)) return v;
  if (!v.includes('$')) return v.replace(/['"\\]/g, '');
  // Kept characters are copied in runs (one slice per quote or `$`, not one concatenation per character);
  // `out` is complete whenever dollar() reads it.
  let out = '';
  let run = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 39 || c === 34 || c === 92) {
      out += v.slice(run, i);
      run = i + 1;
      continue;
    }
    if (c !== 36) continue;
    out += v.slice(run, i);
    const skip = dollar(v, i, out);
    if (skip === undefined) {
      run = i; // the `$` stays, as the start of the next run
      continue;
    }
    out += skip.text;
    i = skip.end - 1;
    run = skip.end;
  }
  return out + v.slice(run);
}

/** cmd: carets and double quotes dropped; `%COMSPEC%` → `cmd`. Backslashes stay: they separate paths. Takes the value lower-cased. */
export function windowsView(lower: string): string {
  const v = lower;
  if (!v.includes('%comspec%')) return v.includes('^') || v.includes('"') ? v.replace(/[\^"]/g, '') : v;
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '^' || c === '"') continue;
    if (c === '%' && v.startsWith('%comspec%', i)) {
      out += 'cmd';
      i += 8;
      continue;
    }
    out += c;
  }
  return out;
}

/**
 * What a `$` at `i` expands to, when it is a trick rather than a real expansion the detector must
 * see (`$(`, `$((` and `${x:-…}` are left alone): `{ text, end }`, or undefined to keep it.
 */
function dollar(v: string, i: number, out: string): { text: string; end: number } | undefined {
  const next = v[i + 1];
  if (next === undefined) return undefined;
  // `$'whoami'`, `$"whoami"`: ANSI-C and locale quoting, the same word once the quotes go.
  if (next === "'" || next === '"') return { text: '', end: i + 1 };
  if (SPECIAL_PARAM.has(next)) return { text: '', end: i + 2 };
  let name: string;
  let end: number;
  if (next === '{') {
    const close = v.indexOf('}', i + 2);
    if (close < 0 || close - i > 24) return undefined;
    name = v.slice(i + 2, close);
    end = close + 1;
  } else {
    let j = i + 1;
    while (j < v.length && isWordChar(v[j])) j++;
    name = v.slice(i + 1, j);
    end = j;
  }
  if (name.startsWith('ifs')) return { text: ' ', end };
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) return undefined;
  const shell = SHELL_VARS[name];
  if (shell !== undefined) return { text: shell, end };
  // `c$u'at'`, `/etc$u/passwd`: a variable glued to a word is an unset one padding it;
  // `|$u wget`: so is one standing alone between a separator and a command.
  if (isWordChar(out[out.length - 1]) || isWordChar(v[end]) || v[end] === '/') return { text: '', end };
  if (/(?:^|[;|&`(]\s*)$/.test(out.slice(-4)) && /\s/.test(v[end] ?? '')) return { text: '', end };
  return undefined;
}
