import { PortcullisError } from '../../errors.js';
import { baselinePaths, isAbsent, randomSegment } from './baseline.js';
import { PATH_PROBES, type PathProbe } from './checks/index.js';
import { DOC_PATHS_UNDER_PREFIX, EXPOSED_OPENAPI, parseApiDocument, versionPrefixes, type ApiDocument } from './checks/docs.js';
import { MALFORMED_JSON, VERBOSE_ERROR, badEscapePath, judgeErrorAnswer } from './checks/errors.js';
import { GRAPHQL_INTROSPECTION, GRAPHQL_PATHS, INTROSPECTION_BODY, judgeIntrospection } from './checks/graphql.js';
import { CORS_ANY_ORIGIN, PROBE_ORIGIN, VERSION_BANNER, findBanners, isLoopbackHost, judgeCors, judgeTransport } from './checks/headers.js';
import { OLD_API_VERSION, judgeOldVersion, olderVersionCandidates } from './checks/versions.js';
import { createProbeClient, type ProbeClient, type ProbeClientOptions, type ProbeRequest } from './client.js';
import { SEVERITIES, severityRank, type Answer, type CheckInfo, type Judgement, type SurfaceFinding, type SurfaceReport } from './types.js';

export interface SurfaceOptions extends ProbeClientOptions {
  /** Called after each request with the number sent so far (progress display). */
  onProgress?: (requests: number) => void;
}

/** API prefixes tried when no published document names any. */
export const COMMON_PREFIXES: readonly string[] = ['/api', '/api/v1', '/api/v2', '/v1', '/v2'];
/** Version prefixes probed at most (documents can name many). */
export const MAX_PREFIXES = 6;
/** Documented JSON POST operations sent a malformed body, at most. */
export const MAX_ERROR_POSTS = 3;

const join = (...parts: string[]): string => `/${parts.join('/').split('/').filter(Boolean).join('/')}`;
/** `join` that keeps a trailing slash of the last part (`swagger-ui/`). */
const under = (base: string, rel: string): string => (rel.endsWith('/') ? `${join(base, rel)}/` : join(base, rel));

class Run {
  readonly findings = new Map<string, SurfaceFinding>();
  readonly notes: string[] = [];
  private readonly cache = new Map<string, Promise<Answer | undefined>>();
  baselines: Answer[] = [];

  constructor(readonly client: ProbeClient, readonly token: string) {}

  /** One request per method, path and body: probes that share a path share its answer. */
  get(req: ProbeRequest): Promise<Answer | undefined> {
    const key = `${req.method ?? 'GET'} ${req.path}\n${req.body ?? ''}\n${JSON.stringify(req.headers ?? {})}`;
    let p = this.cache.get(key);
    if (p === undefined) {
      p = this.client.fetch(req);
      this.cache.set(key, p);
    }
    return p;
  }

  async answers(): Promise<Answer[]> {
    return (await Promise.all(this.cache.values())).filter((a): a is Answer => a !== undefined);
  }

  report(check: CheckInfo, a: Answer, j: Judgement): void {
    const key = `${check.id} ${a.url} ${j.title ?? ''}`;
    if (this.findings.has(key)) return;
    this.findings.set(key, {
      id: check.id, owasp: check.owasp, cwe: check.cwe, severity: j.severity ?? check.severity, title: j.title ?? check.title,
      method: a.method, url: a.url, status: a.status, evidence: j.evidence, remediation: check.remediation,
    });
  }

  async probe(probe: PathProbe, path: string): Promise<void> {
    const a = await this.get({ path, ...(probe.headers ? { headers: probe.headers } : {}) });
    if (a === undefined || isAbsent(a, this.baselines)) return;
    const j = probe.judge(a);
    if (j !== undefined) this.report(probe.check, a, j);
  }
}

/**
 * `portcullis surface`: an outside-in look at one host, as an attacker's first pass would see it.
 * A fixed list of probes, bounded by the client's request budget; every hit needs a baseline that
 * says the path is really there and content that says what it is.
 */
