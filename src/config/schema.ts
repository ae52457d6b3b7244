import { DATA_CLASSES } from '../detect/data-classes/types.js';
import { FLOW_KINDS } from '../openapi/operations.js';
import { DEFAULT_ADMIN_LISTEN, DEFAULT_LIMITS, DEFAULT_LISTEN, DEFAULT_STORE, DEFAULT_UPSTREAM_TIMEOUTS, LIMIT_DOCS, UPSTREAM_TIMEOUT_DOCS } from './defaults.js';

/**
 * The one schema of portcullis.yaml. Start-up validation, `portcullis validate` and the
 * configuration reference in docs/configuration.md all come from it.
 */
const mode = { enum: ['off', 'monitor', 'block'], description: 'off: skip the control; monitor: record, let through; block: refuse.' };
const positiveInt = { type: 'integer', minimum: 1 };
const dataClassList = { type: 'array', uniqueItems: true, items: { enum: [...DATA_CLASSES] } };
const count = { type: 'integer', minimum: 1, maximum: 1_000_000 };
const flowCounts = {
  type: 'object', additionalProperties: false,
  properties: { perUser: count, perIp: count, perNet: count, perPrincipal: count },
  description: 'Per account (userField), client address, its /24 (/64) network, caller.',
};
/** `false`, or an object of these fields (Ajv fills no defaults inside oneOf: the flows control merges them). */
function offOr(properties: Record<string, unknown>, description: string): Record<string, unknown> {
  return { oneOf: [{ const: false }, { type: 'object', additionalProperties: false, properties }], description };
}
const flowPolicySchema = {
  type: 'object', additionalProperties: false,
  properties: {
    userField: { type: 'string', pattern: '^(body(/.*)?|query\\..+|header\\..+)$', description: 'Where the request names the account: body/<pointer>, query.<name> or header.<name> (default: body/username, body/email, body/login, body/user).' },
    windowSec: { type: 'integer', minimum: 1, maximum: 86_400, description: 'Sliding window of the counts.' },
    attempts: { ...flowCounts, description: 'Attempts allowed per window (each request counts); over: 429.' },
    failures: { ...flowCounts, description: 'Failed attempts (failureStatus from the upstream) per window; reaching one locks out for lockoutSec.' },
    lockoutSec: { type: 'integer', minimum: 1, maximum: 2_592_000 },
    failureStatus: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 300, maximum: 599 }, description: 'Upstream statuses that count as failures (default 400, 401, 403, 404, 422).' },
    dailyQuota: { ...count, description: 'Successful attempts per caller per UTC day.' },
    stuffing: offOr({
      accountsPerSource: { ...count, description: 'Distinct accounts tried from one address or network (default 10)…' },
      maxSuccessRatio: { type: 'number', minimum: 0, maximum: 1, description: '…with at most this share of successes (default 0.25): the source is locked out.' },
      sourcesPerAccount: { ...count, description: 'Addresses failing on one account (default 10): it then needs a solved challenge.' },
    }, 'Credential-stuffing detection (false: off); fields left out keep the login defaults.'),
    delay: offOr({
      afterFailures: { ...count, description: 'Default 3 (login), 2 (otp).' },
      baseMs: { type: 'integer', minimum: 1, maximum: 10_000, description: 'Default 250 (login), 500 (otp).' },
      maxMs: { type: 'integer', minimum: 1, maximum: 30_000, description: 'Default 4000.' },
    }, 'Progressive delay from the afterFailures-th failure of an account or address: baseMs·2ⁿ, at most maxMs (false: off).'),
  },
};

const limitProps = Object.fromEntries(
  Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, { ...positiveInt, default: v, description: LIMIT_DOCS[k as keyof typeof LIMIT_DOCS] }]),
);
const upstreamTimeoutProps = Object.fromEntries(
  Object.entries(DEFAULT_UPSTREAM_TIMEOUTS).map(([k, v]) => [k, { ...positiveInt, default: v, description: UPSTREAM_TIMEOUT_DOCS[k as keyof typeof UPSTREAM_TIMEOUT_DOCS] }]),
);

