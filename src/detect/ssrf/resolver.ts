import { lookup as dnsLookup } from 'node:dns/promises';

export type Resolution = { ok: true; addresses: string[] } | { ok: false; reason: string };
export type Lookup = (host: string) => Promise<string[]>;

export interface ResolverOptions {
  /** How long an answer is reused: within it, a rebinding name cannot give the gateway another address. */
  ttlMs: number;
  maxEntries: number;
  timeoutMs: number;
}

const systemLookup: Lookup = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Host names resolved the way the upstream's system resolver would (getaddrinfo: hosts file,
 * search domains), every address returned, answers pinned for `ttlMs` and shared by concurrent
 * requests. A lookup that fails or times out is reported, never taken as public.
 */
export class PinnedResolver {
  private readonly answers = new Map<string, { until: number; result: Promise<Resolution> }>();

  constructor(private readonly opts: ResolverOptions, private readonly lookup: Lookup = systemLookup, private readonly now: () => number = Date.now) {}

  resolve(host: string): Promise<Resolution> {
    const key = host.toLowerCase();
    const t = this.now();
    const hit = this.answers.get(key);
    if (hit && hit.until > t) return hit.result;
    if (hit) this.answers.delete(key);
    const result = this.ask(key);
    if (this.answers.size >= this.opts.maxEntries) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, { until: t + this.opts.ttlMs, result });
    return result;
  }

  private async ask(host: string): Promise<Resolution> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Resolution>((resolve) => { timer = setTimeout(() => resolve({ ok: false, reason: 'lookup timed out' }), this.opts.timeoutMs); });
    try {
      return await Promise.race([
        this.lookup(host).then((addresses): Resolution => (addresses.length > 0 ? { ok: true, addresses } : { ok: false, reason: 'no address' }), (): Resolution => ({ ok: false, reason: 'name does not resolve' })),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