export async function runSurface(target: URL, options: SurfaceOptions = {}): Promise<SurfaceReport> {
  const started = Date.now();
  const client = createProbeClient(target, options);
  const run = new Run(client, randomSegment());
  try {
    const base = target.pathname.replace(/\/+$/, '');
    const first = await client.send({ path: `${target.pathname}${target.search}` });
    if (first.kind !== 'answer') {
      throw new PortcullisError('PC_ERR_SURFACE_UNREACHABLE', `${target.origin} did not answer: ${first.kind === 'error' ? first.message : 'no request could be sent'}`, {
        where: target.href, hint: 'Check the URL, that the service is up, and --timeout; an https target with a private CA needs --ca.',
      });
    }
    const root = first.answer;
    const roots = [...new Set(['', base])];
    run.baselines = (await Promise.all(roots.flatMap((r) => baselinePaths(r, run.token)).map((path) => run.get({ path }))))
      .filter((a): a is Answer => a !== undefined);
    const progress = options.onProgress;
    const tick = <T>(p: Promise<T>): Promise<T> => p.finally(() => progress?.(client.stats.requests));

    // Documents first: their paths name the version prefixes and operations the later probes use.
    const docProbe = PATH_PROBES.find((p) => p.check === EXPOSED_OPENAPI)!;
    const documents = await findDocuments(run, docProbe, roots, base);
    const prefixes = apiPrefixes(documents, target, base);
    if (documents.length === 0) run.notes.push(`no API document found: probed the common prefixes ${COMMON_PREFIXES.join(', ')}`);

    const work: Array<Promise<void>> = [];
    const debug = PATH_PROBES.filter((p) => p.scope === 'api');
    for (const prefix of prefixes) {
      for (const probe of debug) for (const rel of probe.paths) work.push(run.probe(probe, under(prefix, rel)));
      for (const rel of DOC_PATHS_UNDER_PREFIX) work.push(run.probe(docProbe, under(prefix, rel)));
    }
    work.push(oldVersions(run, documents, target));
    work.push(verboseErrors(run, documents, roots));
    for (const r of roots) for (const rel of GRAPHQL_PATHS) work.push(graphql(run, under(r, rel)));
    work.push(cors(run, target));
    for (const probe of PATH_PROBES) {
      if (probe === docProbe) continue;
      for (const r of roots) for (const rel of probe.paths) work.push(run.probe(probe, under(r, rel)));
    }
    await Promise.all(work.map(tick));

    for (const b of findBanners([root, ...await run.answers()])) run.report(VERSION_BANNER, b.answer, b.judgement);
    if (isLoopbackHost(target.hostname)) run.notes.push('transport (TLS, HSTS) not judged: the target is a loopback address');
    else {
      const t = judgeTransport(target, root);
      if (t !== undefined) run.report(t.check, root, t);
    }
    if (client.stats.skipped > 0) run.notes.push(`request budget (${options.maxRequests ?? 200}) reached: ${client.stats.skipped} probes not sent; raise --max-requests for a complete pass`);
    if (client.stats.errors > 0) run.notes.push(`${client.stats.errors} requests failed (timeouts or resets): their paths were not judged`);
  } finally {
    await client.close();
  }
  const findings = [...run.findings.values()].sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id) || a.url.localeCompare(b.url));
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as SurfaceReport['summary']['bySeverity'];
  return {
    target: target.href,
    summary: { requests: client.stats.requests, durationMs: Date.now() - started, bySeverity, skipped: client.stats.skipped, errors: client.stats.errors, notes: run.notes },
    findings,
  };
}

interface FoundDocument { doc: ApiDocument; /** The path the document's paths are relative to on this host. */ base: string }

async function findDocuments(run: Run, probe: PathProbe, roots: readonly string[], base: string): Promise<FoundDocument[]> {
  const found: FoundDocument[] = [];
  await Promise.all(roots.flatMap((r) => probe.paths.map(async (rel) => {
    const path = under(r, rel);
    const a = await run.get({ path, ...(probe.headers ? { headers: probe.headers } : {}) });
    if (a === undefined || isAbsent(a, run.baselines)) return;
    const j = probe.judge(a);
    const doc = j === undefined ? undefined : parseApiDocument(a.body);
    if (j === undefined || doc === undefined) return;
    run.report(probe.check, a, j);
    // Paths are relative to the document's server path; a document under the target's base path without one is taken to describe that base.
    found.push({ doc, base: doc.basePaths[0] ?? (r === base ? base : '') });
  })));
  return found;
}

