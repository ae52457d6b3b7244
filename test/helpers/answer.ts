import type { Answer } from '../../src/scan/surface/types.js';

/** An answer as the surface probes see it, for the evidence checks' tables. */
export function answer(partial: Partial<Answer> & { type?: string } = {}): Answer {
  const { type, ...rest } = partial;
  const path = rest.path ?? '/probe';
  return {
    method: 'GET', path, url: `http://127.0.0.1:1${path}`, status: 200,
    headers: type === undefined ? {} : { 'content-type': type }, body: '', truncated: false,
    ...rest,
  };
}

export const json = (body: unknown, extra: Partial<Answer> = {}): Answer => answer({ type: 'application/json', body: JSON.stringify(body), ...extra });
export const html = (body: string, extra: Partial<Answer> = {}): Answer => answer({ type: 'text/html; charset=utf-8', body, ...extra });
export const text = (body: string, extra: Partial<Answer> = {}): Answer => answer({ type: 'text/plain', body, ...extra });
