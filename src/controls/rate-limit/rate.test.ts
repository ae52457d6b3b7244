import { describe, expect, it } from 'vitest';
import { parseRate } from './rate.js';

describe('parseRate', () => {
  it.each([
    ['100/min', 100, 60], ['10/s', 10, 1], ['5000/h', 5000, 3600], ['20000/day', 20000, 86400],
    ['1/sec', 1, 1], ['3/second', 3, 1], ['7/m', 7, 60], ['8/minute', 8, 60], ['9/hour', 9, 3600], ['2/d', 2, 86400],
    [' 5 / MIN ', 5, 60], ['1000000000/s', 1e9, 1],
  ])('%s', (text, points, durationSec) => {
    expect(parseRate(text)).toEqual({ points, durationSec });
  });

  it.each([
    ['0/s', /integer from 1/], ['1000000001/s', /integer from 1/], ['12345678901/s', /not "<n>\/<unit>"/],
    ['1.5/s', /not "<n>\/<unit>"/], ['-1/s', /not "<n>\/<unit>"/], ['10', /not "<n>\/<unit>"/], ['10/', /not "<n>\/<unit>"/],
    ['/s', /not "<n>\/<unit>"/], ['10/week', /unknown unit "week"/], ['10/ms', /unknown unit/], ['', /not "<n>\/<unit>"/], ['10/s/s', /not/],
  ])('refuses %j', (text, message) => {
    expect(() => parseRate(text)).toThrow(message);
  });

  it('refuses values that are not strings', () => {
    expect(() => parseRate(100 as unknown as string)).toThrow(/must be a string/);
  });
});
