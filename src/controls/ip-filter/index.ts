import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import type { ControlFactory } from '../../core/control.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import { PortcullisError } from '../../errors.js';

export const RULE_DENIED = 'abuse/ip-denied';
export const RULE_NOT_ALLOWED = 'abuse/ip-not-allowed';

export interface IpFilterConfig {
  /** Addresses or CIDRs refused (403), whoever they claim to be. */
  deny?: string[];
  /** When set, only these addresses or CIDRs may call (others: 403). A denied address stays denied. */
  allow?: string[];
  /** Files with one address or CIDR per line (`#` comments, blank lines ignored), read at start and on every reload. */
  denyFiles?: string[];
  allowFiles?: string[];
}

/** Lines of a list file: at most this many entries, so a wrong file cannot exhaust memory. */
const MAX_ENTRIES = 1_000_000;

/**
 * IP allow and deny lists on the client address (the socket peer, or the first untrusted
 * X-Forwarded-For hop behind `trustedProxies`). Matching is Node's BlockList (CIDR, IPv4 and
 * IPv6; IPv4-mapped IPv6 peers are compared as IPv4). Lists are compiled when the pipeline is
 * built, so a config reload (file change or SIGHUP) also re-reads the list files.
 */
export const ipFilter: ControlFactory = {
  id: 'ip-filter',
  phases: ['requestHead'],
  defaultMode: 'block',
  description: 'Client IPs on the deny list, or off the allow list when one is set: 403.',
  create: ({ config }) => {
    const cfg = (config.controls['ip-filter'] ?? {}) as IpFilterConfig;
    const base = config.baseDir;
    const deny = compileList([...(cfg.deny ?? []).map((e) => ({ entry: e, where: 'controls.ip-filter.deny' })), ...fromFiles(cfg.denyFiles, base, 'denyFiles')]);
    const allowEntries = [...(cfg.allow ?? []).map((e) => ({ entry: e, where: 'controls.ip-filter.allow' })), ...fromFiles(cfg.allowFiles, base, 'allowFiles')];
    // An allow-list file that turned up empty allows nobody (fail closed), it does not switch the list off.
    const allow = allowEntries.length > 0 || (cfg.allowFiles?.length ?? 0) > 0 ? compileList(allowEntries) ?? new BlockList() : undefined;
    return {
      id: 'ip-filter',
      phases: ['requestHead'],
      appliesTo: () => deny !== undefined || allow !== undefined,
      evaluate(ctx) {
        if (!deny && !allow) return PASS;
        const ip = ctx.clientIp.startsWith('::ffff:') && isIP(ctx.clientIp.slice(7)) === 4 ? ctx.clientIp.slice(7) : ctx.clientIp;
        const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
        if (deny?.check(ip, family)) return refuse(RULE_DENIED, 'The client address is on the deny list.', ip);
        if (allow && !allow.check(ip, family)) return refuse(RULE_NOT_ALLOWED, 'The client address is not on the allow list.', ip);
        return PASS;
      },
    };
  },
};

function refuse(ruleId: string, detail: string, ip: string): Verdict {
  return { kind: 'block', ruleId, owasp: 'API4:2023', severity: 'medium', status: 403, detail, evidence: { clientIp: ip } };
}

function fromFiles(files: string[] | undefined, base: string, key: string): { entry: string; where: string }[] {
  const out: { entry: string; where: string }[] = [];
  for (const f of files ?? []) {
    const file = path.resolve(base, f);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new PortcullisError('PC_ERR_CONFIG_INVALID', `controls.ip-filter.${key}: cannot read ${file}: ${(cause as Error).message}`, { where: `controls.ip-filter.${key}`, cause });
    }
    text.split('\n').forEach((line, i) => {
      const entry = line.replace(/#.*/, '').trim();
      if (entry !== '') out.push({ entry, where: `${file}:${i + 1}` });
    });
    if (out.length > MAX_ENTRIES) throw new PortcullisError('PC_ERR_CONFIG_INVALID', `controls.ip-filter.${key}: more than ${MAX_ENTRIES} entries`, { where: file });
  }
  return out;
}

/** A BlockList of every entry, or undefined when there is none; every bad entry is reported at once. */
function compileList(entries: { entry: string; where: string }[]): BlockList | undefined {
  const list = new BlockList();
  const problems: string[] = [];
  for (const { entry, where } of entries) {
    const [addr, bits, extra] = entry.split('/');
    const v = isIP(addr ?? '');
    const max = v === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (v === 0 || extra !== undefined || !(prefix >= 0 && prefix <= max)) {
      problems.push(`${where}: "${entry.slice(0, 80)}" is not an IP address or CIDR`);
      continue;
    }
    list.addSubnet(addr!, prefix, v === 6 ? 'ipv6' : 'ipv4');
  }
  if (problems.length > 0) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `controls.ip-filter: ${problems.length} invalid ${problems.length === 1 ? 'entry' : 'entries'}: ${problems.slice(0, 5).join('; ')}`, { where: 'controls.ip-filter' });
  }
  return entries.length > 0 ? list : undefined;
}
