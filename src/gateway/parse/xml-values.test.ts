import { describe, expect, it } from 'vitest';
import { xmlValues } from './xml-values.js';

describe('xmlValues', () => {
  it('reads element text, CDATA, attribute values and names, with paths, entities resolved', () => {
    const v = xmlValues('<?xml version="1.0"?><!-- c --><a x="1 &amp; 2"><b>hi &lt;there&gt;</b><c><![CDATA[<raw>]]></c><d/></a>');
    expect(v).toEqual([
      { kind: 'name', path: 'a', name: 'a', value: 'a' },
      { kind: 'name', path: 'a/@', name: 'x', value: 'x' },
      { kind: 'text', path: 'a/@x', name: 'x', value: '1 & 2' },
      { kind: 'name', path: 'a/b', name: 'b', value: 'b' },
      { kind: 'text', path: 'a/b', name: 'b', value: 'hi <there>' },
      { kind: 'name', path: 'a/c', name: 'c', value: 'c' },
      { kind: 'text', path: 'a/c', name: 'c', value: '<raw>' },
      { kind: 'name', path: 'a/d', name: 'd', value: 'd' },
    ]);
  });

  it('skips declarations (never expands entities) and survives malformed or hostile input', () => {
    expect(xmlValues('<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>').map((x) => x.value)).toEqual(['a', '&e;']);
    expect(xmlValues('<a b="unterminated><c>')).toEqual([{ kind: 'name', path: 'a', name: 'a', value: 'a' }, { kind: 'name', path: 'a/@', name: 'b', value: 'b' }, { kind: 'text', path: 'a/@b', name: 'b', value: 'unterminated><c>' }]);
    expect(xmlValues('<'.repeat(10_000) + 'x')).toEqual([{ kind: 'name', path: 'x', name: 'x', value: 'x' }]);
    expect(xmlValues('<a>'.repeat(50_000), 100)).toHaveLength(100);
  });
});
