/**
 * The second pre-check: which rules' key words a value holds, in one pass with no regex and no
 * string built. Each keyed rule (rules.ts `keys`) can only match a value holding one of its keys,
 * so a rule whose keys are all absent is never tried. Keys are matched ignoring ASCII case (a
 * superset of the case-sensitive rules' matches, so the gate stays sound). Each key sets one bit;
 * with more keyed rules than bits, rules share bits, which only lets more values through.
 */
export interface KeyIndex {
  /** Bits of the keys found in `v`. */
  scan(v: string): number;
  /** The bits of one rule's keys (0 for a rule without keys). */
  readonly ruleBits: Int32Array;
}

const fold = (c: number): number => (c >= 65 && c <= 90 ? c | 32 : c);

export function keyIndex(ruleKeys: ReadonlyArray<readonly string[] | undefined>): KeyIndex {
  const ruleBits = new Int32Array(ruleKeys.length);
  const keyBits = new Map<string, number>();
  let next = 0;
  ruleKeys.forEach((keys, r) => {
    if (!keys) return;
    const bit = 1 << (next++ % 31);
    ruleBits[r] = bit;
    for (const k of keys) {
      const key = k.toLowerCase();
      if (key.length < 2 || /[^\x20-\x7e]/.test(key)) throw new Error(`bad rule key: ${k}`);
      keyBits.set(key, (keyBits.get(key) ?? 0) | bit);
    }
  });
  // Keys by their first two (folded) characters: most positions of most values start no key.
  const heads = new Map<number, { key: string; bits: number }[]>();
  for (const [key, bits] of keyBits) {
    const h = key.charCodeAt(0) * 128 + key.charCodeAt(1);
    const list = heads.get(h) ?? [];
    list.push({ key, bits });
    heads.set(h, list);
  }
  // HEAD[bigram] is 1 + the index in LISTS of the keys starting so (0: none), in a typed array for a fast loop.
  const HEAD = new Uint16Array(128 * 128);
  const LISTS: { key: string; bits: number }[][] = [];
  // THIRD[4·list + c>>5] bit c&31: a key of the list has folded third character c; SHORT[list]: the list
  // holds a two-character key, which any third character completes. A bigram of prose or a URL
  // starts some key one time in ten, a trigram one time in sixty: the list is walked only then.
  const THIRD = new Int32Array(4 * heads.size);
  const SHORT = new Uint8Array(heads.size);
  for (const [h, list] of heads) {
    const at = LISTS.length;
    LISTS.push(list);
    HEAD[h] = LISTS.length;
    for (const { key } of list) {
      if (key.length === 2) SHORT[at] = 1;
      else THIRD[4 * at + (key.charCodeAt(2) >> 5)]! |= 1 << (key.charCodeAt(2) & 31);
    }
  }
  const matchesAt = (v: string, i: number, key: string): boolean => {
    if (i + key.length > v.length) return false;
    for (let k = 2; k < key.length; k++) if (fold(v.charCodeAt(i + k)) !== key.charCodeAt(k)) return false;
    return true;
  };
  return {
    ruleBits,
    scan(v: string): number {
      let bits = 0;
      const last = v.length - 1;
      let a = fold(v.charCodeAt(0));
      for (let i = 0; i < last; i++) {
        const b = fold(v.charCodeAt(i + 1));
        const h = a < 128 && b < 128 ? HEAD[a * 128 + b]! : 0;
        a = b;
        if (h === 0) continue;
        if (SHORT[h - 1] === 0) {
          // Keys of three or more characters: the third must be one of theirs (a non-ASCII one never is).
          const c = i + 2 < v.length ? fold(v.charCodeAt(i + 2)) : 128;
          if (c >= 128 || (THIRD[4 * (h - 1) + (c >> 5)]! & (1 << (c & 31))) === 0) continue;
        }
        const list = LISTS[h - 1]!;
        for (let k = 0; k < list.length; k++) {
          const e = list[k]!;
          if ((bits & e.bits) !== e.bits && matchesAt(v, i, e.key)) bits |= e.bits;
        }
      }
      return bits;
    },
  };
}
