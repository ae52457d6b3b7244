/**
 * The attacker-controlled strings of an XML document, for the negative model: element text,
 * CDATA, attribute values, and element and attribute names, each with a short path
 * (`order/item/@sku`). Not a parser: the upstream's parser decides what the document means, and
 * a DTD is the XXE detector's business (declarations are skipped here, never expanded). It is a
 * single forward scan with indexOf, bounded in values and in the characters looked at, so a
 * hostile document costs one linear pass; malformed markup ends the scan, keeping what it found.
 */

export interface XmlValue {
  kind: 'text' | 'name';
  /** `a/b`, `a/b/@attr`; at most the last eight elements. */
  path: string;
  /** The element or attribute the value belongs to. */
  name: string;
  value: string;
}

const MAX_DEPTH_SHOWN = 8;

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references, as every XML parser resolves them. */
function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/gi, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

export function xmlValues(xml: string, maxValues = 2_000): XmlValue[] {
  const out: XmlValue[] = [];
  const stack: string[] = [];
  const path = (): string => stack.slice(-MAX_DEPTH_SHOWN).join('/');
  const push = (kind: XmlValue['kind'], name: string, value: string, at = path()): void => {
    if (out.length < maxValues && value.trim() !== '') out.push({ kind, path: at, name, value });
  };
  let i = 0;
  while (i < xml.length && out.length < maxValues) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length > 0) push('text', stack[stack.length - 1]!, unescapeXml(text));
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) { i = skipPast(xml, lt + 4, '-->'); continue; }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (stack.length > 0) push('text', stack[stack.length - 1]!, xml.slice(lt + 9, end < 0 ? xml.length : end));
      i = end < 0 ? xml.length : end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt)) { i = skipPast(xml, lt + 2, '?>'); continue; }
    if (xml.startsWith('<!', lt)) { i = skipDeclaration(xml, lt); continue; }
    if (xml.startsWith('</', lt)) {
      stack.pop();
      i = skipPast(xml, lt + 2, '>');
      continue;
    }
    i = readTag(xml, lt, stack, push, path);
  }
  return out;
}

function skipPast(xml: string, from: number, marker: string): number {
  const end = xml.indexOf(marker, from);
  return end < 0 ? xml.length : end + marker.length;
}

/** `<!DOCTYPE r [ … ]>`: an internal subset ends at `]>`; any other declaration at its first `>`. */
function skipDeclaration(xml: string, lt: number): number {
  const gt = xml.indexOf('>', lt);
  const bracket = xml.indexOf('[', lt);
  if (bracket >= 0 && (gt < 0 || bracket < gt)) return skipPast(xml, bracket, ']>');
  return gt < 0 ? xml.length : gt + 1;
}

const NAME_END = /[\s/>=<]/;

function readTag(xml: string, lt: number, stack: string[], push: (kind: XmlValue['kind'], name: string, value: string, at?: string) => void, path: () => string): number {
  let j = lt + 1;
  while (j < xml.length && !NAME_END.test(xml[j]!)) j++;
  const name = xml.slice(lt + 1, j);
  if (name === '') return lt + 1; // a lone `<` in text: malformed, step over it
  stack.push(name);
  push('name', name, name);
  // Attributes: name = "value" | 'value', until `>` or `/>`.
  for (;;) {
    while (j < xml.length && /\s/.test(xml[j]!)) j++;
    if (j >= xml.length) return xml.length;
    if (xml[j] === '>') return j + 1;
    if (xml.startsWith('/>', j)) { stack.pop(); return j + 2; }
    const start = j;
    while (j < xml.length && !NAME_END.test(xml[j]!)) j++;
    const attr = xml.slice(start, j);
    while (j < xml.length && /\s/.test(xml[j]!)) j++;
    if (xml[j] !== '=') { if (j === start) j++; continue; }
    j++;
    while (j < xml.length && /\s/.test(xml[j]!)) j++;
    const quote = xml[j];
    if (quote !== '"' && quote !== "'") continue;
    const end = xml.indexOf(quote, j + 1);
    const value = xml.slice(j + 1, end < 0 ? xml.length : end);
    if (attr !== '') {
      push('name', attr, attr, `${path()}/@`);
      push('text', attr, unescapeXml(value), `${path()}/@${attr}`);
    }
    j = end < 0 ? xml.length : end + 1;
  }
}
