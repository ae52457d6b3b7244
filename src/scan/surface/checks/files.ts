import { mediaType } from '../baseline.js';
import { list, namesSecret, quote } from '../redact.js';
import type { Answer, CheckInfo, Judgement } from '../types.js';

/** Files that should never be served: environment files, the git repository, phpinfo(). */

export const DOTENV: CheckInfo = {
  id: 'surface:dotenv-file',
  title: 'Environment file (.env) served',
  owasp: 'API8:2023',
  cwe: 'CWE-538',
  severity: 'high',
  remediation: 'Keep .env files out of the web root and the image (serve a build directory, not the project), deny dotfiles at the web server, and rotate every credential the file held.',
};

export const GIT_EXPOSED: CheckInfo = {
  id: 'surface:git-exposed',
  title: 'Git repository metadata (.git) served',
  owasp: 'API8:2023',
  cwe: 'CWE-527',
  severity: 'high',
  remediation: 'Deploy build artefacts, not a checkout; deny `/.git` (and every dotfile) at the web server. With .git reachable the whole source history can be downloaded, with any secret ever committed.',
};

export const PHPINFO: CheckInfo = {
  id: 'surface:phpinfo',
  title: 'phpinfo() page exposed',
  owasp: 'API8:2023',
  cwe: 'CWE-497',
  severity: 'high',
  remediation: 'Delete phpinfo() scripts from the server; the page shows the PHP build, paths, loaded configuration, request headers (cookies included) and environment variables.',
};

export const DOTENV_PATHS = ['.env', '.env.local', '.env.production', '.env.prod', '.env.backup'] as const;
export const GIT_PATHS = ['.git/config', '.git/HEAD'] as const;
export const PHPINFO_PATHS = ['phpinfo.php', 'info.php', 'php_info.php', 'phpinfo'] as const;

const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]{0,63})\s*=\s*(.*)$/;

/**
 * A dotenv file: plain text whose lines are `NAME=value` (comments and blanks aside), at least two
 * of them and at least four in five. Names are reported; no value is.
 */
export function judgeDotenv(a: Answer): Judgement | undefined {
  if (a.status !== 200 || /html|json|xml|javascript/.test(mediaType(a))) return undefined;
  const lines = a.body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const pairs = lines.map((l) => ENV_LINE.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  if (pairs.length < 2 || pairs.length < 0.8 * lines.length) return undefined;
  const names = pairs.map((m) => m[1]!);
  const secrets = pairs.filter((m) => namesSecret(m[1]!) && m[2]!.replace(/^["']|["']$/g, '').trim() !== '').map((m) => m[1]!);
  const also = secrets.length > 0 ? `; ${secrets.length} look like credentials (${list(secrets, 5)})` : '';
  return {
    evidence: quote(`${names.length} variables (${list(names, 6)}), values withheld${also}`, 240),
    severity: secrets.length > 0 ? 'critical' : 'high',
  };
}

/** `.git/config` (a `[core]` section with `repositoryformatversion`) or `.git/HEAD` (`ref: refs/heads/…`). */
export function judgeGit(a: Answer): Judgement | undefined {
  if (a.status !== 200 || /html/.test(mediaType(a))) return undefined;
  if (/^\s*\[core\]\s*$/m.test(a.body) && /^\s*repositoryformatversion\s*=\s*\d+\s*$/m.test(a.body)) {
    const remotes = [...a.body.matchAll(/^\s*url\s*=\s*(\S+)\s*$/gm)].map((m) => m[1]!);
    return { evidence: quote(`git config${remotes.length ? `, remote ${list(remotes, 2)}` : ''}`, 200) };
  }
  const head = /^ref: (refs\/heads\/[^\s]{1,100})\s*$/.exec(a.body);
  if (head && a.body.trim().split('\n').length === 1) return { evidence: quote(`git HEAD → ${head[1]}`, 160) };
  return undefined;
}

/** PHP's phpinfo() output. */
export function judgePhpinfo(a: Answer): Judgement | undefined {
  if (a.status !== 200 || !/html/.test(mediaType(a))) return undefined;
  if (!/<title>(?:PHP \d[^<]*- )?phpinfo\(\)<\/title>/i.test(a.body) && !/<h1 class="p">PHP Version [\d.]+/.test(a.body)) return undefined;
  const version = /PHP Version ([\d.]+)/.exec(a.body);
  return { evidence: `phpinfo() output${version ? `, PHP ${version[1]}` : ''}` };
}
