import { isIPv4, isIPv6 } from 'node:net';
import { classifySegment, MAX_CLASSIFIED_LENGTH } from '../classify.js';

/**
 * JSON Schema formats recognised in string values. A format is only claimed when the value is
 * valid by the format's own definition (RFC 3339 for dates, RFC 4122 layout for UUIDs), so a
 * validator such as ajv-formats accepts every sample the format was inferred from.
 */
export type StringFormat = 'date-time' | 'date' | 'email' | 'uuid' | 'uri' | 'ipv4' | 'ipv6';

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
// RFC 3339 date-time: seconds and an offset are required there, unlike ISO 8601 in general.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
// Hierarchical URIs only (`scheme://…`): `a:b` is a URI by RFC 3986 but far more often not meant as one.
const URI = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/[^\s<>"{}|\\^`]+$/;
const MAX_URI_LENGTH = 2048;

export function stringFormat(s: string): StringFormat | undefined {
  if (s.length === 0 || s.length > MAX_URI_LENGTH) return undefined;
  if (s.length <= MAX_CLASSIFIED_LENGTH) {
    // The segment classifier already knows these shapes; the checks below make them strict.
    const kind = classifySegment(s);
    if (kind === 'uuid') return 'uuid';
    if (kind === 'email') return 'email';
    if (kind === 'date') {
      if (FULL_DATE.test(s)) return 'date';
      if (DATE_TIME.test(s)) return 'date-time';
      return undefined;
    }
  }
  if (s.length <= 15 && isIPv4(s)) return 'ipv4';
  if (s.length <= 45 && s.includes(':') && !s.includes('%') && isIPv6(s)) return 'ipv6';
  if (URI.test(s) && URL.canParse(s)) return 'uri';
  return undefined;
}
