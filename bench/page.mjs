/** The realistic API page the control benchmarks serve: deterministic words, 5 declared and 2 undeclared members per item. */
export const WORDS = ['amber', 'birch', 'cedar', 'dune', 'ember', 'fjord', 'glade', 'harbor', 'iris', 'juniper', 'kelp',
  'lagoon', 'meadow', 'nectar', 'orchid', 'pebble', 'quartz', 'reef', 'sage', 'tundra', 'umber', 'willow'];

export function makeItem(i) {
  const w = (k) => WORDS[(i * 7 + k * 5) % WORDS.length];
  return {
    id: 1000 + i,
    name: `${w(0)} ${w(1)} desk organiser, ${w(2)} finish, ${3 + (i % 4)} drawers`,
    email: `${w(3)}.${i}@example.com`,
    price: (1250 + 375 * i) / 100,
    tags: [w(4), w(5), w(6), `batch-${i % 6}`],
    // The two members the contract does not declare: what the filter strips.
    internalNote: `supplier ${w(7)} ${w(8)}: reorder when fewer than ${10 + (i % 5) * 5} units left`,
    costPrice: (800 + 215 * i) / 100,
  };
}
