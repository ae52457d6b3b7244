import { AT, COLON, DOLLAR, DOT, EQ, LBRACE, LBRACKET, LPAREN, LT, PERCENT, QMARK, QUOTE, SLASH, UNDERSCORE } from './chars.js';

/**
 * The rules of the code-injection detector. Each is a regex (linear: every repetition is bounded or
 * starts with its own character) plus the characters (chars.ts bits) it cannot match without, and
 * optionally a check on the match that a regex would express only with backtracking.
 */
export interface Rule {
  readonly re: RegExp;
  /** Every one of these bits must be in the value's mask. */
  readonly all: number;
  /** At least one of these bits must be in the mask (0: no such condition). */
  readonly any?: number;
  readonly reason: string;
  readonly confidence: number;
  readonly paranoia?: 2 | 3;
  /** A further judgement on the match; false drops it (the next match of the same rule is tried). */
  readonly accept?: (v: string, m: RegExpExecArray) => boolean;
  /** The rule can only match a value holding one of these (ignoring ASCII case): checked before the regex (keys.ts). */
  readonly keys?: readonly string[];
  /** A hand-written matcher used instead of the regex (which then documents the shape only). */
  readonly find?: (v: string) => { index: number; text: string } | undefined;
  /** When accept says no, a weaker finding (e.g. at paranoia 2) instead of nothing. */
  readonly weak?: { confidence: number; paranoia: 2 | 3 };
}

/** Whitespace or a PHP/JS comment between a name and its `(` (bounded, each alternative has its own first character). */
const GAP = String.raw`(?:\s|\/\*[^*]{0,64}\*\/|\/\/[^\n]{0,64}\n|#[^\n]{0,64}\n)*`;

/**
 * PHP functions that run commands or code, decode hidden payloads, or reach the file system and
 * network, with names no prose or ordinary parameter has: a call to one is code (CRS 933150's class).
 */
const PHP_HIGH = [
  'base64_decode', 'base64_encode', 'bzdecompress', 'call_user_func', 'call_user_func_array', 'create_function', 'fsockopen', 'pfsockopen',
  'gzdecode', 'gzinflate', 'gzuncompress', 'gzinflate', 'zlib_decode', 'shell_exec', 'proc_open', 'proc_close', 'pcntl_exec', 'pcntl_fork',
  'posix_getpwuid', 'posix_getpwnam', 'posix_getegid', 'posix_geteuid', 'posix_getuid', 'posix_kill', 'posix_setuid', 'posix_mkfifo', 'posix_uname',
  'get_defined_functions', 'get_defined_vars', 'get_defined_constants', 'curl_init', 'curl_exec', 'curl_multi_exec', 'file_get_contents', 'file_put_contents',
  'file_exists', 'str_rot13', 'phpinfo', 'php_uname', 'passthru', 'preg_replace', 'array_map', 'array_filter', 'array_walk', 'register_shutdown_function',
  'register_tick_function', 'assert_options', 'ini_set', 'ini_get', 'ini_restore', 'set_include_path', 'move_uploaded_file', 'highlight_file', 'show_source',
  'escapeshellcmd', 'escapeshellarg', 'print_r', 'var_dump', 'var_export', 'strip_tags', 'is_array', 'parse_str', 'getenv', 'putenv', 'ob_start',
  'ob_end_flush', 'ob_get_contents', 'unserialize', 'stream_get_contents', 'stream_socket_client', 'readfile', 'fpassthru', 'get_current_user', 'getmypid',
  'disk_free_space', 'apache_setenv', 'mb_ereg_replace', 'mb_eregi_replace', 'preg_replace_callback', 'iterator_apply',
  'set_error_handler', 'set_exception_handler', 'spl_autoload_register', 'func_get_args', 'import_request_variables', 'include_once', 'require_once',
];
/** PHP_HIGH names matched also as the tail of a longer word (`FOOgzinflate(`): obfuscators glue junk in front. */
const GLUED = (n: string): boolean => n.includes('_') || /^(?:gz|bz|p?fsock)/.test(n);
/** PHP functions whose names are also English or other languages' words: a call needs argument shapes (callShape). */
const PHP_WORDS = ['system', 'exec', 'popen', 'assert', 'eval', 'include', 'require', 'file', 'fopen', 'fwrite', 'fputs', 'symlink', 'unlink', 'chmod', 'chown', 'scandir', 'opendir', 'readdir', 'filegroup', 'fileowner', 'fileperms'];
/** Library functions that are harmless alone but are how probes and obfuscated payloads are written (`chr(112).chr(104)`). */
const PHP_LOW = ['chr', 'ord', 'substr', 'strrev', 'unpack', 'pack', 'printf', 'sprintf', 'intval', 'serialize', 'crypt', 'hex2bin', 'bin2hex', 'urldecode', 'rawurldecode', 'strtolower', 'strtoupper', 'implode', 'explode', 'gethostbyname', 'extract', 'getenv', 'putenv', 'usort', 'uasort', 'uksort', 'dl'];

