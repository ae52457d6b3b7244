import { BlockList } from './block-list.js';
export { callerKeys } from './caller.js';
import type { ChallengeService } from './challenge/service.js';
import { RiskBook } from './risk.js';

/** What the gateway needs of the proof-of-work service. */
export type Challenges = Pick<ChallengeService, 'issue' | 'verify'>;

/**
 * The abuse state of one gateway process, shared by its controls, its admin API and every
 * configuration it reloads into: the block list, the risk book, the challenge service.
 */
export interface AbuseState {
  blocks: BlockList;
  risk: RiskBook;
  challenges?: Challenges;
  close(): Promise<void>;
}

export function memoryAbuseState(blocks = new BlockList(), challenges?: Challenges): AbuseState {
  return {
    blocks,
    risk: new RiskBook(blocks),
    challenges,
    async close() {
      await blocks.close();
    },
  };
}
