import type { PortcullisConfig } from '../../config/types.js';
import type { ControlFactory } from '../../core/control.js';
import { PASS, type Verdict } from '../../core/verdict.js';
import type { InspectedResponse } from '../../core/response.js';
import { DATA_CLASSES, maskJsonValue, maskText, scanJsonValue, scanText, type DataClass } from '../../detect/data-classes/index.js';
import { parseMediaType } from '../../gateway/parse/media-type.js';
import type { CompiledOperation } from '../../openapi/compile.js';

export const RULE_SENSITIVE_DATA = 'response/sensitive-data';

/**
 * Classes allowed in any response unless the operation says otherwise: contact details, IPs and
 * tokens are what APIs routinely return (a login returns a JWT). Cards, national ids, IBANs, key
 * material, cloud secrets and password hashes must be declared by the operation that returns them.
 */
export const DEFAULT_ALLOWED: readonly DataClass[] = ['email', 'phone', 'ip-address', 'jwt'];

export interface SensitiveDataConfig {
  /** mask (default): matched values are replaced; block: the response is withheld (502). Monitor mode only reports. */
  action?: 'mask' | 'block';
  /** Classes allowed in every response whose operation declares none. */
  allow?: DataClass[];
}

const MAX_LISTED = 20;

/**
 * Sensitive data in responses (OWASP API3): JSON and text responses (CSV, HTML, XML…) are scanned for the data classes the
 * operation does not allow (`x-portcullis-data-classes`, or `operations.<id>.dataClasses`); what
 * is found is masked or the response withheld. The event names classes and JSON pointers, never
 * the values.
 */
export const sensitiveData: ControlFactory = {
  id: 'sensitive-data',
  phases: ['responseBody'],
  defaultMode: 'block',
  description: 'Card numbers, national ids, IBANs, secrets and password hashes in JSON responses are masked unless the operation allows them.',
  create: ({ config }) => {
    const cfg = (config.controls['sensitive-data'] ?? {}) as SensitiveDataConfig;
    const action = cfg.action ?? 'mask';
    const fallback = denied(cfg.allow ?? DEFAULT_ALLOWED);
    const perOp = new WeakMap<CompiledOperation, ReadonlySet<DataClass>>();
    const deniedFor = (op: CompiledOperation | undefined): ReadonlySet<DataClass> => {
      if (!op) return fallback;
      let set = perOp.get(op);
      if (!set) {
        const declared = operationClasses(config, op);
        set = declared ? denied(declared) : fallback;
        perOp.set(op, set);
      }
      return set;
    };
    const opts = (classes: ReadonlySet<DataClass>) => ({ classes, maxNodes: 2_000_000, maxStringLength: config.limits.responseInspectBytes });
    return {
      id: 'sensitive-data',
      phases: ['responseBody'],
      // A 50 MB JSON export is relayed (flagged as unscanned) rather than refused for its size.
      bestEffort: true,
      appliesTo: (op) => deniedFor(op).size > 0,
      wantsResponseBody(ctx, head) {
        const t = head.mediaType;
        return t !== undefined && (isJsonType(t) || isTextType(t)) && deniedFor(ctx.route?.operation).size > 0;
      },
      evaluate(ctx, _phase, response) {
        if (!response?.mediaType) return PASS;
        const classes = deniedFor(ctx.route?.operation);
        if (classes.size === 0) return PASS;
        if (!response.isJson) return isTextType(response.mediaType) && utf8(response) ? checkText(response, classes, action) : PASS;
        const parsed = response.json();
        // Broken JSON is the response filter's business; nothing here can be found in it reliably.
        if (!parsed.ok) return PASS;
        const scan = scanJsonValue(parsed.value, opts(classes));
        if (scan.classes.size === 0 && !scan.truncated) return PASS;
        const evidence = {
          classes: [...scan.classes].sort(), paths: scan.paths.slice(0, MAX_LISTED).map((p) => `${p.path} (${p.cls})`),
          responseStatus: response.status, ...(scan.truncated ? { truncated: true } : {}),
        };
        const finding = { ruleId: RULE_SENSITIVE_DATA, owasp: 'API3:2023' as const, severity: 'high' as const, evidence };
        // A scan that did not finish cannot vouch for what it did not read: withheld either way.
        if (action === 'block' || scan.truncated) {
          return { kind: 'block', ...finding, status: 502, detail: 'The response carried data this operation may not return; it was withheld.' };
        }
        const masked = maskJsonValue(parsed.value, opts(classes));
        return { kind: 'modify', ...finding, json: masked.value, status: response.status, detail: `Sensitive data masked in the response (${evidence.classes.join(', ')}).` };
      },
    };
  },
};

/** CSV exports, plain text, HTML and XML carry the same data as JSON does. */
function isTextType(t: string): boolean {
  return t.startsWith('text/') || t === 'application/xml' || t.endsWith('+xml') || t === 'application/x-ndjson';
}

function isJsonType(t: string): boolean {
  return t === 'application/json' || t.endsWith('+json');
}

/** Only text we can read as it is meant: UTF-8 (or its ASCII subset), or no charset said. */
function utf8(response: InspectedResponse): boolean {
  const ct = response.headers['content-type'];
  const mt = parseMediaType(Array.isArray(ct) ? ct[0] : ct);
  const charset = mt.ok ? mt.params.get('charset')?.toLowerCase() : undefined;
  return charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii';
}

function checkText(response: InspectedResponse, classes: ReadonlySet<DataClass>, action: 'mask' | 'block'): Verdict {
  const text = response.text();
  const scan = scanText(text, { classes });
  if (scan.matches.length === 0 && !scan.truncated) return PASS;
  const found = [...new Set(scan.matches.map((m) => m.cls))].sort();
  const finding = {
    ruleId: RULE_SENSITIVE_DATA, owasp: 'API3:2023' as const, severity: 'high' as const,
    evidence: { classes: found, matches: scan.matches.length, responseStatus: response.status, ...(scan.truncated ? { truncated: true } : {}) },
  };
  if (action === 'block' || scan.truncated) {
    return { kind: 'block', ...finding, status: 502, detail: 'The response carried data this operation may not return; it was withheld.' };
  }
  return { kind: 'modify', ...finding, text: maskText(text, scan.matches), status: response.status, detail: `Sensitive data masked in the response (${found.join(', ')}).` };
}

function denied(allowed: readonly string[]): ReadonlySet<DataClass> {
  return new Set(DATA_CLASSES.filter((c) => !allowed.includes(c)));
}

function operationClasses(config: PortcullisConfig, op: CompiledOperation): readonly string[] | undefined {
  const override = config.operations[op.key] ?? (op.operationId ? config.operations[op.operationId] : undefined);
  return override?.dataClasses ?? op.dataClasses;
}
