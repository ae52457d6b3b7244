import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../errors.js';
import { parseConfigText } from './load.js';

function problems(text: string, env: NodeJS.ProcessEnv = {}): PortcullisError {
  try {
    parseConfigText(text, '/etc/portcullis.yaml', env);
  } catch (e) {
    if (e instanceof PortcullisError) return e;
    throw e;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfigText', () => {
  it('applies defaults and resolves paths against the file', () => {
    const c = parseConfigText('upstreams:\n  - url: http://127.0.0.1:3000\n    spec: api.yaml\n', '/etc/p/portcullis.yaml', {});
    expect(c.upstreams[0]!.spec).toBe('/etc/p/api.yaml');
    expect(c.upstreams[0]!.timeouts.connectMs).toBe(5000);
    expect(c.limits.bodyBytes).toBe(1024 * 1024);
    expect(c.mode).toBe('block');
    expect(c.listen).toBe('127.0.0.1:8000');
  });

  it('reports every schema problem at once with file:line:col and the path', () => {
    const e = problems('mode: sometimes\nupstreams:\n  - url: ftp://x\n    spec: a.yaml\n    colour: red\nlimits:\n  bodyBytes: -1\n');
    expect(e.code).toBe('PC_ERR_CONFIG_INVALID');
    const text = e.details.join('\n');
    expect(text).toMatch(/portcullis\.yaml:1:\d+ mode: must be one of "block", "monitor"/);
    expect(text).toMatch(/portcullis\.yaml:3:\d+ upstreams\[0\]\.url/);
    expect(text).toMatch(/portcullis\.yaml:5:5 upstreams\[0\]\.colour: unknown key "colour"/);
    expect(text).toMatch(/portcullis\.yaml:7:\d+ limits\.bodyBytes/);
    expect(e.details.length).toBeGreaterThanOrEqual(4);
  });

  it('substitutes ${VAR} and ${VAR:-default}, and names unset variables with their position', () => {
    const c = parseConfigText('upstreams:\n  - url: ${UP}\n    spec: ${SPEC:-openapi.yaml}\n', '/x/p.yaml', { UP: 'http://127.0.0.1:9' });
    expect(c.upstreams[0]!.url).toBe('http://127.0.0.1:9');
    expect(c.upstreams[0]!.spec).toBe('/x/openapi.yaml');
    const e = problems('upstreams:\n  - url: ${MISSING_UP}\n    spec: a.yaml\n');
    expect(e.code).toBe('PC_ERR_CONFIG_VARIABLE');
    expect(e.details[0]).toMatch(/portcullis\.yaml:2:\d+ \$\{MISSING_UP\} is not set/);
  });

  it('refuses broken YAML and duplicate keys with a position', () => {
    expect(problems('upstreams: [\n').code).toBe('PC_ERR_CONFIG_SYNTAX');
    const dup = problems('mode: block\nmode: monitor\nupstreams: []\n');
    expect(dup.code).toBe('PC_ERR_CONFIG_SYNTAX');
    expect(dup.details[0]).toMatch(/portcullis\.yaml:2:\d+/);
  });
});
