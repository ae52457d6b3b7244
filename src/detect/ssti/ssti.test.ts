import { describe, expect, it } from 'vitest';
import { ssti } from './index.js';

describe('server-side template injection', () => {
  it.each([
    ['{{6*8}}', 'template-probe'],
    ['${ 9*9 }', 'template-probe'],
    ["#{3*'3'}", 'template-probe'],
    ['*{12+30}', 'template-probe'],
    ['@(4*4)', 'template-probe'],
    ['<%= 5*5 %>', 'template-probe'],
    ['{% if true %}ok{% endif %}', 'template-probe'],
    ["{{ ''.__class__.__base__.__subclasses__() }}", 'object-traversal'],
    ['{{ lipsum.__globals__["os"] }}', 'object-traversal'],
    ['{{ cycler.__init__.__globals__ }}', 'object-traversal'],
    ['{{ self._TemplateReference__context }}', 'object-traversal'],
    ['{{ config.items() }}', 'template-disclosure'],
    ['{{ user.getClass().getName() }}', 'template-code'],
    ['${obj.toString().length()}', 'template-call'],
    ['{{config}}', 'template-disclosure'],
    ["{{ request|attr('class') }}", 'template-filter-callback'],
    ["{{ ['whoami']|map('passthru')|join }}", 'template-filter-callback'],
    ['{{ _self.env.registerUndefinedFilterCallback("system") }}', 'template-code'],
    ['${"freemarker.template.utility.Execute"?new()("uname")}', 'freemarker-execute'],
    ['<#assign cmd="x"?new()>', 'freemarker-new'],
    ['#set($rt = $class.forName("java.lang.Runtime"))', 'velocity-class'],
    ['#set($a = 1)', 'velocity-directive'],
    ['${T(java.lang.System).getenv()}', 'spel-type'],
    ['*{T(java.lang.Runtime).getRuntime().exec("date")}', 'spel-type'],
    ["${obj.getClass().forName('java.lang.Thread')}", 'template-code'],
    ['<%= `uname -a` %>', 'template-code'],
    ["<%= IO.popen('date').read %>", 'template-code'],
    ["#{process.mainModule.require('os')}", 'template-code'],
    ["{{this.constructor.constructor('return 1')()}}", 'object-traversal'],
    ['{php}phpinfo();{/php}', 'smarty-php'],
    ["{system('date')}", 'smarty-call'],
    ['{{#with "x" as |y|}}{{/with}}', 'handlebars-gadget'],
    ['@(System.Diagnostics.Process.Start("notepad"))', 'template-code'],
    ['${{<%[%\'"}}%\\', 'template-polyglot'],
  ])('%s is flagged (%s)', (v, reason) => {
    const d = ssti.detect(v);
    expect(d?.reason).toBe(reason);
    expect(d!.fragment.length).toBeLessThanOrEqual(64);
  });

  it('ranks traversal above probes', () => {
    expect(ssti.detect('{{7*7}}')!.confidence).toBeLessThan(0.8);
    expect(ssti.detect("{{ ''.__class__.__mro__ }}")!.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    'Hello {{ first_name }}', '{{name}}', 'Total: ${price}', '${HOME}/bin', '#{id}', '{}', '{"a": 1, "b": [2, 3]}', 'a { color: red }',
    '100% cotton', '50%-70% off', '{% raw %}', '{% if user %}Hi{% endif %}', '{{#each items}}{{this}}{{/each}}', '{{> header}}',
    'mail me at jane@(home) later', 'user@example.com', 'price is $5 (approx)', 'T-shirt (large)', 'the constructor of this class',
    '__utmz=1.2.3', 'snake_case_name', '#hashtag #set of things', 'cost 7*7 = 49', '<% this is not closed', '*{margin:0;padding:0}',
    'Q&A: what is 2+2?', '{{ user.name | upper }}', '${a}${b}${c}', '@{user}',
  ])('%s is benign', (v) => {
    expect(ssti.detect(v)).toBeUndefined();
  });

  it('scans a 1 MB value in bounded time: payload in the tail is found, filler alone is benign', () => {
    const filler = 'lorem ipsum {{ name }} ${x} '.repeat(40000);
    expect(filler.length).toBeGreaterThan(1_000_000);
    expect(ssti.detect(filler)).toBeUndefined();
    const t0 = Date.now();
    expect(ssti.detect(`${filler}{{ ''.__class__.__mro__ }}`)?.reason).toBe('object-traversal');
    expect(ssti.detect('{'.repeat(1_000_000))).toBeUndefined();
    expect(ssti.detect('{{'.repeat(500_000))).toBeUndefined();
    expect(ssti.detect(`{{ a.b(${' '.repeat(400)}`.repeat(3000))).toBeUndefined();
    expect(ssti.detect(`{{x.y()${' '.repeat(500)}!}}`.repeat(2000))).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
