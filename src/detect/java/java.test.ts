import { describe, expect, it } from 'vitest';
import { detectJavaExhaustive, java } from './index.js';

// Hand-written examples (none taken from the measuring corpus): each attack shows one Java-platform
// shape; each benign value is a look-alike a keyword filter would trip on.
const ATTACKS: Array<[string, string]> = [
  ['java.lang.Runtime.getRuntime().exec("id")', 'java-exec'],
  ['Runtime.getRuntime().exec(new String[]{"sh","-c","uname"})', 'java-exec'],
  ['x=getRuntime().exec(cmd)', 'java-exec'],
  ['new ProcessBuilder("bash","-c","ls").start()', 'java-exec'],
  ['new java.lang.ProcessBuilder(cmds)', 'java-exec'],
  ['T(java.lang.Runtime).getRuntime().exec("touch /tmp/q")', 'java-exec'],
  ['new javax.script.ScriptEngineManager().getEngineByName("js").eval(p)', 'java-exec'],
  ['m.getEngineByName("nashorn")', 'java-exec'],
  ['java.lang.ProcessBuilder', 'java-exec'],
  ['Class.forName("java.lang.Thread")', 'java-reflection'],
  ['"".getClass().forName("x.Y").newInstance()', 'java-reflection'],
  ['loader.defineClass(name, bytes, 0, len)', 'java-reflection'],
  ['sun.misc.Unsafe', 'java-reflection'],
  ['java.lang.reflect.Method', 'java-reflection'],
  ['c.getMethod("exit", int.class).invoke(null, 1)', 'java-reflection'],
  ['rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA', 'java-deserialization'],
  ['aced00057372001a', 'java-deserialization'],
  ['\u00ac\u00ed\u0000\u0005sr\u0000\u0011java.util.HashMap', 'java-deserialization'],
  ['org.apache.commons.collections.functors.InvokerTransformer', 'java-deserialization'],
  ['ChainedTransformer', 'java-deserialization'],
  ['com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl', 'java-deserialization'],
  ['lazymap + Runtime exec', 'java-deserialization'],
  ["%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)}", 'ognl'],
  ['%{#context["xwork.MethodAccessor.denyMethodExecution"]=false}', 'ognl'],
  ['(#_memberAccess["allowStaticMethodAccess"]=true)', 'ognl'],
  ['${#a=1}', 'ognl'],
  ["(#cmd='whoami').(#iswin=false)", 'ognl'],
  ['@java.lang.Runtime@getRuntime()', 'ognl'],
  ['class.module.classLoader.resources.context.parent.pipeline.first.pattern', 'class-loader-manipulation'],
  ['class.classLoader.URLs[0]', 'class-loader-manipulation'],
  ['foo.class.classLoader.resources.dirContext.docBase', 'class-loader-manipulation'],
  ['#{request.getClass().getClassLoader()}', 'class-loader-manipulation'],
  ["class['classLoader']['resources']['context']", 'class-loader-manipulation'],
  ['["com.sun.rowset.JdbcRowSetImpl",{"dataSourceName":"ldap://h.test/q"}]', 'java-deserialization'],
  ["#{T(java.lang.Runtime).getRuntime().exec('id')}", 'java-exec'],
  ['java.io.FileOutputStream', 'java-class'],
  ['"java.lang.System"', 'java-class'],
  ['shell.jsp..', 'jsp-upload'],
];

const BENIGN = [
  'Java runtime environment 17 download',
  'Install the Java Runtime and restart',
  'my class starts at 9',
  'first class ticket',
  'com.example.Foo',
  'com.example.billing.InvoiceService',
  '{"class":"premium","id":3}',
  'java.runtime.version',
  'javax.faces.ViewState',
  'java.util.List',
  'org.apache.commons',
  'user@example.com',
  'a.b@c.example.org',
  'SGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZQ==',
  'dGhlIHF1aWNrIGJyb3duIGZveA',
  '5f2b9c1e0a7d4e3b8c6f1a2d3e4b5c6d',
  '0x1f2e3d4c',
  'processing builder results',
  'run time: 3 minutes',
  'See https://docs.example.org/java/lang/guide.html',
  'at com.example.App.main(App.java:12)',
  'foreclosure listings near me',
  'Transformers: Rise of the Beasts',
  'factory reset instructions',
  'email #hashtag (#1 fan)',
  'price: ${amount}',
  'index.html',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  'getting started with the classroom',
  'rO0m and board',
  'ClassLoader leaks in Tomcat',
  'class-loader',
  'com.google.android.gms',
  '#section-2 (#1)',
  'I prefer Java over Kotlin; the runtime is fine',
];