const alt = (names: readonly string[]): string => [...new Set(names)].sort((a, b) => b.length - a.length).join('|');

const isWordCode = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95 || c >= 128;

/**
 * Whether the `(` at `open` opens an argument list rather than a prose aside: it starts with a
 * quote, a variable, a nested call or bracket, or is empty, or holds a single token that the list
 * closes or continues (`system(whoami)`, `exec (blah)`, `eval(x, y)`). `system (of record)` and
 * `file(s)` are asides.
 */
export function callShape(v: string, open: number): boolean {
  const n = v.length;
  let i = open + 1;
  while (i < n && (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9 || v.charCodeAt(i) === 10 || v.charCodeAt(i) === 13)) i++;
  if (i >= n) return true;
  const c = v.charCodeAt(i);
  // ' " ` $ @ ) ( [ { \ : a string, a variable, an empty list, a nested expression.
  if (c === 39 || c === 34 || c === 96 || c === 36 || c === 64 || c === 41 || c === 40 || c === 91 || c === 123 || c === 92) return true;
  const start = i;
  while (i < n && i - start < 64 && (isWordCode(v.charCodeAt(i)) || v.charCodeAt(i) === 46 || v.charCodeAt(i) === 45 || v.charCodeAt(i) === 47)) i++;
  if (i === start) return false;
  const token = v.slice(start, i).toLowerCase();
  if (token === 's' || token === 'es' || token === 'ies' || token === 'ed' || token === 'd' || token === 'ing') return false;
  while (i < n && (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9)) i++;
  if (i >= n) return true;
  const d = v.charCodeAt(i);
  return d === 41 || d === 44 || d === 46 || d === 59 || d === 40 || d === 43;
}

/** The character before the match, skipping nothing; 0 at the start. */
const before = (v: string, at: number): number => (at > 0 ? v.charCodeAt(at - 1) : 0);

/**
 * A word-like function name called in prose position (`the system (x)`): whitespace before the `(`
 * and an English word before the name. Attacks put the call first or after punctuation (`;system(`).
 */
function prosePosition(v: string, m: RegExpExecArray): boolean {
  const text = m[0];
  if (!/\s/.test(text.slice(0, text.length - 1))) return false; // `name(`: no gap
  let i = m.index - 1;
  if (i < 0 || !(v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9)) return false;
  while (i >= 0 && (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9)) i--;
  return i >= 0 && isWordCode(v.charCodeAt(i));
}

/** After a word and a space (`the eval() function`, `Is the system (x)`): how prose mentions a function. */
function afterWord(v: string, at: number): boolean {
  let i = at - 1;
  if (i < 0 || !(v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9)) return false;
  while (i >= 0 && (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9)) i--;
  return i >= 0 && isWordCode(v.charCodeAt(i));
}

/** The argument list at `open` starts with a string or a variable: code, even in a sentence. */
function strongArgument(v: string, open: number): boolean {
  let i = open + 1;
  while (i < v.length && (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9)) i++;
  const c = i < v.length ? v.charCodeAt(i) : 0;
  return c === 39 || c === 34 || c === 96 || c === 36;
}

/**
 * A call to one of PHP_WORDS: not a method (`.exec(`, `->file(`), with arguments. In prose
 * position (after a word and a space) only with a string or variable argument; with a space
 * before a one-word argument list (`exec (blah)`) only when nothing but `;` follows it
 * (`include (optional): notes` is a label).
 */
