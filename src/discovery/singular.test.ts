import { describe, expect, it } from 'vitest';
import { nameStem, singularize } from './singular.js';

describe('singularize', () => {
  it.each([
    ['orders', 'order'], ['categories', 'category'], ['people', 'person'], ['addresses', 'address'],
    ['status', 'status'], ['statuses', 'status'], ['children', 'child'], ['boxes', 'box'], ['matches', 'match'],
    ['wishes', 'wish'], ['heroes', 'hero'], ['movies', 'movie'], ['cookies', 'cookie'], ['caches', 'cache'],
    ['companies', 'company'], ['buses', 'bus'], ['analyses', 'analysis'], ['leaves', 'leaf'], ['archives', 'archive'],
    ['responses', 'response'], ['cases', 'case'], ['causes', 'cause'], ['aliases', 'alias'], ['news', 'news'],
    ['series', 'series'], ['data', 'data'], ['media', 'media'], ['access', 'access'], ['class', 'class'],
    ['menus', 'menu'], ['ideas', 'idea'], ['indices', 'index'], ['quizzes', 'quiz'], ['shoes', 'shoe'], ['me', 'me'],
  ])('%s → %s', (plural, singular) => {
    expect(singularize(plural)).toBe(singular);
  });
});

describe('nameStem', () => {
  it.each([
    ['orders', 'order'], ['order-items', 'orderItem'], ['line_items', 'lineItem'], ['userProfiles', 'userProfile'],
    ['by-email', 'email'], ['Orders', 'order'], ['.well-known', 'wellKnown'], ['2fa', undefined], ['123', undefined],
  ])('%s → %s', (segment, stem) => {
    expect(nameStem(segment)).toBe(stem);
  });
});
