import { describe, expect, it } from 'vitest';
import { nosql } from './index.js';

describe('NoSQL operator injection', () => {
  it.each([
    '$ne', '$gt', '$where', '$regex', 'password[$ne]', 'user[$regex]', 'login[$in][]', '{"$gt": ""}', '{ $ne: null }',
    "', $where: 'sleep(1000)", '{"$or": [{}, {"a": "a"}]}', "' && this.password.match(/.*/)//", "'; return true; var x='",
    'db.users.find({})', "';sleep(5000);", '|| 1==1', "' || 'a'=='a", '&& true === true',
    "\";t0=new Date();while(new Date()-t0<3000){};\"", 'do { n++ } while (n > 0)',
  ])('%s is flagged', (v) => {
    expect(nosql.detect(v)).toBeDefined();
  });

  it.each([
    '$ref', '$schema', '$id', 'price $10', 'costs $in total', 'A$AP Rocky', 'US$ 5', '{"ref": "$ne is not a thing here"}', 'name',
    'this.that', 'return to sender', 'sleep well', 'user[name]', 'filter[status]', '{"amount": "$5"}', 'me$sage',
    'query Q($id: ID!, $type: Kind, $limit: Int) { item(id: $id) { name } }', 'I said; return it tomorrow',
    'a == b', 'x || y', 'if (a == 1) return', 'rock && roll == fun', '|| 1 = 1 ||',
    'do {this} while you can', 'while (we wait) {tea}', "it's new; it = new to me", 'A "quote"; x = new idea (soon)',
  ])('%s is benign', (v) => {
    expect(nosql.detect(v)).toBeUndefined();
  });
});
