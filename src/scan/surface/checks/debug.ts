import { keyWords } from '../../../detect/data-classes/context.js';
import { mediaType } from '../baseline.js';
import { isObject, jsonKeys, list, parseJson, quote } from '../redact.js';
import type { Answer, CheckInfo, Judgement } from '../types.js';
import { judgeDotenv } from './files.js';

/** Debug consoles, leftover debug endpoints, and admin interfaces reachable from outside. */

export const DEBUG_CONSOLE: CheckInfo = {
  id: 'surface:debug-console',
  title: 'Debug console or profiler reachable',
  owasp: 'API8:2023',
  cwe: 'CWE-489',
  severity: 'high',
  remediation: 'Turn debug mode off in production (Flask/Werkzeug `debug=False`, Symfony `APP_ENV=prod`, no H2 web console, no Jolokia on the public port); these pages run code or read the process on request.',
};

export const DEBUG_ENDPOINT: CheckInfo = {
  id: 'surface:debug-endpoint',
  title: 'Debug endpoint exposes runtime configuration',
  owasp: 'API9:2023',
  cwe: 'CWE-215',
  severity: 'medium',
  remediation: 'Remove debug routes from production builds (mount them only behind a development flag), or at least require an admin credential; rotate every secret the endpoint has shown.',
};

export const ADMIN_INTERFACE: CheckInfo = {
  id: 'surface:admin-interface',
  title: 'Administration interface reachable',
  owasp: 'API8:2023',
  cwe: 'CWE-284',
  severity: 'low',
  remediation: 'Serve administration interfaces on an internal host or behind a VPN / identity-aware proxy, with multi-factor authentication; the public API host should not answer for them at all.',
};

export const CONSOLE_PATHS = ['console', 'h2-console/', '_profiler', 'telescope', 'rails/info/properties', 'jolokia', 'actuator/jolokia'] as const;
/** Tried at the root, the base path and under every API version prefix (`/api/v2/debug/config`). */
export const DEBUG_PATHS = ['_debug', 'debug', 'debug/config', 'debug/info', 'debug/env', '_config', 'config', 'config.json'] as const;
export const ADMIN_PATHS = ['admin/', 'administrator/', 'manager/html', 'phpmyadmin/', 'adminer.php', 'wp-admin/'] as const;

