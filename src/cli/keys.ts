import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_STORE } from '../config/defaults.js';
import { loadConfigFile } from '../config/load.js';
import { EXIT, PortcullisError } from '../errors.js';
import { createKey, expiryFrom, listKeys, parseDuration, revokeKey, rotateKey, view, type KeyView } from '../keys/service.js';
import { openKeyStore } from '../store/open.js';
import type { KeyStore } from '../store/ports.js';
import { bold, reportError } from './output.js';

export const KEYS_HELP = `portcullis keys — manage the gateway's API keys (shown once, stored as SHA-256)

Usage:
  portcullis keys create --name NAME [--scopes a,b] [--roles r1,r2] [--expires 90d|ISO-TIME] [--env live] [--decoy]
  portcullis keys list
  portcullis keys rotate ID [--grace 24h] [--expires 90d|ISO-TIME]
  portcullis keys revoke ID

Where the keys live (the gateway's store):
  --store URL      sqlite:PATH | postgres://… (default: the --config file's store, else ${DEFAULT_STORE})
  --config FILE    read the store from portcullis.yaml
  --json           machine-readable output

Keys look like pcl_live_<id>_<secret+checksum>; the 8-character id names the key everywhere
(lists, events, X-Portcullis-Principal: key:<id>). A running gateway picks up changes within
identity.apiKeys.refreshMs (5 s). --decoy creates a honeytoken: plant it where an attacker would
find it (a config file, a repo); any request using it is blocked and raises a critical event.
--grace keeps the old key working for that long after a rotation (default: it stops at once).

Examples:
  portcullis keys create --name "billing service" --scopes orders:read --expires 90d
  portcullis keys rotate 4fK2p9Qx --grace 24h`;

export async function keysCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' }, scopes: { type: 'string' }, roles: { type: 'string' }, expires: { type: 'string' },
      env: { type: 'string' }, decoy: { type: 'boolean' }, grace: { type: 'string' },
      store: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [action, id, ...extra] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(`${KEYS_HELP}\n`);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const json = values.json === true;
  let store: KeyStore | undefined;
  try {
    if (extra.length > 0) throw usage(`unexpected argument "${extra[0]}"`);
    store = await openKeyStore(storeUrl(values.store, values.config));
    switch (action) {
      case 'create': {
        if (id !== undefined) throw usage(`create takes no id (got "${id}")`);
        if (!values.name) throw usage('create needs --name', '--name');
        const created = await createKey(store, {
          name: values.name, env: values.env, scopes: list(values.scopes), roles: list(values.roles), decoy: values.decoy === true,
          expiresAt: values.expires ? expiryFrom(values.expires) : undefined,
        });
        printCreated(created.key, view(created.record), json);
        return EXIT.ok;
      }
      case 'list': {
        const keys = await listKeys(store);
        if (json) process.stdout.write(`${JSON.stringify({ keys })}\n`);
        else printTable(keys);
        return EXIT.ok;
      }
      case 'rotate': {
        const graceSec = values.grace === undefined ? 0 : parseDuration(values.grace);
        if (graceSec === undefined) throw usage('--grace must be a duration such as 10m, 24h or 7d', '--grace');
        const rotated = await rotateKey(store, need(id), { graceSec, expiresAt: values.expires ? expiryFrom(values.expires) : undefined });
        printCreated(rotated.key, view(rotated.record), json, rotated.old);
        return EXIT.ok;
      }
      case 'revoke': {
        const revoked = await revokeKey(store, need(id));
        if (json) process.stdout.write(`${JSON.stringify(revoked)}\n`);
        else process.stdout.write(`revoked ${revoked.id} (${revoked.name}) at ${revoked.revokedAt}\n`);
        return EXIT.ok;
      }
      default:
        throw usage(`unknown keys action "${action}"`);
    }
  } catch (err) {
    return reportError(err, json);
  } finally {
    await store?.close();
  }
}

function storeUrl(store: string | undefined, config: string | undefined): string {
  if (store) return store.startsWith('sqlite:') ? `sqlite:${resolve(store.slice('sqlite:'.length))}` : store;
  if (config) return loadConfigFile(config).store;
  return `sqlite:${resolve(DEFAULT_STORE.slice('sqlite:'.length))}`;
}

function printCreated(key: string, v: KeyView, json: boolean, replaced?: KeyView): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ key, ...v, ...(replaced ? { replaced } : {}) })}\n`);
    return;
  }
  process.stdout.write(`${bold(key)}\n\n`);
  process.stdout.write(`  id ${v.id}  name ${v.name}${v.decoy ? '  (decoy: any use is an attack)' : ''}\n`);
  process.stdout.write(`  scopes ${v.scopes.join(',') || '-'}  roles ${v.roles.join(',') || '-'}  expires ${v.expiresAt ?? 'never'}\n`);
  if (replaced) process.stdout.write(`  replaces ${replaced.id}, which ${replaced.status === 'revoked' ? 'is revoked now' : `keeps working until ${replaced.expiresAt}`}\n`);
  process.stderr.write('\nThis is the only time the key is shown: store it in a secret manager now.\n');
}

function printTable(keys: readonly KeyView[]): void {
  if (keys.length === 0) {
    process.stdout.write('no API keys yet: portcullis keys create --name NAME\n');
    return;
  }
  const rows = [['ID', 'NAME', 'STATUS', 'SCOPES', 'ROLES', 'EXPIRES', 'CREATED'], ...keys.map((k) => [
    k.id, k.name, k.decoy ? `${k.status} (decoy)` : k.status, k.scopes.join(',') || '-', k.roles.join(',') || '-', k.expiresAt ?? 'never', k.createdAt,
  ])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}\n`);
}

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function need(id: string | undefined): string {
  if (!id) throw usage('give the key id (see portcullis keys list)');
  return id;
}

function usage(message: string, where?: string): PortcullisError {
  return new PortcullisError('PC_ERR_CLI_USAGE', message, { where, hint: 'Run `portcullis keys --help`.' });
}