function wordCall(v: string, m: RegExpExecArray): boolean {
  const p = before(v, m.index);
  // `'.system('id').'`: PHP concatenation out of a string literal, not a method call.
  if (p === 46 && m.index >= 2 && (v.charCodeAt(m.index - 2) === 39 || v.charCodeAt(m.index - 2) === 34)) return callShape(v, m.index + m[0].length - 1);
  if (p === 46 || p === 62 || p === 58 || p === 36 || p === 92 || p === 45 || isWordCode(p)) return false;
  const open = m.index + m[0].length - 1;
  if (!callShape(v, open)) return false;
  if (strongArgument(v, open)) return true;
  if (afterWord(v, m.index)) return false;
  if (!/\s/.test(m[0])) return true;
  const close = v.indexOf(')', open);
  if (close < 0) return true;
  let i = close + 1;
  while (i < v.length && (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9 || v.charCodeAt(i) === 10 || v.charCodeAt(i) === 13)) i++;
  return i >= v.length || v.charCodeAt(i) === 59;
}

/** A call to one of PHP_LOW as a payload writes it: as the value's first code, or after `;`, `.`, `(`, `<?`, `=`, `@`. */
function lowCall(v: string, m: RegExpExecArray): boolean {
  const p = before(v, m.index);
  if (p === 62 || p === 36 || p === 92 || isWordCode(p)) return false;
  if (!callShape(v, m.index + m[0].length - 1)) return false;
  let i = m.index - 1;
  while (i >= 0 && (v.charCodeAt(i) === 32 || v.charCodeAt(i) === 9 || v.charCodeAt(i) === 64)) i--;
  if (i < 0) return true;
  const q = v.charCodeAt(i);
  // `a.substr(1)` is a method call in many languages; PHP concatenation is `chr(1).chr(2)`, i.e. `).` before.
  if (q === 46) return i > 0 && v.charCodeAt(i - 1) === 41;
  return q === 59 || q === 40 || q === 63 || q === 61 || q === 123;
}

/** Not a method or a longer identifier's tail on the left (`x.system(`, `mysystem(`). */
const notMember = (v: string, m: RegExpExecArray): boolean => {
  const p = before(v, m.index);
  return !(p === 46 || isWordCode(p) || p === 36);
};

/** php.ini directive names an attacker sets to turn on remote includes, prepend files or lift limits (CRS 933120's class). */
const INI_NAMES: ReadonlySet<string> = new Set([
  'allow_url_include', 'allow_url_fopen', 'auto_prepend_file', 'auto_append_file', 'disable_functions', 'disable_classes', 'open_basedir',
  'safe_mode', 'safe_mode_exec_dir', 'safe_mode_include_dir', 'register_globals', 'memory_limit', 'max_execution_time', 'extension_dir',
  'include_path', 'display_errors', 'error_reporting', 'error_log', 'log_errors', 'file_uploads', 'upload_tmp_dir', 'upload_max_filesize',
  'post_max_size', 'unserialize_max_depth', 'short_open_tag', 'expose_php',
]);
/** Directive families (`opcache.jit_max_polymorphic_calls`): the part before the first dot. */
const INI_FAMILIES: ReadonlySet<string> = new Set(['opcache', 'mbstring', 'session', 'zend', 'pcre', 'xdebug', 'phar', 'assert', 'mysql', 'mysqli', 'date', 'mail', 'sendmail', 'zlib', 'output', 'pdo_mysql', 'pdo_odbc']);
const isIniName = (name: string): boolean => {
  const dot = name.indexOf('.');
  if (dot < 0) return INI_NAMES.has(name);
  return dot > 0 && dot < name.length - 2 && INI_FAMILIES.has(name.slice(0, dot));
};
const isNameCode = (c: number): boolean => isWordCode(c) && c < 128 || c === 46;

/**
 * `name = value` with a php.ini directive as the name, at the start of the value or of one of its
 * lines (how an `.ini` fragment or a `.user.ini` upload is written): read by hand, with no regex.
 */
function iniDirective(v: string): { index: number; text: string } | undefined {
  for (let line = 0; line >= 0 && line < v.length; line = v.indexOf('\n', line) < 0 ? -1 : v.indexOf('\n', line) + 1) {
    const hit = iniAt(v, line);
    if (hit) return hit;
  }
  return undefined;
}