const CONSOLE_SIGNATURES: ReadonlyArray<[name: string, re: RegExp, severity?: 'critical']> = [
  ['Werkzeug interactive debugger', /__debugger__|Werkzeug Debugger|<title>Console \/\/ Werkzeug/i, 'critical'],
  ['H2 database console', /<title>H2 Console<\/title>|h2-console\/login\.jsp|login\.do\?jsessionid=/i],
  ['Symfony web profiler', /<title>Symfony Profiler<\/title>|sf-toolbar|class="sf-profiler/i],
  ['Laravel Telescope', /<title>[^<]*Telescope[^<]*<\/title>[\s\S]*telescope/i],
  ['Rails info page', /<h1>Routes<\/h1>[\s\S]*Rails|<td class="name">Rails version<\/td>/i],
];

/** A console page by its product signature, or a Jolokia agent answering its version request. */
export function judgeConsole(a: Answer): Judgement | undefined {
  if (a.status !== 200) return undefined;
  if (/html/.test(mediaType(a))) {
    for (const [name, re, severity] of CONSOLE_SIGNATURES) {
      if (re.test(a.body)) return { evidence: `${name} page`, title: `${name} reachable`, ...(severity ? { severity } : {}) };
    }
    return undefined;
  }
  const doc = parseJson(a.body);
  if (isObject(doc) && isObject(doc['value']) && typeof doc['value']['agent'] === 'string' && typeof doc['value']['protocol'] === 'string') {
    return { evidence: quote(`Jolokia agent ${doc['value']['agent']} (JMX over HTTP)`, 120), title: 'Jolokia (JMX over HTTP) reachable' };
  }
  return undefined;
}

/** Words that name runtime configuration in a debug document's top-level member names. */
const CONFIG_WORDS = new Set([
  'env', 'environment', 'config', 'configuration', 'debug', 'version', 'node', 'runtime', 'database', 'db', 'dsn', 'host',
  'hostname', 'port', 'mode', 'profile', 'profiles', 'feature', 'features', 'flags', 'settings', 'build', 'commit', 'uptime',
  'memory', 'pid', 'platform', 'arch', 'redis', 'cache', 'algorithm', 'admin', 'service', 'cluster', 'region', 'stage',
]);

/**
 * A leftover debug endpoint: a JSON object holding credential-named members with values (high),
 * or at least three top-level members about runtime configuration (medium), or an env-style text.
 * Member names are reported, values never.
 */
export function judgeDebugEndpoint(a: Answer): Judgement | undefined {
  if (a.status !== 200) return undefined;
  const doc = parseJson(a.body);
  if (!isObject(doc)) {
    const env = doc === undefined ? judgeDotenv(a) : undefined;
    return env === undefined ? undefined : { ...env, title: 'Debug endpoint exposes environment variables' };
  }
  const { secrets, keys } = jsonKeys(doc);
  const top = Object.keys(doc);
  const configish = top.filter((k) => keyWords(k).some((w) => CONFIG_WORDS.has(w)));
  if (secrets.length > 0) {
    return {
      evidence: quote(`JSON with credential-named members ${list(secrets, 4)} (values withheld); also ${list(top.filter((k) => !secrets.includes(k)), 6)}`, 240),
      severity: 'high',
      title: 'Debug endpoint leaks secrets',
    };
  }
  if (configish.length >= 3) return { evidence: quote(`JSON with ${keys.length} members about the runtime: ${list(configish, 6)}`, 200) };
  return undefined;
}

const ADMIN_SIGNATURES: ReadonlyArray<[name: string, re: RegExp, severity?: 'medium']> = [
  ['phpMyAdmin', /<title>[^<]*phpMyAdmin[^<]*<\/title>/i, 'medium'],
  ['Adminer', /<title>[^<]*Adminer[^<]*<\/title>|adminer\.org/i, 'medium'],
  ['Django admin', /<title>[^<]*Django site admin[^<]*<\/title>|Django administration/i],
  ['WordPress admin', /<title>[^<]*Log In[^<]*WordPress[^<]*<\/title>|wp-login\.php/i],
  ['Spring Boot Admin', /<title>Spring Boot Admin<\/title>/i, 'medium'],
];

/** A known admin product, Tomcat's manager realm, Jenkins, or a page titled admin with a password field. */
export function judgeAdmin(a: Answer): Judgement | undefined {
  const realm = a.headers['www-authenticate'] ?? '';
  if (a.status === 401 && /Tomcat Manager/i.test(realm)) return { evidence: 'Tomcat manager asks for a password (HTTP Basic)', title: 'Tomcat manager reachable', severity: 'medium' };
  if (a.headers['x-jenkins'] !== undefined && (a.status === 200 || a.status === 403)) return { evidence: quote(`Jenkins ${a.headers['x-jenkins']}`, 80), title: 'Jenkins reachable', severity: 'medium' };
  if (a.status !== 200 || !/html/.test(mediaType(a))) return undefined;
  for (const [name, re, severity] of ADMIN_SIGNATURES) {
    if (re.test(a.body)) return { evidence: `${name} page`, title: `${name} reachable`, ...(severity ? { severity } : {}) };
  }
  const title = /<title[^>]*>([^<]{0,120})<\/title>/i.exec(a.body)?.[1] ?? '';
  if (/\badmin/i.test(title) && /<input[^>]+type=["']?password/i.test(a.body)) return { evidence: quote(`login page titled "${title.trim()}"`, 160) };
  return undefined;
}
