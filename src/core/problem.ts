import type { Finding } from './verdict.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 413: 'Content Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  421: 'Misdirected Request', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? 'Error';
}

/**
 * RFC 9457 problem details for a blocked request. `instance` carries the event id so a caller
 * can quote it to support; nothing from the upstream or the request body is echoed.
 */
export function problemBody(finding: Pick<Finding, 'status' | 'detail' | 'ruleId'>, eventId: string): string {
  return JSON.stringify({
    type: `https://portcullis.dev/rules/${finding.ruleId}`,
    title: statusTitle(finding.status),
    status: finding.status,
    detail: finding.detail,
    instance: `urn:portcullis:event:${eventId}`,
    rule: finding.ruleId,
  });
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