function apiPrefixes(documents: readonly FoundDocument[], target: URL, base: string): string[] {
  const named = new Set<string>();
  for (const { doc, base: docBase } of documents) {
    for (const p of versionPrefixes(doc.paths.map((p) => join(docBase, p)))) named.add(p);
    for (const b of doc.basePaths) named.add(b);
  }
  for (const p of versionPrefixes([target.pathname])) named.add(p);
  if (base !== '') named.add(base);
  const list = named.size > 0 && documents.length > 0 ? [...named] : [...named, ...COMMON_PREFIXES];
  return [...new Set(list)].slice(0, MAX_PREFIXES);
}

async function graphql(run: Run, path: string): Promise<void> {
  const a = await run.get({ method: 'POST', path, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: INTROSPECTION_BODY });
  const j = a === undefined ? undefined : judgeIntrospection(a);
  if (a !== undefined && j !== undefined) run.report(GRAPHQL_INTROSPECTION, a, j);
}

async function cors(run: Run, target: URL): Promise<void> {
  const a = await run.get({ path: `${target.pathname}${target.search}`, headers: { origin: PROBE_ORIGIN } });
  const j = a === undefined ? undefined : judgeCors(a);
  if (a !== undefined && j !== undefined) run.report(CORS_ANY_ORIGIN, a, j);
}

/** Error answers the probes provoke: the baselines (404s), a bad escape, malformed JSON to the base path and to documented JSON operations. */
async function verboseErrors(run: Run, documents: readonly FoundDocument[], roots: readonly string[]): Promise<void> {
  const json = { 'content-type': 'application/json', accept: 'application/json' };
  const posts = documents.flatMap(({ doc, base }) => doc.jsonPostPaths.map((p) => join(base, p.replace(/\{[^}]*\}/g, '1'))));
  const requests: ProbeRequest[] = [
    ...roots.map((r) => ({ path: badEscapePath(r, run.token) })),
    ...roots.map((r) => ({ method: 'POST' as const, path: join(r), headers: json, body: MALFORMED_JSON })),
    ...[...new Set(posts)].slice(0, MAX_ERROR_POSTS).map((path) => ({ method: 'POST' as const, path, headers: json, body: MALFORMED_JSON })),
  ];
  const answers = [...run.baselines, ...(await Promise.all(requests.map((r) => run.get(r)))).filter((a): a is Answer => a !== undefined)];
  const titles = new Set<string>();
  for (const a of answers) {
    const j = judgeErrorAnswer(a);
    if (j === undefined) continue;
    const title = j.title ?? VERBOSE_ERROR.title;
    if (titles.has(title)) continue;
    titles.add(title);
    run.report(VERBOSE_ERROR, a, j);
  }
}

/** For paths of the newest version that answer, the same paths under older versions (with a baseline under each older prefix). */
async function oldVersions(run: Run, documents: readonly FoundDocument[], target: URL): Promise<void> {
  const paths = [...documents.flatMap(({ doc, base }) => doc.getPaths.map((p) => join(base, p))), target.pathname];
  const byPrefix = new Map<string, { answers: Answer[]; judgements: Judgement[] }>();
  await Promise.all(olderVersionCandidates(paths).map(async (pair) => {
    const current = await run.get({ path: pair.current });
    if (current === undefined || isAbsent(current, run.baselines) || current.status >= 500) return;
    for (const older of pair.older) {
      const prefix = versionPrefixes([older])[0]!;
      const [probeBaseline, old] = await Promise.all([run.get({ path: join(prefix, run.token) }), run.get({ path: older })]);
      if (old === undefined || isAbsent(old, [...run.baselines, ...(probeBaseline ? [probeBaseline] : [])])) continue;
      const j = judgeOldVersion(current, old);
      if (j === undefined) continue;
      const entry = byPrefix.get(prefix) ?? { answers: [], judgements: [] };
      entry.answers.push(old);
      entry.judgements.push(j);
      byPrefix.set(prefix, entry);
    }
  }));
  for (const [prefix, { answers, judgements }] of byPrefix) {
    const worst = judgements.reduce((w, j) => (severityRank(j.severity ?? OLD_API_VERSION.severity) > severityRank(w.severity ?? OLD_API_VERSION.severity) ? j : w));
    const more = answers.length > 1 ? `; also ${answers.slice(1, 3).map((a) => `${a.path} ${a.status}`).join(', ')}` : '';
    run.report(OLD_API_VERSION, answers[judgements.indexOf(worst)]!, { ...worst, evidence: `${prefix}: ${worst.evidence}${more}`, title: `Older API version ${prefix} still answers` });
  }
}
