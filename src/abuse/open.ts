import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PortcullisConfig } from '../config/types.js';
import { closeRedis, connectRedis } from '../store/redis.js';
import { BlockList } from './block-list.js';
import { MemoryReplayStore, RedisReplayStore } from './challenge/replay-store.js';
import { ChallengeService } from './challenge/service.js';
import { memoryAbuseState, type AbuseState } from './state.js';

/**
 * The abuse state of a gateway process. With the top-level `redis`, the block list and the
 * record of used challenges are shared by every instance; otherwise they live in this process.
 * Challenges are signed with `challenge.hmacKey`, or a random key per process (fine for one
 * instance; several behind one address need the same key, or a challenge issued by one
 * fails at another).
 */
export async function openAbuseState(config: PortcullisConfig): Promise<AbuseState> {
  const blocks = await BlockList.open(config.redis);
  let replayClient: Redis | undefined;
  try {
    if (config.redis) replayClient = await connectRedis(config.redis);
    const challenges = new ChallengeService({
      hmacKey: config.challenge.hmacKey ?? randomBytes(32),
      expiresSec: config.challenge.expiresSec,
      replay: replayClient ? new RedisReplayStore(replayClient) : new MemoryReplayStore(),
    });
    const state = memoryAbuseState(blocks, challenges);
    return {
      ...state,
      async close() {
        await Promise.all([state.close(), replayClient ? closeRedis(replayClient) : undefined]);
      },
    };
  } catch (e) {
    await blocks.close();
    if (replayClient) await closeRedis(replayClient);
    throw e;
  }
}
