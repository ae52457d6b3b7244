/**
 * Mail protocol commands smuggled after a CRLF (`x\r\nRCPT TO:<a@b>`): a value written into an SMTP,
 * POP3 or IMAP conversation ends the current line and starts a command of its own. Only the line
 * shapes the RFCs give (5321 for SMTP, 1939 for POP3, 3501 for IMAP) count, each as a whole line.
 * Multi-line text has CRLFs too, so these are paranoia 2, and the verbs that are also English words
 * used alone on a line (`DATA`, `QUIT`, `HELP …`, IMAP `LIST`, `SEARCH`) paranoia 3.
 */

export interface MailHit {
  from: number;
  to: number;
  paranoia: 2 | 3;
}

/** An IMAP command tag with a digit in it (`a001 `, `7 `): `please list 3 options` has a word instead. */
const TAG = '[a-z]{0,9}[0-9][a-z0-9]{0,9} ';

const LEVEL_2: readonly RegExp[] = [
  // SMTP
  /^(?:helo|ehlo) [a-z0-9.-]{1,253}$/,
  /^(?:mail from|rcpt to): ?<[^<>\s]{0,128}>/,
  /^(?:vrfy|expn) \S{1,64}/,
  /^(?:starttls|rset)$/,
  /^auth [a-z0-9_-]{1,20}(?: [a-z0-9+/]{2,}={0,2})?$/,
  // POP3
  /^(?:retr|dele) \d{1,9}$/,
  /^(?:list|uidl) \d{1,9}$/,
  /^top \d{1,9} \d{1,9}$/,
  /^apop \S{1,64} [0-9a-f]{32}$/,
  // IMAP
  new RegExp(`^${TAG}append \\S{1,64}.{0,128}\\{\\d{1,20}\\+?\\}$`),
  new RegExp(`^${TAG}authenticate [a-z0-9_-]{1,20}$`),
  new RegExp(`^${TAG}status \\S{1,64} \\((?:messages|recent|uidnext|uidvalidity|unseen| ){1,64}\\)$`),
  new RegExp(`^${TAG}uid (?:copy|fetch|store) [0-9:*,]{1,40}`),
  new RegExp(`^${TAG}(?:getacl|deleteacl|myrights|listrights|setacl) \\S{1,64}`),
];

const LEVEL_3: readonly RegExp[] = [
  /^(?:data|quit|stat|noop|capa)$/,
  /^help(?: \S{1,64})?$/,
  new RegExp(`^${TAG}(?:quit|noop|logout|capability|check|close|expunge)$`),
  new RegExp(`^${TAG}(?:examine|select|create|delete|subscribe|unsubscribe) \\S{1,64}$`),
  new RegExp(`^${TAG}(?:copy|fetch) [0-9:*,]{1,40} \\S{1,64}`),
  new RegExp(`^${TAG}store [0-9:*,]{1,40} [+-]?flags`),
  new RegExp(`^${TAG}list "?[^"\\s]{0,64}"? "?[^"\\s]{0,64}"?$`),
  new RegExp(`^${TAG}search (?:charset \\S{1,40} )?(?:all|answered|deleted|draft|flagged|new|old|recent|seen|unseen|text|from|to|subject|since|before|on|larger|smaller|not|or|uid|body|header)\\b`),
  new RegExp(`^${TAG}login \\S{1,64} \\S{1,64}$`),
];

/** Longest line judged. */
const MAX_LINE = 512;

/** `raw`: the lower-cased value. Lines after the first CRLF only: the first line is the field's own text. */
export function mailCommand(raw: string): MailHit | undefined {
  const first = raw.indexOf('\r\n');
  if (first < 0) return undefined;
  let weak: MailHit | undefined;
  let from = first + 2;
  while (from < raw.length) {
    let to = from;
    while (to < raw.length && to - from < MAX_LINE && raw[to] !== '\r' && raw[to] !== '\n') to++;
    const line = raw.slice(from, to).trim();
    if (line !== '') {
      if (LEVEL_2.some((re) => re.test(line))) return { from, to, paranoia: 2 };
      if (!weak && LEVEL_3.some((re) => re.test(line))) weak = { from, to, paranoia: 3 };
    }
    // The rest of an overlong line is not a line start.
    while (to < raw.length && raw[to] !== '\r' && raw[to] !== '\n') to++;
    from = to + 1;
  }
  return weak;
}
