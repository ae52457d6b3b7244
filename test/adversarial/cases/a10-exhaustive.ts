/**
 * Catalogue §2 A10 — the smuggler.py "exhaustive" class, generated: every byte 0x01–0x20 and 0x7F–0xFF at
 * four positions around `Transfer-Encoding: chunked` (before the name, before the colon, after the
 * colon, after the value), plus a few named obfuscations, each sent with the two CL.TE bodies
 * (CL 4 and CL 11) and the two TE.CL bodies (CL 6 and CL 5).
 *
 * Expected for every variant: 400c, or a single request for which P1–P3 hold. No variant may go
 * unanswered (an unanswered request means the gateway waits for bytes the client thinks it never
 * has to send: a desync). Each variant carries `X-Adv-Variant: <n>` so upstream requests can be
 * attributed when variants run concurrently.
 */
import type { AdversarialCase } from '../harness/case.js';

export interface GeneratedVariant extends AdversarialCase {
  /** The value of the `X-Adv-Variant` header this variant carries. */
  marker: string;
}

const BYTES: number[] = [
  ...Array.from({ length: 0x20 }, (_, i) => i + 1), // 0x01–0x20
  ...Array.from({ length: 0x100 - 0x7f }, (_, i) => i + 0x7f), // 0x7F–0xFF
];

const hex = (b: number): string => b.toString(16).padStart(2, '0');

/** Gadgets: the line(s) that replace `Transfer-Encoding: chunked`. */
function gadgets(): { name: string; line: string }[] {
  const out: { name: string; line: string }[] = [];
  for (const b of BYTES) {
    const c = String.fromCharCode(b);
    out.push({ name: `prespace-${hex(b)}`, line: `${c}Transfer-Encoding: chunked` });
    out.push({ name: `postspace-${hex(b)}`, line: `Transfer-Encoding${c}: chunked` });
    out.push({ name: `midspace-${hex(b)}`, line: `Transfer-Encoding:${c}chunked` });
    out.push({ name: `endspace-${hex(b)}`, line: `Transfer-Encoding: chunked${c}` });
  }
  const named: [string, string][] = [
    ['plain', 'Transfer-Encoding: chunked'],
    ['yelling', 'TRANSFER-ENCODING: CHUNKED'],
    ['mixedcase', 'tRaNsFeR-eNcOdInG: ChUnKeD'],
    ['doublespace', 'Transfer-Encoding:  chunked'],
    ['nospace', 'Transfer-Encoding:chunked'],
    ['spacejoin', 'Transfer Encoding: chunked'],
    ['underjoin', 'Transfer_Encoding: chunked'],
    ['commacow', 'Transfer-Encoding: chunked, cow'],
    ['cowcomma', 'Transfer-Encoding: cow, chunked'],
    ['nested', 'Transfer-Encoding: cow chunked bar'],
    ['aposed', "Transfer-Encoding: 'chunked'"],
    ['content-enc', 'Content-Encoding: chunked'],
    ['crinname', 'Transfer\r-Encoding: chunked'],
    ['x-cr', 'X: X\rTransfer-Encoding: chunked'],
    ['x-lf', 'X: X\nTransfer-Encoding: chunked'],
    ['lf-fold', 'Transfer-Encoding:\n chunked'],
    ['dual-cow-first', 'Transfer-Encoding: cow\r\nTransfer-Encoding: chunked'],
    ['dual-chunked-first', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: cow'],
    ['accent-value', 'Transfer-Encoding: ch\x96nked'],
    ['accent-name', 'Transf\x82r-Encoding: chunked'],
  ];
  for (const [name, line] of named) out.push({ name, line });
  return out;
}

/** CL.TE: a CL front end forwards 4 (or 11) bytes; a TE back end waits for the rest of the chunk stream. */
const CLTE_BODY = '1\r\nZ\r\nQ\r\n\r\n';
/** TE.CL: a TE front end sees the terminating chunk; a CL back end reads one more byte. */
const TECL_BODY6 = '0\r\n\r\nX';
const TECL_BODY5 = '0\r\n\r\n';
const BODIES: { name: string; cl: number; body: string }[] = [
  { name: 'clte4', cl: 4, body: CLTE_BODY },
  { name: 'clte11', cl: 11, body: CLTE_BODY },
  { name: 'tecl6', cl: 6, body: TECL_BODY6 },
  { name: 'tecl5', cl: 5, body: TECL_BODY5 },
];

export function exhaustiveVariants(): GeneratedVariant[] {
  const out: GeneratedVariant[] = [];
  let n = 0;
  for (const g of gadgets()) {
    for (const b of BODIES) {
      n += 1;
      const marker = String(n);
      out.push({
        id: `A10-${g.name}-${b.name}`,
        title: `TE gadget ${g.name} with ${b.name}`,
        source: 'smuggler.py exhaustive',
        marker,
        bytes:
          `PUT /users/1 HTTP/1.1\r\n${g.line}\r\n{{H}}{{U}}Content-Type: application/json\r\nX-Adv-Variant: ${marker}\r\n` +
          `Content-Length: ${b.cl}\r\n\r\n${b.body}`,
        // 400c, or one ordinary refusal of this (never valid) body; either way nothing reaches the upstream.
        expect: [{ status: 400, closed: true }, { status: [400, 401, 403, 404, 405, 411, 413, 415, 422, 501] }],
        upstream: { count: 0 },
      });
    }
  }
  return out;
}
