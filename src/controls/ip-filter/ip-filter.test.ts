import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import type { RequestContext } from '../../core/context.js';
import { ipFilter } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ip-filter-'));

async function judge(clientIp: string, controls: Record<string, unknown>): Promise<string> {
  const config = validateConfig({ upstreams: [{ url: 'http://127.0.0.1:1', spec: 'x.yaml' }], controls: { 'ip-filter': controls } }, { baseDir: dir });
  const control = await ipFilter.create({ config });
  const ctx = { clientIp, headers: {}, flagged: [], modified: [] } as unknown as RequestContext;
  const v = await control.evaluate(ctx, 'requestHead');
  return v.kind === 'block' ? `${v.status} ${v.ruleId}` : v.kind;
}

describe('IP allow and deny lists', () => {
  it('refuses denied addresses and CIDRs (IPv4, IPv6, IPv4-mapped peers) with 403', async () => {
    const deny = { deny: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'] };
    expect(await judge('203.0.113.9', deny)).toBe('403 abuse/ip-denied');
    expect(await judge('::ffff:203.0.113.9', deny)).toBe('403 abuse/ip-denied');
    expect(await judge('2001:db8:1::5', deny)).toBe('403 abuse/ip-denied');
    expect(await judge('198.51.100.7', deny)).toBe('403 abuse/ip-denied');
    expect(await judge('198.51.100.8', deny)).toBe('pass');
  });

  it('with an allow list, refuses everyone else; a denied address inside it stays denied', async () => {
    const lists = { allow: ['10.0.0.0/8'], deny: ['10.6.6.6'] };
    expect(await judge('10.1.2.3', lists)).toBe('pass');
    expect(await judge('192.0.2.1', lists)).toBe('403 abuse/ip-not-allowed');
    expect(await judge('10.6.6.6', lists)).toBe('403 abuse/ip-denied');
  });

  it('reads list files (comments, blank lines), and an empty allow file allows nobody', async () => {
    writeFileSync(path.join(dir, 'deny.txt'), '# scanners\n192.0.2.0/28\n\n  198.51.100.1  # one host\n');
    writeFileSync(path.join(dir, 'empty.txt'), '# nothing yet\n');
    expect(await judge('192.0.2.5', { denyFiles: ['deny.txt'] })).toBe('403 abuse/ip-denied');
    expect(await judge('198.51.100.1', { denyFiles: ['deny.txt'] })).toBe('403 abuse/ip-denied');
    expect(await judge('192.0.2.200', { denyFiles: ['deny.txt'] })).toBe('pass');
    expect(await judge('192.0.2.200', { allowFiles: ['empty.txt'] })).toBe('403 abuse/ip-not-allowed');
  });

  it('reports every bad entry with its file and line, and a missing file, as a config error', async () => {
    writeFileSync(path.join(dir, 'bad.txt'), '10.0.0.0/8\n10.0.0.0/33\nnot-an-ip\n');
    await expect(judge('10.0.0.1', { denyFiles: ['bad.txt'] })).rejects.toThrow(/bad\.txt:2.*10\.0\.0\.0\/33.*bad\.txt:3.*not-an-ip/);
    await expect(judge('10.0.0.1', { deny: ['1.2.3.4/x'] })).rejects.toThrow(/controls\.ip-filter\.deny/);
    await expect(judge('10.0.0.1', { allowFiles: ['missing.txt'] })).rejects.toThrow(/cannot read/);
  });
});