function iniAt(v: string, from: number): { index: number; text: string } | undefined {
  const n = v.length;
  let start = from;
  while (start < n && (v.charCodeAt(start) === 32 || v.charCodeAt(start) === 9 || v.charCodeAt(start) === 13)) start++;
  let end = start;
  let marked = false;
  while (end < n && end - start < 64 && isNameCode(v.charCodeAt(end))) {
    if (v.charCodeAt(end) === 95 || v.charCodeAt(end) === 46) marked = true;
    end++;
  }
  // Every directive name has a `_` or a `.`.
  if (!marked || end - start < 4) return undefined;
  let eq = end;
  while (eq < n && (v.charCodeAt(eq) === 32 || v.charCodeAt(eq) === 9)) eq++;
  if (eq >= n || v.charCodeAt(eq) !== 61) return undefined;
  return isIniName(v.slice(start, end).toLowerCase()) ? { index: start, text: v.slice(start, eq + 1) } : undefined;
}

/** GraphQL's operation keywords: `query Core_Search($q: String)` declares an operation, it calls nothing. */
const GRAPHQL_OPERATION = /(?:query|mutation|subscription|fragment)\s+$/;
/**
 * A snake_case call: not a method, with arguments, not a GraphQL operation, and named the way
 * PHP's library is (each part in one case: `array_diff`, `date_ADD`; not `Core_ReverbHeader` or
 * random `dea_Vqu4q` in a token).
 */
function snakeCall(v: string, m: RegExpExecArray): boolean {
  if (!notMember(v, m) || !callShape(v, m.index + m[0].length - 1)) return false;
  const name = /^[\w]+/.exec(m[0])?.[0] ?? '';
  for (const part of name.split('_')) if (/[a-z]/.test(part) && /[A-Z]/.test(part)) return false;
  return !GRAPHQL_OPERATION.test(v.slice(Math.max(0, m.index - 16), m.index));
}

