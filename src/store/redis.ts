import { Redis } from 'ioredis';

/** Redis client limits: a Redis that is away or slow costs a request at most this long before the in-memory fallback answers. */
export const REDIS_DEFAULTS = { connectTimeoutMs: 1_000, commandTimeoutMs: 500, maxReconnectDelayMs: 2_000, readyWaitMs: 1_000 } as const;

/**
 * A client that fails fast while Redis is away (callers fall back to memory meanwhile) and
 * reconnects in the background. Resolves once ready, or after `readyWaitMs` whatever the state:
 * a gateway starts even while its Redis is down.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis(url, {
    connectTimeout: REDIS_DEFAULTS.connectTimeoutMs,
    commandTimeout: REDIS_DEFAULTS.commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), REDIS_DEFAULTS.maxReconnectDelayMs),
  });
  // Errors surface as fallbacks; without a listener ioredis would report each one as unhandled.
  client.on('error', () => undefined);
  await waitReady(client);
  return client;
}

export function waitReady(client: Redis): Promise<void> {
  return new Promise<void>((resolve) => {
    if (client.status === 'ready') return resolve();
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, REDIS_DEFAULTS.readyWaitMs);
    client.once('ready', done);
    client.once('error', done);
  });
}

export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // fall through to a hard disconnect
    }
  }
  client.disconnect();
}
