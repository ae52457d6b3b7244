import { DEFAULT_LIMITS, DEFAULT_UPSTREAM_TIMEOUTS } from './defaults.js';

/**
 * The one schema of portcullis.yaml. Start-up validation, `portcullis validate` and the
 * configuration reference in docs/configuration.md all come from it.
 */
const mode = { enum: ['off', 'monitor', 'block'], description: 'off: skip the control; monitor: record, let through; block: refuse.' };
const positiveInt = { type: 'integer', minimum: 1 };

const limitProps = Object.fromEntries(
  Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, { ...positiveInt, default: v }]),
);
const upstreamTimeoutProps = Object.fromEntries(
  Object.entries(DEFAULT_UPSTREAM_TIMEOUTS).map(([k, v]) => [k, { ...positiveInt, default: v }]),
);

export const configSchema = {
  $id: 'https://portcullis.dev/schemas/portcullis.yaml.json',
  type: 'object',
  additionalProperties: false,
  required: ['upstreams'],
  properties: {
    mode: { enum: ['block', 'monitor'], default: 'block', description: 'Global mode. monitor turns every block into a flag (dry run).' },
    listen: { type: 'string', pattern: '^[^\\s]+:[0-9]{1,5}$', description: 'host:port of the public listener.' },
    admin: {
      type: 'object',
      additionalProperties: false,
      properties: {
        listen: { type: 'string', pattern: '^[^\\s]+:[0-9]{1,5}$' },
        token: { type: 'string', minLength: 16, description: 'Bearer token for the admin API (else PORTCULLIS_ADMIN_TOKEN, else generated and printed once).' },
      },
    },
    store: { type: 'string', description: 'memory | sqlite:PATH | postgres://…' },
    redis: { type: 'string', pattern: '^rediss?://' },
    trustedProxies: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
    upstreams: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'spec'],
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,64}$' },
          url: { type: 'string', pattern: '^https?://' },
          spec: { type: 'string', minLength: 1 },
          prefix: { type: 'string', pattern: '^/' , description: 'Only requests under this path prefix go to this upstream.' },
          host: { type: 'string', description: 'Only requests with this Host go to this upstream.' },
          timeouts: { type: 'object', additionalProperties: false, properties: upstreamTimeoutProps },
        },
      },
    },
    controls: {
      type: 'object',
      description: 'Per-control settings, keyed by control id.',
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
          bodyBytes: positiveInt,
        },
      },
    },
    limits: { type: 'object', additionalProperties: false, properties: limitProps },
    identity: {
      type: 'object',
      additionalProperties: false,
      properties: {
        jwt: {
          type: 'object',
          additionalProperties: false,
          required: ['issuers'],
          properties: {
            clockToleranceSec: { type: 'integer', minimum: 0, maximum: 60, default: 30 },
            issuers: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['issuer', 'algorithms'],
                properties: {
                  issuer: { type: 'string', minLength: 1 },
                  audience: { type: 'string' },
                  algorithms: {
                    type: 'array', minItems: 1, uniqueItems: true,
                    items: { enum: ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] },
                  },
                  secret: { type: 'string', minLength: 32, description: 'Shared secret for HS* algorithms.' },
                  publicKeyFile: { type: 'string', description: 'PEM (SPKI) public key file for RS/PS/ES/EdDSA.' },
                  rolesClaim: { type: 'string', default: 'role' },
                },
              },
            },
          },
        },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      properties: { level: { enum: ['silent', 'error', 'warn', 'info', 'debug'], default: 'info' } },
    },
  },
} as const;