export const RULES: readonly Rule[] = [
  // ---- Node.js ----
  { re: /_\$\$ND_FUNC\$\$_|__js_function/, all: UNDERSCORE, keys: ['ND_FUNC', '__js_function'], reason: 'node-code', confidence: 0.95 },
  { re: /\brequire\s*\(\s*['"`]\s*(?:child_process|node:child_process|vm|fs|node:fs|net|os|process|worker_threads|cluster)\s*['"`]\s*\)/, all: LPAREN | QUOTE, keys: ['require'], reason: 'node-code', confidence: 0.9 },
  { re: /\b(?:process\s*(?:\.\s*(?:mainModule|binding|dlopen|kill|exit|env)\b|\[\s*['"`]?(?:mainModule|binding|env|dlopen)\b|\[\s*[a-z_$][\w$]*\s*\.)|require\s*(?:\.\s*(?:main|cache)\b|\[\s*[a-z_$][\w$]*\s*\.)|module\s*\.\s*constructor\s*\.\s*_load\b|constructor\s*\.\s*_load\s*\(|(?:global|globalThis)\s*\.\s*process\b|child_process\s*[.)'"`]|module\s*\.\s*exports\s*=)/, all: 0, any: DOT | LBRACKET | UNDERSCORE, keys: ['process', 'require', 'constructor', 'module', 'global', 'child_process'], reason: 'node-code', confidence: 0.85 },
  { re: /\bchild_process\b/, all: UNDERSCORE, keys: ['child_process'], reason: 'node-code', confidence: 0.6, paranoia: 2 },
  { re: /\bconstructor\s*(?:\.|:)\s*constructor\b/, all: 0, any: DOT | COLON, keys: ['constructor'], reason: 'node-code', confidence: 0.9 },
  { re: /:(?:Module:prototype|prototype:_compile)\b|\$[0-9a-f]{1,4}:(?:constructor|__proto__):/i, all: COLON, keys: ['prototype', 'constructor', '__proto__'], reason: 'node-code', confidence: 0.85 },
  { re: /\bnew\s+Function\s*\(|\bFunction\s*\(\s*['"`]\s*return\b|\bFunction\s*\(\s*['"`][^'"`]{0,64}(?:require|process)\b/, all: LPAREN, keys: ['Function'], reason: 'node-code', confidence: 0.85 },
  { re: /\beval\s*\(\s*(?:String\s*\.\s*fromCharCode|atob|Buffer\s*\.\s*from|unescape|decodeURI(?:Component)?|require|process|global|this\b|new\s+Function|['"`][^'"`]{0,64}(?:require|process|child_process)\b)/, all: LPAREN, keys: ['eval'], reason: 'eval-call', confidence: 0.9 },
  { re: /\bwhile\s*\(\s*(?:[(!+-]\s*){0,8}(?:true|false|0|1|Infinity|null|undefined|NaN|this|String|new\s+Date|""|''|``|\{\s*\}|\[\s*\])\s*\)+\s*(?:;|\{\s*\}|$)/, all: LPAREN, keys: ['while'], reason: 'node-code', confidence: 0.75 },
  { re: /\bfor ?\(\s*;\s*;\s*\)\s*(?:;|\{\s*\}|$)/, all: LPAREN, keys: ['for(', 'for ('], reason: 'node-code', confidence: 0.75 },
  { re: /\bconsole\s*(?:\.\s*|\[\s*['"`])(?:log|info|warn|error|debug|dir|trace)\b['"`\]\s]*(?:\(|\.\s*(?:call|apply)\s*\()/, all: LPAREN, keys: ['console'], reason: 'node-code', confidence: 0.6, accept: notMember },
  // A function expression as the whole value (what node-serialize and eval sinks take); inside longer text, paranoia 2.
  { re: /\bfunction\s*\(\s*\)\s*\{/, all: LPAREN | LBRACE, keys: ['function'], reason: 'node-code', confidence: 0.6, accept: (v, m) => /^[\s(]*$/.test(v.slice(0, m.index)), weak: { confidence: 0.4, paranoia: 2 } },
  { re: /=\s*require\s*[;,)]/, all: EQ, keys: ['require'], reason: 'node-code', confidence: 0.7 },
  // ---- Python ----
  { re: /\b__import__\s*\(|\b__builtins__\b|\b(?:importlib\s*\.\s*import_module|pickle\s*\.\s*loads|marshal\s*\.\s*loads|pty\.\s*spawn)\s*\(/, all: 0, any: UNDERSCORE | DOT, keys: ['__import__', '__builtins__', 'import_module', 'pickle', 'marshal', 'pty.'], reason: 'python-code', confidence: 0.9 },
  { re: /\bos ?\.\s*(?:system|popen[234]?|exec[lv]p?e?|spawn[lv]p?e?|fork|kill|remove|unlink|getenv|environ)\b\s*[([]|\bsubprocess\s*\.\s*(?:Popen|call|run|check_output|check_call|getoutput|getstatusoutput)\s*\(/, all: DOT, any: LPAREN | LBRACKET, keys: ['os.', 'os .', 'subprocess'], reason: 'python-code', confidence: 0.9 },
  { re: /\b(?:eval|exec)\s*\(\s*(?:compile\s*\(|['"](?:import\s|__import__|os\.|subprocess\.))/, all: LPAREN, keys: ['eval', 'exec'], reason: 'python-code', confidence: 0.9 },
  // ---- Ruby ----
  { re: /\b(?:Kernel\s*\.\s*(?:exec|system|spawn|open|eval|fork|`)|Process\s*\.\s*(?:spawn|exec|fork|kill)|IO ?\.\s*(?:popen|sysopen)|Open3\s*\.\s*(?:popen[23e]?|capture[23e]?)|PTY ?\.\s*spawn)\b/, all: DOT, keys: ['Kernel', 'Process', 'IO.', 'IO .', 'Open3', 'PTY.', 'PTY .'], reason: 'ruby-code', confidence: 0.85 },
  { re: /(?:^|[\s=;(,{])%x\s*[({[]/i, all: PERCENT, reason: 'ruby-code', confidence: 0.75 },
  { re: /\.(?:instance_eval|class_eval|module_eval|send|public_send)\s*\(\s*:?['"]?(?:system|exec|eval|spawn|`)/, all: DOT | LPAREN, keys: ['_eval', '.send', '.public_send'], reason: 'ruby-code', confidence: 0.85 },
  // ---- Perl ----
  { re: /@\s*\{\s*\[/, all: AT | LBRACE | LBRACKET, reason: 'perl-code', confidence: 0.85 },
  { re: /\bqx\s*[{(/[]/, all: 0, any: LBRACE | LPAREN | SLASH | LBRACKET, keys: ['qx'], reason: 'perl-code', confidence: 0.75, accept: (v, m) => m.index === 0 || !isWordCode(before(v, m.index)) },
  { re: /\bopen\s{0,8}\(?\s{0,8}(?:my\s+)?\$?\w{1,32}\s*,\s*['"]\s*(?:\||-\|)/, all: QUOTE, keys: ['open'], reason: 'perl-code', confidence: 0.85 },
  { re: /\beval\s*\{[^}]{0,64}\b(?:system|exec|`|qx)/, all: LBRACE, keys: ['eval'], reason: 'perl-code', confidence: 0.85 },
  // `system "id"`, `exec 'ls -la';`: Perl's and Ruby's call without parentheses, as a value's first statement.
  // After the separator only blanks, not newlines: `\s*` there would rescan a run of newlines from each of them (quadratic).
  { re: /(?:^|[;&|\n\r][ \t]*)(?:system|exec|spawn|syscall)\s+(?:'[^'\n]{1,64}'|"[^"\n]{1,64}")\s*(?:;|$)/, all: QUOTE, keys: ['system', 'exec', 'spawn', 'syscall'], reason: 'perl-code', confidence: 0.75 },
  // ---- PHP ----
  // `include 'http://evil/x.txt';`, `require_once($_GET['p'])`: an include of a URL, a path or a variable.
  { re: /(?:^|[;{}]\s*|<\?php\s+)(?:include|require)(?:_once)?\s*\(?\s*(?:\$|['"](?:https?:|ftps?:|php:|data:|expect:|zip:|phar:|\/|\.\.?\/|[\w.-]{1,64}\.(?:php\d?|phtml|txt|inc|jpg|gif|png|log)['"]))/i, all: 0, any: DOLLAR | QUOTE, keys: ['include', 'require'], reason: 'php-code', confidence: 0.8 },
  { re: /<\?(?:php\b|=\s*[\w$"'(@`[])|<\?\s+php\b/i, all: LT | QMARK, reason: 'php-code', confidence: 0.95 },
  { re: /<\?xml\s*[:;(]/i, all: LT | QMARK, reason: 'php-code', confidence: 0.85 },
  // `<? echo 1`, `<?\nsystem('id')`, `test<?` (a short tag cut off at the end): a short open tag before code.
  { re: /<\?(?:\s+(?:[A-Za-z_$@][\w$]{0,32}\s*[(;'"`$=[]|(?:echo|print|php|include|require|if|foreach|while|for|exit|die)\b)|$)/, all: LT | QMARK, reason: 'php-code', confidence: 0.75, accept: (v, m) => !/^<\?xml\b/i.test(v.slice(m.index, m.index + 6)) },
  { re: /[[{][\\/]?php[\]}]/i, all: 0, any: LBRACKET | LBRACE, keys: ['php]', 'php}'], reason: 'php-code', confidence: 0.85 },
  { re: /\$(?:_(?:GET|POST|REQUEST|SERVER|COOKIE|FILES|ENV|SESSION)\b|GLOBALS\b|HTTP_(?:GET_VARS|POST_VARS|POST_FILES|COOKIE_VARS|SERVER_VARS|ENV_VARS|SESSION_VARS|RAW_POST_DATA)\b)/, all: DOLLAR, keys: ['$_', '$GLOBALS', '$HTTP_'], reason: 'php-code', confidence: 0.85 },
  { re: /\b[OC]:\+?\d{1,6}:"[\w\\]{1,256}":\d{1,6}:\{/, all: COLON | QUOTE | LBRACE, reason: 'php-code', confidence: 0.85 },
  { re: /(?:^|[\s;&])a:\d{1,6}:\{(?:[is]:\d{1,9}[;:])/, all: COLON | LBRACE, reason: 'php-code', confidence: 0.5, paranoia: 2 },
  // Variable variables `${'a'}`, `$ {x}`, `${$x}` (a `${name}` placeholder is a template's, not PHP's).
  { re: /\$\s*\{\s*(?:'[^'\n]{0,64}'|"[^"\n]{0,64}"|\$|@)|\$[ \t]+\{\s*[\w@.$]{1,64}\s*\}/, all: DOLLAR | LBRACE, reason: 'php-code', confidence: 0.8 },
  // Variable function calls: `$a(1)`, `@$__[o](4)`, `${'a'}(11)`, `$x[5]['d'] /*c*/ (17)`, `Foo::$v()`.
  {
    re: new RegExp(String.raw`\${1,3}\s*(?:[A-Za-z_\x80-\uffff][\w\x80-\uffff]{0,64}|\{[^}\n]{0,64}\})(?:\s|\/\*[^*]{0,64}\*\/|\/\/[^\n]{0,64}\n|#[^\n]{0,64}\n|\[(?:[^[\]\n]|\[[^[\]\n]{0,64}\]){0,64}\]|\{[^}\n]{0,64}\})*\(`),
    all: DOLLAR | LPAREN, reason: 'php-code', confidence: 0.8,
    accept: (v, m) => {
      const p = before(v, m.index);
      if (p === 92 || p === 36 || isWordCode(p)) return false; // `\$x(`, `a$b(` (not a variable start)
      return callShape(v, m.index + m[0].length - 1) && !prosePosition(v, m);
    },
  },
  // Calls reached through strings, casts and arrays: `("system")(`, `(system)(`, `[system][0](`, `"sys"."tem"(`.
  { re: new RegExp(String.raw`["'(\[]\s*(?:\/\*[^*]{0,64}\*\/\s*)?(?:${alt([...PHP_WORDS, ...PHP_HIGH])})\s*["')\]]\s*(?:["')\]}]\s*|\[\s*\d{1,3}\s*\]\s*|\{[^{}\n]{0,64}\}\s*)*\(`, 'i'), all: LPAREN, keys: [...PHP_WORDS, ...PHP_HIGH], reason: 'php-code', confidence: 0.85 },
  { re: /['"][a-z_]{1,16}['"]\s*\.\s*['"][a-z_]{1,16}['"](?:\s*\.\s*['"][a-z_]{1,16}['"]){0,8}[\s)\]]{0,16}[;(]/i, all: QUOTE | DOT, reason: 'php-code', confidence: 0.6, accept: (v, m) => /system|exec|passthru|eval|assert|popen|shell|proc_|phpinfo/i.test(m[0].replace(/['"\s.]/g, '')) },
  { re: /\bdefine\s*\(\s*['"]\w{1,32}['"]\s*,[^)]{0,64}\)\s*;\s*[([]/, all: LPAREN, keys: ['define'], reason: 'php-code', confidence: 0.75 },
  { re: new RegExp(String.raw`(?:${alt(PHP_HIGH.filter(GLUED))}|\b(?:${alt(PHP_HIGH.filter((n) => !GLUED(n)))}))${GAP}(?:=\s*)?\(`, 'i'), all: LPAREN, keys: PHP_HIGH, reason: 'php-code', confidence: 0.9, accept: (v, m) => before(v, m.index) !== 46 && before(v, m.index) !== 36 },
  { re: new RegExp(String.raw`\b(?:${alt(PHP_WORDS)})${GAP}\(`, 'i'), all: LPAREN, keys: PHP_WORDS, reason: 'php-code', confidence: 0.85, accept: wordCall },
  { re: new RegExp(String.raw`\b(?:${alt(PHP_LOW)})${GAP}\(`, 'i'), all: LPAREN, keys: PHP_LOW, reason: 'php-code', confidence: 0.7, accept: lowCall },
  // Any snake_case function called (`array_diff (`, `ldap_get_entries()`): PHP's library is named so; code in general, paranoia 2.
  { re: new RegExp(String.raw`\b[a-z][a-z0-9]{1,24}(?:_[a-z0-9]{1,24}){1,8}${GAP}\(`, 'i'), all: LPAREN | UNDERSCORE, reason: 'php-code', confidence: 0.5, paranoia: 2, accept: snakeCall },
  // php.ini directives set in a value (`allow_url_include=1`, `opcache.jit_max_polymorphic_calls=50`).
  { re: /=/, find: iniDirective, all: EQ, any: UNDERSCORE | DOT, reason: 'php-code', confidence: 0.75 },
  // ---- Generic eval / interpreter entry points without an argument shape ----
  { re: /\b(?:eval|assert|exec|system|passthru)\s*\(\s*(?:\$|['"`]\s*(?:\$|system|exec|passthru|require|import|echo|print|`))/i, all: LPAREN, keys: ['eval', 'assert', 'exec', 'system', 'passthru'], reason: 'eval-call', confidence: 0.85, accept: notMember },
  // Bare names of functions that only code uses (paranoia 2: a name is not a call).
  { re: /\b(?:base64_decode|shell_exec|proc_open|pcntl_exec|str_rot13|create_function|call_user_func(?:_array)?|__import__)\b/i, all: UNDERSCORE, keys: ['base64_', 'shell_', 'proc_', 'pcntl_', 'str_rot', 'create_f', 'call_user', '__import'], reason: 'php-code', confidence: 0.5, paranoia: 2 },
  { re: /\/[a-z]{0,6}e[a-z]{0,6}['"]\s*,/, all: SLASH | QUOTE, keys: ['preg_'], reason: 'php-code', confidence: 0.6, paranoia: 2, accept: (v) => /preg_replace/i.test(v) },
];
