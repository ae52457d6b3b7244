import type { Detection, Detector } from '../types.js';

/**
 * XML external entities and entity expansion (XXE, "billion laughs"), in an XML request body or
 * in XML carried inside another value (a SAML assertion, an SVG, a SOAP envelope in a JSON field).
 * An API has no use for a DTD, so the shapes below are findings whatever the entities resolve to:
 *   - `external-entity`: `<!ENTITY x SYSTEM "file:///etc/passwd">`, `PUBLIC` ids (file read, SSRF);
 *   - `parameter-entity`: `<!ENTITY % x …>`, the building block of out-of-band exfiltration;
 *   - `external-dtd`: `<!DOCTYPE r SYSTEM "http://…">`, a DTD fetched from elsewhere;
 *   - `entity-expansion`: an entity whose value references other entities (exponential growth);
 *   - `xinclude`: `<xi:include href=…>`, the same file read without a DTD;
 *   - `dtd-entity`: any other entity declaration (lower confidence).
 * `<!DOCTYPE html>` (rich text) is not a finding: it declares nothing.
 */
/** From the start of a DTD, this much is read; includes are looked for in the whole value. */
export const SCAN_LIMIT = 65_536;

const EXTERNAL_DTD = /<!DOCTYPE\s+[^\s>[]{1,256}\s+(?:SYSTEM|PUBLIC)\b/i;
const XINCLUDE_NS = 'http://www.w3.org/2001/xinclude';
/** `<include` or `<xi:include` just before the word `include`. */
const INCLUDE_TAG = /<(?:[\w.-]{1,64}:)?$/;

export const xxe: Detector = {
  id: 'xxe',
  readsDocuments: true,
  detect(value: string): Detection | undefined {
    if (!value.includes('<')) return undefined;
    // A DTD may follow any amount of prolog (comments, PIs): find it wherever it starts, then read on from there.
    const lower = value.toLowerCase();
    const doctype = lower.indexOf('<!doctype');
    const declStart = doctype >= 0 ? doctype : lower.indexOf('<!entity');
    if (declStart >= 0) {
      const v = value.slice(declStart, declStart + SCAN_LIMIT);
      const found = entities(v, lower.slice(declStart, declStart + SCAN_LIMIT)) ?? externalDtd(v);
      if (found) return found;
    }
    return xinclude(value, lower);
  },
};

/** At most this many declarations are read, each up to its `>` within this many characters: linear work. */
const MAX_DECLARATIONS = 256;
const MAX_DECLARATION = 4096;

function entities(v: string, lower: string): Detection | undefined {
  let weakest: Detection | undefined;
  for (let at = lower.indexOf('<!entity'), n = 0; at >= 0 && n < MAX_DECLARATIONS; at = lower.indexOf('<!entity', at + 8), n++) {
    const end = lower.indexOf('>', at);
    const decl = v.slice(at, end < 0 ? Math.min(v.length, at + MAX_DECLARATION) : Math.min(end + 1, at + MAX_DECLARATION));
    // `<!ENTITY % name …>` or `<!ENTITY name [SYSTEM|PUBLIC] …>`
    const words = decl.slice(8).trim().split(/\s+/, 3);
    if (words[0] === '%' || words[0]?.startsWith('%')) return hit(0.95, 'parameter-entity', decl);
    const kind = (words[1] ?? '').toUpperCase();
    if (kind === 'SYSTEM' || kind === 'PUBLIC') return hit(0.95, 'external-entity', decl);
    // An entity whose replacement text names another entity grows with every level.
    if (/&[^\s;&]{1,256};/.test(decl)) return hit(0.9, 'entity-expansion', decl);
    weakest ??= hit(0.7, 'dtd-entity', decl);
  }
  return weakest;
}

function externalDtd(v: string): Detection | undefined {
  const m = EXTERNAL_DTD.exec(v);
  return m ? hit(0.9, 'external-dtd', v.slice(m.index, m.index + 64)) : undefined;
}

function xinclude(v: string, lower: string): Detection | undefined {
  if (lower.includes(XINCLUDE_NS)) return hit(0.85, 'xinclude', v.slice(lower.indexOf(XINCLUDE_NS) - 24, lower.indexOf(XINCLUDE_NS) + 40));
  for (let at = lower.indexOf('include'), n = 0; at >= 0 && n < MAX_DECLARATIONS; at = lower.indexOf('include', at + 7), n++) {
    if (!INCLUDE_TAG.test(lower.slice(Math.max(0, at - 66), at))) continue;
    const end = lower.indexOf('>', at);
    const tag = lower.slice(at, end < 0 ? at + 1024 : Math.min(end, at + 1024));
    if (/\shref\s*=/.test(tag)) return hit(0.85, 'xinclude', v.slice(Math.max(0, at - 4), at + 60));
  }
  return undefined;
}

function hit(confidence: number, reason: string, fragment: string): Detection {
  return { detector: 'xxe', confidence, reason, fragment: fragment.slice(0, 64) };
}