describe('java detector', () => {
  it.each(ATTACKS)('%s is flagged (%s)', (v, reason) => {
    const d = java.detect(v);
    expect(d, v).toBeDefined();
    expect(d!.reason).toBe(reason);
    expect(d!.detector).toBe('java');
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
    expect(d!.paranoia ?? 1).toBe(1);
  });

  it.each(BENIGN)('%s passes', (v) => {
    const d = java.detect(v);
    expect(d === undefined || (d.paranoia ?? 1) >= 2, `${v} -> ${JSON.stringify(d)}`).toBe(true);
  });

  it('marks looser shapes with a higher paranoia level', () => {
    expect(java.detect('forclosure')?.paranoia).toBe(2);
    expect(java.detect('we use java.io.File here')?.paranoia).toBe(2);
    expect(java.detect('at java.lang.Runtime.exec(Runtime.java:620)')?.paranoia).toBe(3);
    expect(java.detect('cnVudGltZQ')?.paranoia).toBe(3);
    expect(java.detect('index.jsp')?.paranoia).toBe(2);
    expect(java.detect('Exception in thread main java.lang.NullPointerException')?.paranoia).toBe(2);
    expect(java.detect('(#cmd=1)')?.paranoia).toBe(2);
    expect(java.detect('x KztAAU y')?.paranoia).toBe(2);
  });

  it('scans the head and the tail of a 1 MB value, quickly', () => {
    const filler = 'lorem ipsum dolor. sit amet (x) '.repeat(32_768);
    expect(java.detect(filler)).toBeUndefined();
    expect(java.detect(`${filler}java.lang.Runtime.getRuntime().exec("id")`)?.reason).toBe('java-exec');
    expect(java.detect(`Class.forName("a.B")${filler}`)?.reason).toBe('java-reflection');
    const dots = 'java.'.repeat(200_000);
    const t0 = performance.now();
    java.detect(dots);
    java.detect('@a.'.repeat(300_000));
    java.detect('(#a='.repeat(250_000));
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('the gate never hides a finding (differential test against the exhaustive scan)', () => {
    const pieces = [
      'java', 'javax', 'lang', 'io', 'Runtime', 'runtime', 'ProcessBuilder', 'getRuntime', 'exec', 'Class', 'class', 'forName', 'module', 'classLoader',
      'reflect', 'sun', 'misc', 'Unsafe', 'org', 'apache', 'commons', 'collections', 'functors', 'InvokerTransformer', 'lazymap', 'rO0AB', 'aced0005',
      'ognl', 'OgnlContext', '_memberAccess', 'context', 'cmd', 'File', 'String', 'com', 'example', 'at', 'x', 'cnVudGltZQ', 'jsp', 'index',
      '.', '.', '.', '(', ')', '@', '#', '%{', '${', '{', '}', '=', '"', "'", ' ', ' ', '[', ']', ',', ';', '\u0000\u0005', '\u00ac\u00ed',
    ];
    let seed = 20261203;
    const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    let fired = 0;
    for (let n = 0; n < 20_000; n++) {
      const len = 1 + rand(8);
      const parts: string[] = [];
      for (let k = 0; k < len; k++) parts.push(pieces[rand(pieces.length)]!);
      const value = parts.join('');
      const exhaustive = detectJavaExhaustive(value);
      if (exhaustive) fired++;
      expect(java.detect(value), value).toEqual(exhaustive);
    }
    for (const [value] of ATTACKS) expect(java.detect(value), value).toEqual(detectJavaExhaustive(value));
    for (const value of BENIGN) expect(java.detect(value), value).toEqual(detectJavaExhaustive(value));
    expect(fired).toBeGreaterThan(500);
  });
});