export const configSchema = {
  $id: 'https://portcullis.dev/schemas/portcullis.yaml.json',
  type: 'object',
  additionalProperties: false,
  required: ['upstreams'],
  properties: {
    mode: { enum: ['block', 'monitor'], default: 'block', description: 'Global mode. monitor turns every block into a flag (dry run).' },
    listen: { type: 'string', pattern: '^[^\\s]+:[0-9]{1,5}$', default: DEFAULT_LISTEN, description: 'host:port of the public listener.' },
    admin: {
      type: 'object',
      additionalProperties: false,
      properties: {
        listen: { type: 'string', pattern: '^[^\\s]+:[0-9]{1,5}$', default: DEFAULT_ADMIN_LISTEN, description: 'host:port of the admin API, /metrics and probes. A non-loopback address needs a token.' },
        token: { type: 'string', minLength: 16, description: 'Bearer token for the admin API (else PORTCULLIS_ADMIN_TOKEN, else generated and printed once).' },
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['cert', 'key'],
      description: 'Terminate TLS on the public listener (https), optionally with client certificates (mTLS).',
      properties: {
        cert: { type: 'string', minLength: 1, description: 'PEM certificate chain of the listener (re-read on reload).' },
        key: { type: 'string', minLength: 1, description: 'PEM private key of the listener.' },
        clientCa: { type: 'string', minLength: 1, description: 'PEM CA bundle client certificates must chain to (enables mTLS).' },
        clientCert: { enum: ['off', 'optional', 'required'], default: 'off', description: 'required: handshakes without a valid client certificate fail; optional: verified when sent, for operations with a mutualTLS security scheme. Needs clientCa.' },
        minVersion: { enum: ['TLSv1.2', 'TLSv1.3'], default: 'TLSv1.2', description: 'Oldest TLS version accepted.' },
        hstsMaxAgeSec: { type: 'integer', minimum: 0, maximum: 63_072_000, default: 31_536_000, description: 'Strict-Transport-Security max-age on every response (0: no header).' },
        hstsIncludeSubDomains: { type: 'boolean', default: false, description: 'Add includeSubDomains to the HSTS header.' },
      },
    },
    store: { type: 'string', default: DEFAULT_STORE, description: 'Event store: memory | sqlite:PATH | postgres://user[:pw]@host[:port]/db[?schema=NAME].' },
    redis: { type: 'string', pattern: '^rediss?://', description: 'Shared state of several gateways: rate-limit counters (a control may name its own), the block list, used challenges.' },
    challenge: {
      type: 'object',
      additionalProperties: false,
      description: 'Proof-of-work challenges (ALTCHA), served at /.well-known/portcullis/challenge and required by the risk, flows and enumeration controls.',
      properties: {
        hmacKey: { type: 'string', minLength: 32, description: 'Signs challenges; set the same key (e.g. ${PORTCULLIS_CHALLENGE_KEY}) on every instance behind one address. Default: random per process.' },
        expiresSec: { type: 'integer', minimum: 10, maximum: 3_600, default: 300, description: 'How long an issued challenge may be solved and used.' },
        demoPage: { type: 'boolean', default: false, description: 'Serve the browser demo (ALTCHA widget) at /.well-known/portcullis/challenge/demo.' },
      },
    },
    trustedProxies: { type: 'array', items: { type: 'string' }, maxItems: 1000, description: 'IPs/CIDRs whose Forwarded (RFC 7239, preferred) or X-Forwarded-For is believed; the client IP is the first untrusted hop.' },
    upstreams: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'spec'],
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,64}$', description: 'Label in events, metrics and logs (default: default).' },
          url: { type: 'string', pattern: '^https?://', description: 'Base URL; a path in it is prefixed to every forwarded path.' },
          spec: { type: 'string', minLength: 1, description: 'OpenAPI 3.0/3.1 file (YAML or JSON), relative to the config file.' },
          prefix: { type: 'string', pattern: '^/' , description: 'Only requests under this path prefix go to this upstream.' },
          host: { type: 'string', description: 'Only requests with this Host go to this upstream.' },
          timeouts: { type: 'object', additionalProperties: false, properties: upstreamTimeoutProps },
        },
      },
    },
    controls: {
      type: 'object',
      description: 'Per-control settings, keyed by control id.',
      properties: {
        'request-validation': {
          type: 'object',
          additionalProperties: false,
          description: 'The positive model: parameters and bodies checked against the contract.',
          properties: {
            mode,
            additionalProperties: { enum: ['reject', 'allow'], default: 'reject', description: 'Undeclared query parameters and body properties: refused (mass assignment), or let through.' },
            unwritableProperties: { enum: ['reject', 'strip'], default: 'reject', description: 'Body properties the caller may not set (readOnly, x-portcullis-write-roles, undeclared): refuse the request, or strip them from a JSON body and forward the rest (event: contract/property-stripped).' },
          },
        },
        'object-authorization': {
          type: 'object',
          additionalProperties: false,
          description: 'Ownership rules (BOLA): where a request or response names an object\'s owner, and the caller claim it must equal.',
          properties: {
            mode,
            status: { enum: [403, 404], default: 403, description: 'Status of a refused request or withheld response (404 hides which ids exist).' },
            rules: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['operation', 'equals'],
                properties: {
                  operation: {
                    description: 'operationId or "METHOD /template", or a list of them.',
                    oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }],
                  },
                  value: { type: 'string', pattern: '^(path\\.|query\\.|header\\.|body(/|$))', description: 'Owner in the request: path.<param>, query.<param>, header.<name> or body/<json pointer> (absent in the body: not checked).' },
                  response: { type: 'string', pattern: '^(/|$)', description: 'Owner in a 2xx JSON response: a JSON pointer, * for every item (e.g. /items/*/userId). Missing: withheld.' },
                  equals: { type: 'string', minLength: 1, description: 'Claim of the caller the owner must equal (one of, for a list claim): sub, tenant_id…' },
                  unlessRoles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Roles exempt from the rule (e.g. admin).' },
                },
              },
            },
          },
        },
        'object-ledger': {
          type: 'object',
          additionalProperties: false,
          description: 'Which object ids each caller was handed (by list/create responses); requests for ids never handed are flagged (monitor, the default) or refused (block).',
          properties: {
            mode,
            status: { enum: [403, 404], default: 404, description: 'Status of a refused request in block mode.' },
            maxEntries: { type: 'integer', minimum: 1_000, maximum: 50_000_000, default: 1_000_000, description: 'Ids remembered in all (about 100 bytes each); the least recently active caller is forgotten first.' },
            maxObjectsPerPrincipal: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000, description: 'Ids remembered per caller.' },
            ttlSec: { type: 'integer', minimum: 60, maximum: 2_592_000, default: 86_400, description: 'An id not handed to the caller again for this long is forgotten.' },
            unlessRoles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Roles not held to the ledger (e.g. admin, support).' },
            resources: {
              type: 'array',
              maxItems: 200,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'learn', 'check'],
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 64, description: 'Kind of object (order, invoice…).' },
                  learn: {
                    type: 'array', minItems: 1,
                    items: {
                      type: 'object', additionalProperties: false, required: ['operation', 'response'],
                      properties: {
                        operation: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }], description: 'operationId(s) or "METHOD /template" whose 2xx JSON responses hand out ids.' },
                        response: { type: 'string', pattern: '^(/|$)', description: 'JSON pointer of the ids, * for every item (e.g. /items/*/id).' },
                      },
                    },
                  },
                  check: {
                    type: 'array', minItems: 1,
                    items: {
                      type: 'object', additionalProperties: false, required: ['operation', 'value'],
                      properties: {
                        operation: { oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }], description: 'operationId(s) or "METHOD /template" that name an id.' },
                        value: { type: 'string', pattern: '^(path\\.|query\\.|header\\.|body(/|$))', description: 'Where: path.<param>, query.<param>, header.<name>, body/<json pointer>.' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        injection: {
          type: 'object',
          additionalProperties: false,
          description: 'The negative model: detectors run on every free-form input, in each decoded reading.',
          properties: {
            mode,
            threshold: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'Least detector confidence that counts.' },
            paranoia: {
              type: 'integer', minimum: 1, maximum: 4, default: 1,
              description: 'Paranoia level: findings a detector marks as level 2–4 (more catches, more false alarms) count only at or above their level.',
            },
            anomalyThreshold: {
              type: 'integer', minimum: 1, maximum: 1000,
              description: 'Anomaly scoring: instead of refusing on the first finding, add up every finding of the request (confidence ≥ 0.9: 5 points, ≥ 0.75: 4, ≥ 0.5: 3, lower: 2) and refuse when the sum reaches this. Unset: the first finding decides.',
            },
            exclude: {
              type: 'array', maxItems: 1000,
              items: {
                type: 'object', additionalProperties: false,
                properties: {
                  detector: { type: 'string', minLength: 1, description: 'e.g. sqli, xss.' },
                  operation: { type: 'string', minLength: 1, description: 'operationId or "METHOD /template".' },
                  location: { type: 'string', minLength: 1, description: 'Input location prefix: path.id, query.q, body/comment, body-key/…' },
                },
              },
              description: 'Findings to ignore (false alarms you have vetted); all given fields must match.',
            },
          },
        },
        deception: {
          type: 'object',
          additionalProperties: false,
          description: 'Honeypot paths and honeytoken credentials: touching one blocks the caller (IP and principal) for blockSec.',
          properties: {
            mode,
            honeypots: { type: 'array', maxItems: 1000, items: { type: 'string', pattern: '^/' }, description: 'Paths no legitimate client asks for (exact, or a prefix ending in *).' },
            probePaths: { enum: ['trap', 'convict', 'off'], default: 'trap', description: 'Common probe paths (/.env, /.git/config, /wp-login.php, /actuator…) the contract does not declare: trap = 404 and a high-severity event; convict = also block the caller; off.' },
            honeytokens: { type: 'array', maxItems: 1000, items: { type: 'string', minLength: 8 }, description: 'Planted credentials: presenting one convicts the caller.' },
            blockSec: { type: 'integer', minimum: 1, maximum: 2_592_000, default: 3600, description: 'How long a convicted caller is refused.' },
            tarpitMs: { type: 'integer', minimum: 0, maximum: 10_000, default: 0, description: 'Delay before answering a trap.' },
          },
        },
        'block-list': {
          type: 'object',
          additionalProperties: false,
          description: 'The dynamic block list (callers convicted by deception, blocked by the risk score or by an admin via /api/blocks): 403 with Retry-After until the block ends. Shared by every instance through the top-level redis.',
          properties: { mode },
        },
        risk: {
          type: 'object',
          additionalProperties: false,
          description: 'A decaying risk score per client IP and principal, fed by every blocked or flagged event. Block mode: past challengeAt requests need a solved proof-of-work challenge (harder as the score rises), at blockAt the caller is blocked (4x longer at each repeat). Monitor (default): scored and reported only.',
          properties: {
            mode,
            halfLifeSec: { type: 'integer', minimum: 10, maximum: 604_800, default: 600, description: 'A score halves after this long without new events.' },
            challengeAt: { type: 'number', minimum: 1, maximum: 1_000_000, default: 20, description: 'Score from which a challenge is required.' },
            blockAt: { type: 'number', minimum: 1, maximum: 1_000_000, default: 60, description: 'Score that blocks the caller.' },
            blockSec: { type: 'integer', minimum: 1, maximum: 2_592_000, default: 900, description: 'First block; each repeat within maxBlockSec lasts 4x longer.' },
            maxBlockSec: { type: 'integer', minimum: 1, maximum: 31_536_000, default: 86_400, description: 'Longest block.' },
            weights: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1000 }, description: 'Points per rule id or per rule prefix ending in / (default by severity: low 1, medium 3, high 8, critical 20; rate limits and contract findings 1).' },
          },
        },
        enumeration: {
          type: 'object',
          additionalProperties: false,
          description: 'Object-id enumeration per caller and operation (the last path variable): many distinct ids, sequential walks, a high 403/404 ratio. Monitor by default (events feed the risk score); block mode refuses or challenges the caller on that operation for the window.',
          properties: {
            mode,
            windowSec: { type: 'integer', minimum: 10, maximum: 86_400, default: 300, description: 'Sliding window of every count.' },
            distinctIds: { type: 'integer', minimum: 2, maximum: 1_000_000, default: 100, description: 'Distinct ids one caller may name on one operation per window.' },
            sequentialRun: { type: 'integer', minimum: 2, maximum: 100_000, default: 20, description: 'Requests naming a numeric id next to one named before.' },
            notFoundRatio: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'Share of 403/404 answers, counted from minRequests on.' },
            minRequests: { type: 'integer', minimum: 1, maximum: 100_000, default: 20, description: 'Answers needed before the ratio counts.' },
            action: { enum: ['block', 'challenge'], default: 'block', description: 'Block mode: 429 for the rest of the window, or a proof-of-work challenge on each request.' },
          },
        },
        flows: {
          type: 'object',
          additionalProperties: false,
          description: 'Sensitive business flows (operations marked x-portcullis-flow, or listed here): login failure lockouts per account, address and /24 (/64), progressive delays, credential-stuffing detection, attempt limits (signup, password-reset), OTP guess limits, daily quotas (checkout).',
          properties: {
            mode,
            operations: { type: 'object', additionalProperties: { enum: [...FLOW_KINDS] }, description: 'operationId or "METHOD /template" → login | signup | password-reset | otp | checkout.' },
            policies: {
              type: 'object', propertyNames: { enum: [...FLOW_KINDS] }, additionalProperties: flowPolicySchema,
              description: 'Per kind of flow (login, signup, password-reset, otp, checkout), fields over its defaults (see docs/abuse.md for the defaults).',
            },
          },
        },
        'ip-filter': {
          type: 'object',
          additionalProperties: false,
          description: 'IP allow and deny lists on the client address (behind trustedProxies, the first untrusted X-Forwarded-For hop): 403.',
          properties: {
            mode,
            deny: { type: 'array', maxItems: 100_000, items: { type: 'string', minLength: 2 }, description: 'Addresses or CIDRs refused.' },
            allow: { type: 'array', minItems: 1, maxItems: 100_000, items: { type: 'string', minLength: 2 }, description: 'When set, only these addresses or CIDRs may call; a denied address stays denied.' },
            denyFiles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Files with one address or CIDR per line (# comments), re-read on every reload.' },
            allowFiles: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Likewise for the allow list; an empty allow file allows nobody.' },
          },
        },
        'rate-limit': {
          type: 'object',
          additionalProperties: false,
          description: 'Rate limits (GCRA: a steady rate plus an optional burst, no fixed-window sawtooth) and an in-flight cap: 429 with Retry-After and RateLimit/RateLimit-Policy.',
          properties: {
            mode,
            limits: {
              type: 'array', maxItems: 100,
              description: 'Every limit that applies to a request must allow it.',
              items: {
                type: 'object', additionalProperties: false, required: ['key', 'rate'],
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 64, description: 'Shown in events and RateLimit headers; default "<key>-<rate>".' },
                  key: { enum: ['principal', 'ip', 'operation', 'global'], description: 'What is counted: per caller, per client IP, per operation (all callers), or all traffic.' },
                  rate: { type: 'string', pattern: '^[0-9]+ ?/ ?[a-z]+$', description: 'Steady rate: 100/min, 10/s, 5000/h, 20000/day.' },
                  burst: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Extra requests (cost units) allowed at once above the steady rate.' },
                  operations: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Only these operations (operationId or "METHOD /template"); default all.' },
                  cost: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'Weight per operation (operationId or "METHOD /template"); default 1, 0 = not counted.' },
                },
              },
            },
            concurrency: {
              type: 'object', additionalProperties: false, required: ['perPrincipal'],
              properties: { perPrincipal: { type: 'integer', minimum: 1, maximum: 1_000_000, description: 'Requests in flight per principal in one gateway process.' } },
            },
            redis: { type: 'string', pattern: '^rediss?://', description: 'Shared counters for several gateway instances (default: the top-level redis, else in memory). While Redis is away each instance limits in memory.' },
          },
        },
        'ssrf-guard': {
          type: 'object',
          additionalProperties: false,
          description: 'URL-valued inputs (absolute URLs in query values, form fields and JSON strings) must name public addresses over allowed schemes.',
          properties: {
            mode,
            schemes: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*$' }, default: ['http', 'https'], description: 'Schemes a URL input may use.' },
            allowHosts: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'Host names or addresses allowed even where they are internal (your own webhook receiver).' },
            dnsTtlSec: { type: 'integer', minimum: 1, maximum: 3_600, default: 30, description: 'How long a resolved answer is pinned (rebinding cannot switch it within this time).' },
            dnsTimeoutMs: { type: 'integer', minimum: 50, maximum: 30_000, default: 2_000, description: 'Timeout of one lookup (then flagged as unresolvable, not refused).' },
          },
        },
        'sensitive-data': {
          type: 'object',
          additionalProperties: false,
          description: 'Data classes in JSON responses (email, phone, payment-card, iban, national-id, jwt, private-key, cloud-secret, password-hash, ip-address).',
          properties: {
            mode,
            action: { enum: ['mask', 'block'], default: 'mask', description: 'mask: replace matched values (cards keep their last 4 digits); block: withhold the response (502). Monitor mode only reports.' },
            allow: { ...dataClassList, default: ['email', 'phone', 'ip-address', 'jwt'], description: 'Classes allowed in responses of operations that declare none (x-portcullis-data-classes or operations.<id>.dataClasses).' },
          },
        },
      },
      additionalProperties: {
        type: 'object',
        properties: { mode },
      },
    },
    operations: {
      type: 'object',
      description: 'Per-operation overrides keyed by operationId or "METHOD /path/template".',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          mode,
          controls: { type: 'object', additionalProperties: mode },
          bodyBytes: { ...positiveInt, description: 'Body size limit for this operation (e.g. uploads), instead of limits.bodyBytes.' },
          roles: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'Roles of which the caller needs one (replaces x-portcullis-roles; [] requires none).' },
          dataClasses: { ...dataClassList, description: 'Sensitive-data classes this operation may return (replaces x-portcullis-data-classes and controls.sensitive-data.allow).' },
        },
      },
    },
    limits: { type: 'object', additionalProperties: false, properties: limitProps },
    identity: {
      type: 'object',
      additionalProperties: false,
      properties: {
        apiKeys: {
          type: 'object',
          additionalProperties: false,
          description: 'The gateway\'s own API keys (`portcullis keys`), checked for OpenAPI `apiKey` security schemes. Kept in the store.',
          properties: {
            refreshMs: { type: 'integer', minimum: 100, maximum: 300_000, default: 5_000, description: 'How often each gateway polls the store for keys created, rotated or revoked elsewhere.' },
            maxStaleMs: { type: 'integer', minimum: 1_000, maximum: 3_600_000, default: 60_000, description: 'While the store cannot be read for this long, every API key is refused with 503 (a revocation could be missed).' },
          },
        },
        jwt: {
          type: 'object',
          additionalProperties: false,
          required: ['issuers'],
          properties: {
            clockToleranceSec: { type: 'integer', minimum: 0, maximum: 60, default: 30, description: 'Clock skew allowed on exp/nbf/iat, in seconds.' },
            verifiedCacheSec: { type: 'integer', minimum: 0, maximum: 3_600, default: 60, description: 'A verified token is reused this long without checking its signature again (exp/nbf/iat still judged on every use); 0: verify every time. A key withdrawn from the JWKS stops vouching within this time.' },
            verifiedCacheEntries: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000, description: 'Verified tokens kept (oldest dropped first).' },
            issuers: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['issuer', 'algorithms'],
                properties: {
                  issuer: { type: 'string', minLength: 1, description: 'Expected iss claim.' },
                  audience: {
                    description: 'Expected aud claim, or a list of which one must match (checked when set).',
                    oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', minLength: 1 } }],
                  },
                  algorithms: {
                    type: 'array', minItems: 1, uniqueItems: true, description: 'Accepted alg values for this issuer (allow-list; none is never accepted).',
                    items: { enum: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] },
                  },
                  secret: { type: 'string', minLength: 32, description: 'Shared secret for HS* algorithms.' },
                  publicKeyFile: { type: 'string', description: 'PEM (SPKI) public key file for RS/PS/ES/EdDSA.' },
                  jwksUrl: { type: 'string', pattern: '^https?://', description: 'JWKS endpoint of the issuer (https; http only to loopback). Keys are picked by kid.' },
                  jwksFile: { type: 'string', description: 'JWKS file (public keys only) instead of a URL.' },
                  jwks: {
                    type: 'object',
                    additionalProperties: false,
                    description: 'Limits for jwksUrl. When the keys cannot be fetched, tokens get 503: never accepted unverified.',
                    properties: {
                      timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 5_000, description: 'Timeout of one JWKS fetch.' },
                      cooldownMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 30_000, description: 'After an unknown kid, the least time before the set is fetched again.' },
                      cacheMaxAgeMs: { type: 'integer', minimum: 1_000, maximum: 86_400_000, default: 600_000, description: 'Age after which the set is fetched again before use.' },
                      maxBytes: { type: 'integer', minimum: 1_024, maximum: 1_048_576, default: 65_536, description: 'Largest JWKS response accepted.' },
                      staleIfErrorMs: { type: 'integer', minimum: 0, maximum: 86_400_000, default: 0, description: 'How long past cacheMaxAgeMs the last good set may be used while the endpoint fails (0: fail closed at once).' },
                      retryAfterMs: { type: 'integer', minimum: 0, maximum: 600_000, default: 5_000, description: 'After a failed fetch, tokens are refused (503) at once for this long instead of each waiting for a timeout.' },
                    },
                  },
                  requiredClaims: { type: 'array', maxItems: 20, uniqueItems: true, items: { type: 'string', minLength: 1 }, description: 'Claims every token must carry (exp always is).' },
                  maxTokenAgeSec: { type: 'integer', minimum: 1, description: 'Refuse tokens whose iat is older than this (iat then required).' },
                  rolesClaim: { type: 'string', default: 'role', description: 'Claim holding the role(s) matched against x-portcullis-roles.' },
                },
              },
            },
          },
        },
        introspection: {
          type: 'object',
          additionalProperties: false,
          required: ['url', 'clientId', 'clientSecret'],
          description: 'OAuth 2.0 token introspection (RFC 7662) for opaque bearer tokens (and JWTs of no configured issuer). Unreachable: 503, never a pass.',
          properties: {
            url: { type: 'string', pattern: '^https?://', description: 'Introspection endpoint (https; http only to loopback).' },
            clientId: { type: 'string', minLength: 1, description: 'The gateway\'s client id at the authorization server.' },
            clientSecret: { type: 'string', minLength: 1, description: 'Its client secret (use ${VAR}); sent as HTTP Basic.' },
            audience: {
              description: 'Expected aud of active tokens (one of, for a list), checked when set.',
              oneOf: [{ type: 'string', minLength: 1 }, { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', minLength: 1 } }],
            },
            issuer: { type: 'string', minLength: 1, description: 'Expected iss of active tokens, checked when set.' },
            timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 3_000, description: 'Timeout of one introspection call.' },
            maxBytes: { type: 'integer', minimum: 1_024, maximum: 1_048_576, default: 65_536, description: 'Largest introspection answer accepted.' },
            cacheMaxSec: { type: 'integer', minimum: 0, maximum: 3_600, default: 60, description: 'Longest an active verdict is reused (never past the token\'s exp; revocation shows within this time).' },
            negativeCacheSec: { type: 'integer', minimum: 0, maximum: 600, default: 10, description: 'How long an inactive verdict is reused.' },
            cacheMaxEntries: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 10_000, description: 'Verdicts kept (oldest dropped first).' },
            retryAfterMs: { type: 'integer', minimum: 0, maximum: 600_000, default: 2_000, description: 'After a failed call, tokens are refused (503) at once for this long.' },
            rolesClaim: { type: 'string', default: 'role', description: 'Member of the answer holding the role(s).' },
          },
        },
      },
    },
    discovery: {
      type: 'object',
      additionalProperties: false,
      description: 'Traffic samples in the store, read by `portcullis discover --from-store`: metadata of every request (credentials reduced to their scheme, callers pseudonymised), and the JSON bodies of a share of requests, masked of personal data and size-capped. A rolling window of the newest records.',
      properties: {
        sample: { type: 'boolean', default: true, description: 'Keep traffic samples at all.' },
        bodySampleRate: { type: 'number', minimum: 0, maximum: 1, default: 0.01, description: 'Share of requests whose JSON request and response bodies are kept (0: metadata only).' },
        maxBodyBytes: { type: 'integer', minimum: 256, maximum: 1_048_576, default: 16_384, description: 'A body larger than this once masked is left out of its sample.' },
        maxRecords: { type: 'integer', minimum: 1_000, maximum: 100_000_000, default: 200_000, description: 'Samples kept; older ones are deleted as new ones arrive.' },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      properties: { level: { enum: ['silent', 'error', 'warn', 'info', 'debug'], default: 'info', description: 'Access and diagnostic log level (PORTCULLIS_LOG_LEVEL overrides).' } },
    },
  },
} as const;
