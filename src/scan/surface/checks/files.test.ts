import { describe, expect, it } from 'vitest';
import { answer, html, json, text } from '../../../../test/helpers/answer.js';
import { judgeDotenv, judgeGit, judgePhpinfo } from './files.js';

describe('.env files', () => {
  it('accepts a dotenv file, names its variables and withholds every value', () => {
    const j = judgeDotenv(text('# production\nNODE_ENV=production\nDATABASE_URL=postgres://app:pa55w0rd@db:5432/app\nexport JWT_SECRET="s3cr3t-value"\nPORT=8080\n'));
    expect(j?.severity).toBe('critical');
    expect(j?.evidence).toBe('4 variables (NODE_ENV, DATABASE_URL, JWT_SECRET, PORT), values withheld; 1 look like credentials (JWT_SECRET)');
    expect(JSON.stringify(j)).not.toMatch(/pa55w0rd|s3cr3t/);
    expect(judgeDotenv(answer({ body: 'APP_NAME=shop\nLOG_LEVEL=info\n' }))).toMatchObject({ severity: 'high' });
  });

  it.each([
    ['an HTML catch-all page', html('<html><title>App</title>A=1\nB=2</html>')],
    ['a JSON body', json({ A: 1, B: 2 })],
    ['a single line', text('FOO=bar\n')],
    ['prose with an equals sign or two', text('Welcome!\nThe answer = 42\nSee you soon.\nx=1\n')],
    ['a 404 text', text('NOT_FOUND=1\nREASON=x\n', { status: 404 })],
  ])('rejects %s', (_name, a) => {
    expect(judgeDotenv(a)).toBeUndefined();
  });
});

describe('.git metadata', () => {
  it('accepts a git config and masks credentials in remote URLs', () => {
    const j = judgeGit(text('[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n[remote "origin"]\n\turl = https://deploy:ghp_abcdefabcdef@github.com/acme/shop.git\n'));
    expect(j?.evidence).toBe('git config, remote https://[redacted]@github.com/acme/shop.git');
    expect(JSON.stringify(j)).not.toContain('ghp_abcdef');
  });

  it('accepts HEAD', () => {
    expect(judgeGit(answer({ body: 'ref: refs/heads/main\n' }))?.evidence).toBe('git HEAD → refs/heads/main');
  });

  it.each([
    ['an HTML page quoting a config', html('<pre>[core]\nrepositoryformatversion = 0\n</pre>')],
    ['an INI file that is not git', text('[core]\nname = shop\n')],
    ['HEAD with more lines', text('ref: refs/heads/main\nother\n')],
  ])('rejects %s', (_name, a) => {
    expect(judgeGit(a)).toBeUndefined();
  });
});

describe('phpinfo()', () => {
  it('accepts the phpinfo page', () => {
    expect(judgePhpinfo(html('<html><head><title>PHP 8.1.2 - phpinfo()</title></head><body><h1 class="p">PHP Version 8.1.2</h1></body></html>'))?.evidence).toBe('phpinfo() output, PHP 8.1.2');
  });

  it('rejects pages that only mention it', () => {
    expect(judgePhpinfo(html('<title>Blog</title><p>Never leave phpinfo() on a server.</p>'))).toBeUndefined();
    expect(judgePhpinfo(text('<title>phpinfo()</title>'))).toBeUndefined();
  });
});
