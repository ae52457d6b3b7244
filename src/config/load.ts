import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isScalar, visit, type Document } from 'yaml';
import { PortcullisError } from '../errors.js';
import { DEFAULT_ADMIN_LISTEN, DEFAULT_LISTEN, DEFAULT_STORE } from './defaults.js';
import { configSchema } from './schema.js';
import type { PortcullisConfig } from './types.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validateShape = ajv.compile(configSchema);

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Read, substitute, validate and normalise portcullis.yaml. Reports every problem at once. */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): PortcullisConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PortcullisError('PC_ERR_CONFIG_READ', `cannot read ${file}: ${(cause as Error).message}`, {
      where: file, hint: 'Check the path given to --config, or run `portcullis init --spec <openapi.yaml>` to create one.', cause,
    });
  }
  return parseConfigText(text, file, env);
}

export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): PortcullisConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => `${at(e.pos[0])} ${e.message.split('\n')[0]}`);
    throw new PortcullisError('PC_ERR_CONFIG_SYNTAX', `${file} is not valid YAML`, {
      where: details[0], details, hint: 'Fix the YAML syntax at the positions shown.',
    });
  }
  substituteVariables(doc, env, at);
  const raw: unknown = doc.toJS() ?? {};
  return validateConfig(raw, { baseDir: dirname(resolve(file)), file, locate: (path) => locateInDoc(doc, path, at) });
}

export interface ValidateOptions {
  baseDir: string;
  file?: string;
  /** Maps a JSON pointer-ish path to a `file:line:col` position. */
  locate?: (path: (string | number)[]) => string | undefined;
}

/** Validate a raw config object (from YAML or from CLI flags) against the one schema. */
export function validateConfig(raw: unknown, opts: ValidateOptions): PortcullisConfig {
  const candidate = structuredClone(raw) as Record<string, unknown>;
  if (!validateShape(candidate)) {
    const details = (validateShape.errors ?? []).map((e) => describeSchemaError(e, opts));
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `configuration has ${details.length} problem(s)`, {
      where: details[0], details, hint: 'See docs/configuration.md for every key, its type and default.',
    });
  }
  return normalise(candidate, opts);
}

function normalise(c: Record<string, unknown>, opts: ValidateOptions): PortcullisConfig {
  const cfg = c as unknown as PortcullisConfig;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(opts.baseDir, p));
  cfg.listen ??= DEFAULT_LISTEN;
  cfg.admin ??= { listen: DEFAULT_ADMIN_LISTEN };
  cfg.admin.listen ??= DEFAULT_ADMIN_LISTEN;
  cfg.store ??= DEFAULT_STORE;
  cfg.trustedProxies ??= [];
  cfg.controls ??= {};
  cfg.operations ??= {};
  cfg.identity ??= {} as PortcullisConfig['identity'];
  cfg.identity.apiKeys ??= {} as PortcullisConfig['identity']['apiKeys'];
  cfg.log ??= { level: 'info' };
  cfg.discovery ??= {} as PortcullisConfig['discovery'];
  cfg.limits ??= {} as PortcullisConfig['limits'];
  cfg.challenge ??= {} as PortcullisConfig['challenge'];
  // useDefaults fills nested objects only when they exist, so fill the empty ones here.
  if (!validateShape(cfg)) throw new Error('unreachable: defaults broke the config schema');
  for (const issuer of cfg.identity.jwt?.issuers ?? []) issuer.jwks ??= {} as typeof issuer.jwks;
  cfg.upstreams = cfg.upstreams.map((u, i) => ({ ...u, name: u.name ?? `upstream-${i + 1}`, spec: abs(u.spec), timeouts: u.timeouts ?? ({} as typeof u.timeouts) }));
  if (!validateShape(cfg)) throw new Error('unreachable: defaults broke the config schema');
  for (const issuer of cfg.identity.jwt?.issuers ?? []) {
    if (issuer.publicKeyFile) issuer.publicKeyFile = abs(issuer.publicKeyFile);
    if (issuer.jwksFile) issuer.jwksFile = abs(issuer.jwksFile);
  }
  if (cfg.tls) {
    cfg.tls.cert = abs(cfg.tls.cert);
    cfg.tls.key = abs(cfg.tls.key);
    if (cfg.tls.clientCa) cfg.tls.clientCa = abs(cfg.tls.clientCa);
  }
  if (cfg.store.startsWith('sqlite:')) cfg.store = `sqlite:${abs(cfg.store.slice('sqlite:'.length))}`;
  cfg.baseDir = opts.baseDir;
  if (opts.file) cfg.file = opts.file;
  return cfg;
}

function describeSchemaError(e: ErrorObject, opts: ValidateOptions): string {
  const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  let msg = e.message ?? 'is invalid';
  let target = path;
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    target = [...path, extra];
    msg = `unknown key "${extra}"`;
  } else if (e.keyword === 'enum') {
    msg = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  } else if (e.keyword === 'required') {
    msg = `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`;
  }
  const where = opts.locate?.(target) ?? opts.locate?.(path) ?? opts.file ?? 'config';
  return `${where} ${formatPath(target) || '(top level)'}: ${msg}`;
}

export function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function locateInDoc(doc: Document, path: (string | number)[], at: (o: number) => string): string | undefined {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const node = n === 0 ? doc.contents : doc.getIn(sub, true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) {
      // For a missing key, point at its parent; for an unknown key, at the key itself.
      if (n === path.length) {
        const parent = n > 0 ? (n === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true)) : undefined;
        const pair = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined)?.items
          ?.find((it) => it.key?.value === path[n - 1]);
        if (pair?.key?.range) return at(pair.key.range[0]);
      }
      return at(range[0]);
    }
  }
  return undefined;
}

function substituteVariables(doc: Document, env: NodeJS.ProcessEnv, at: (o: number) => string): void {
  const problems: string[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(VAR, (_m, name: string, fallback: string | undefined) => {
        const v = env[name];
        if (v !== undefined && v !== '') return v;
        if (fallback !== undefined) return fallback;
        problems.push(`${node.range ? at(node.range[0]) : 'config'} \${${name}} is not set`);
        return '';
      });
    },
  });
  if (problems.length > 0) {
    throw new PortcullisError('PC_ERR_CONFIG_VARIABLE', `${problems.length} environment variable(s) used in the configuration are unset`, {
      where: problems[0], details: problems, hint: 'Export the variables, or give a default with ${NAME:-default}.',
    });
  }
}
