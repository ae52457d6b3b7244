import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { readBody } from './body-reader.js';

function fakeRequest(): IncomingMessage & EventEmitter {
  const req = new EventEmitter() as IncomingMessage & EventEmitter;
  (req as unknown as { pause: () => void }).pause = () => undefined;
  return req;
}

describe('readBody', () => {
  it('returns the bytes of a body that arrives in pieces', async () => {
    const req = fakeRequest();
    const p = readBody(req, 100, 1000, Date.now() + 5000);
    req.emit('data', Buffer.from('{"a":'));
    req.emit('data', Buffer.from('1}'));
    req.emit('end');
    const r = await p;
    expect(r.ok && r.bytes.toString()).toBe('{"a":1}');
    // The listeners stay on a fully read body (the request object dies with the exchange); a
    // late event must change nothing.
    req.emit('data', Buffer.from('late'));
    req.emit('error', new Error('late'));
    expect(r.ok && r.bytes.toString()).toBe('{"a":1}');
  });

  it('stops at the size limit with 413', async () => {
    const req = fakeRequest();
    const p = readBody(req, 4, 1000, Date.now() + 5000);
    req.emit('data', Buffer.from('12345'));
    expect(await p).toMatchObject({ ok: false, status: 413, ruleId: 'protocol/body-too-large' });
    // A refused body is detached: whatever still arrives is not buffered.
    expect(req.listenerCount('data')).toBe(0);
  });

  it('answers 408 when the body stalls longer than the idle limit', async () => {
    const req = fakeRequest();
    const started = Date.now();
    const p = readBody(req, 100, 50, Date.now() + 60_000);
    req.emit('data', Buffer.from('{'));
    const r = await p;
    expect(r).toMatchObject({ ok: false, status: 408, detail: 'The request body stalled.' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers 408 at the overall deadline even while bytes keep trickling', async () => {
    const req = fakeRequest();
    const p = readBody(req, 1000, 10_000, Date.now() + 300);
    const drip = setInterval(() => req.emit('data', Buffer.from('x')), 20);
    const r = await p;
    clearInterval(drip);
    expect(r).toMatchObject({ ok: false, status: 408, detail: 'The request body did not arrive in time.' });
  });

  it('answers 400 when the client goes away mid-body', async () => {
    const req = fakeRequest();
    const p = readBody(req, 100, 1000, Date.now() + 5000);
    req.emit('data', Buffer.from('{'));
    req.emit('aborted');
    expect(await p).toMatchObject({ ok: false, status: 400, ruleId: 'protocol/body-aborted' });
  });
});
