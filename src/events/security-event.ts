import type { Evidence, OwaspApi2023, Severity } from '../core/verdict.js';

/** One security decision: what the admin API returns and the store keeps. */
export interface SecurityEvent {
  id: string;
  /** ISO 8601 UTC. */
  time: string;
  rule: string;
  owasp: OwaspApi2023;
  severity: Severity;
  /** blocked: refused; flagged: let through, reported; modified: let through with data stripped or masked. */
  action: 'blocked' | 'flagged' | 'modified';
  principal: string;
  clientIp: string;
  method: string;
  path: string;
  /** `METHOD /template`, or null when no operation matched. */
  operation: string | null;
  evidence: Evidence;
  /** The request this event belongs to (several events may share one). */
  requestId: string;
}

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
