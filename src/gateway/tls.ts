import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { TlsConfig } from '../config/types.js';
import { PortcullisError } from '../errors.js';

/** Key material and handshake policy for the public listener, read from the configured files. */
export function tlsOptions(cfg: TlsConfig): TlsOptions & SecureContextOptions {
  if (cfg.clientCert !== 'off' && !cfg.clientCa) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `tls.clientCert: ${cfg.clientCert} needs tls.clientCa`, { where: 'tls.clientCa', hint: 'Give the PEM CA bundle that client certificates must chain to.' });
  }
  return {
    cert: read(cfg.cert, 'tls.cert'),
    key: read(cfg.key, 'tls.key'),
    ...(cfg.clientCa ? { ca: read(cfg.clientCa, 'tls.clientCa') } : {}),
    requestCert: cfg.clientCert !== 'off',
    // optional: the handshake completes either way; operations needing mutualTLS check `authorized`.
    rejectUnauthorized: cfg.clientCert === 'required',
    minVersion: cfg.minVersion,
  };
}

/** The Strict-Transport-Security value, or undefined when switched off. */
export function hstsHeader(cfg: TlsConfig | undefined): string | undefined {
  if (!cfg || cfg.hstsMaxAgeSec === 0) return undefined;
  return `max-age=${cfg.hstsMaxAgeSec}${cfg.hstsIncludeSubDomains ? '; includeSubDomains' : ''}`;
}

function read(file: string, where: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new PortcullisError('PC_ERR_CONFIG_INVALID', `${where}: cannot read ${file}`, { where, cause, hint: 'Check the path (relative to portcullis.yaml) and its permissions.' });
  }
}
