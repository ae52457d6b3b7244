/**
 * English singular of a path word, for parameter names (`orders` → `order`). A table and a few
 * suffix rules, not a library: names only have to read well, and the words that appear in API
 * paths are a narrow set whose exceptions (`status`, `people`, `addresses`) are listed here.
 */

const IRREGULAR: Record<string, string> = {
  people: 'person', children: 'child', men: 'man', women: 'woman', mice: 'mouse', geese: 'goose',
  feet: 'foot', teeth: 'tooth', criteria: 'criterion', phenomena: 'phenomenon', indices: 'index',
  vertices: 'vertex', matrices: 'matrix', appendices: 'appendix', analyses: 'analysis', axes: 'axis',
  bases: 'base', crises: 'crisis', theses: 'thesis', diagnoses: 'diagnosis', hypotheses: 'hypothesis',
  synopses: 'synopsis', quizzes: 'quiz', leaves: 'leaf', wolves: 'wolf', knives: 'knife', lives: 'life',
  wives: 'wife', halves: 'half', shelves: 'shelf', selves: 'self', thieves: 'thief', loaves: 'loaf',
  calves: 'calf', cacti: 'cactus', fungi: 'fungus', alumni: 'alumnus', oxen: 'ox', dice: 'die',
};

/** Words that end in `s` and are already singular, or have no singular worth using. */
const UNCHANGED = new Set([
  'status', 'news', 'series', 'species', 'analytics', 'physics', 'economics', 'ethics', 'logistics', 'diagnostics',
  'alias', 'canvas', 'gas', 'atlas', 'bias', 'lens', 'bus', 'campus', 'virus', 'census', 'bonus', 'corpus',
  'nexus', 'focus', 'radius', 'syllabus', 'apparatus', 'prospectus', 'consensus', 'stimulus', 'thesaurus',
  'access', 'address', 'process', 'business', 'class', 'glass', 'boss', 'progress', 'success', 'express',
  'analysis', 'basis', 'axis', 'thesis', 'crisis', 'diagnosis', 'synopsis', 'chassis', 'dns', 'sms', 'mms',
  'https', 'aws', 'gps', 'ios', 'macos', 'kubernetes', 'redis', 'plus', 'minus', 'yes', 'has', 'is', 'this', 'its',
]);

/** Plurals of words ending in `u`, which the `-us` rule would keep. */
const PLURAL_US = new Set(['menus', 'gurus', 'emus', 'tofus', 'haikus', 'sudokus', 'tutus', 'bayous']);

/** `-uses` and `-ases` words whose singular drops `es` (the default drops only `s`: `causes`, `cases`). */
const DROP_ES = new Set([
  'statuses', 'buses', 'bonuses', 'campuses', 'viruses', 'focuses', 'censuses', 'corpuses', 'syllabuses',
  'radiuses', 'prospectuses', 'nexuses', 'consensuses', 'aliases', 'canvases', 'gases', 'atlases', 'biases', 'lenses',
]);

/** `-ies`, `-oes`, `-ches` words that only drop `s`. */
const DROP_S = new Set([
  'movies', 'cookies', 'zombies', 'rookies', 'selfies', 'ties', 'pies', 'lies', 'calories', 'brownies', 'goalies',
  'smoothies', 'hoodies', 'freebies', 'species', 'shoes', 'toes', 'canoes', 'oboes', 'foes', 'hoes',
  'caches', 'niches', 'headaches', 'avalanches', 'moustaches', 'mustaches', 'cliches',
]);

/** Singular of one lower-case word; unchanged when unsure. */
export function singularize(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 2) return w;
  const irregular = IRREGULAR[w];
  if (irregular) return irregular;
  if (PLURAL_US.has(w)) return w.slice(0, -1);
  // `-us` and `-is` words are singular (`status`, `basis`) unless short plurals of acronyms (`skus`, `cpus`).
  if (UNCHANGED.has(w) || !w.endsWith('s') || w.endsWith('ss') || (w.length >= 5 && (w.endsWith('us') || w.endsWith('is')))) return w;
  if (DROP_S.has(w)) return w.slice(0, -1);
  if (DROP_ES.has(w)) return w.slice(0, -2);
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses') || w.endsWith('shes') || w.endsWith('ches') || w.endsWith('xes') || w.endsWith('zzes')) return w.slice(0, -2);
  if (w.endsWith('oes') && w.length > 4) return w.slice(0, -2);
  return w.slice(0, -1);
}

/**
 * A camelCase stem from a literal segment, the last word singularised: `orders` → `order`,
 * `order-items` → `orderItem`, `by-email` → `email`. Undefined when the segment is no word
 * (`2fa`, `.well-known` still yields `wellKnown`; digits alone yield nothing).
 */
export function nameStem(segment: string): string | undefined {
  let words = segment.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter((w) => w.length > 0).map((w) => w.toLowerCase());
  if (words[0] === 'by' && words.length > 1) words = words.slice(1);
  if (words.length === 0 || !/^[a-z]/.test(words[0]!)) return undefined;
  words[words.length - 1] = singularize(words[words.length - 1]!);
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}
