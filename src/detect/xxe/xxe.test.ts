import { describe, expect, it } from 'vitest';
import { xxe } from './index.js';

describe('XXE detector', () => {
  it.each([
    ['<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]><r>&x;</r>', 'external-entity'],
    ['<!DOCTYPE r [ <!ENTITY  ext PUBLIC "-//A//B" "http://127.0.0.1:9/x.dtd"> ]><r/>', 'external-entity'],
    ['<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1/e.dtd"> %p;]>', 'parameter-entity'],
    ['<!DOCTYPE r [<!ENTITY %p "x">]>', 'parameter-entity'],
    ['<!DOCTYPE bomb [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;">]><bomb>&c;</bomb>', 'entity-expansion'],
    ['<!DOCTYPE note SYSTEM "http://127.0.0.1/note.dtd"><note/>', 'external-dtd'],
    ['<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/hosts"/></r>', 'xinclude'],
    ['<doc><xx:include href="/etc/hosts" parse="text"/></doc>', 'xinclude'],
    ['<!DOCTYPE r [<!ENTITY greeting "hello">]><r>&greeting;</r>', 'dtd-entity'],
  ])('flags %s', (value, reason) => {
    expect(xxe.detect(value)?.reason).toBe(reason);
  });

  it.each([
    '<!DOCTYPE html><html><body>hi</body></html>',
    '<?xml version="1.0" encoding="UTF-8"?><order><id>5</id><note>entity, system, public</note></order>',
    'Please include the invoice <b>today</b>',
    '<include file="a.txt">',
    'The SYSTEM entity is <!-- a comment --> fine',
    'a < b and c > d',
    '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
  ])('passes %s', (value) => {
    expect(xxe.detect(value)).toBeUndefined();
  });

  it('bounds its work on hostile repetition (declarations without an end, includes without tags)', () => {
    const t0 = performance.now();
    expect(xxe.detect('<!ENTITY a '.repeat(20_000))?.reason).toBe('dtd-entity');
    expect(xxe.detect('<'.repeat(100_000) + 'include'.repeat(10_000))).toBeUndefined();
    // A DTD after a long prolog is still found: the scan starts where the DTD does.
    expect(xxe.detect(`<?xml version="1.0"?><!-- ${"x".repeat(1 << 20)} --><!DOCTYPE r [<!ENTITY x SYSTEM "file:///e">]><r/>`)?.reason).toBe("external-entity");
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
