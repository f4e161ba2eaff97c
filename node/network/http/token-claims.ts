import type { Executor } from '../store/executor';
import { claimTokenIds } from '../store/peers';

/** Most JWT ids recorded by one INSERT of {@link createTokenClaimer}. */
export const MAX_CLAIMS_PER_INSERT = 500;

/** Group-committed replay check of peer JWT ids. */
export interface TokenClaimer {
  /** Records `jti` until `expiresAt`; true if it had never been seen (durably recorded when this resolves), false for a replay. */
  claim(jti: string, issuer: string, expiresAt: Date): Promise<boolean>;
}

interface Pending {
  jti: string;
  issuer: string;
  expiresAt: Date;
  resolve: (fresh: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Replay check for peer tokens (architecture section 7) that records the ids of concurrent requests with
 * one INSERT instead of one per request: while an INSERT is running, new claims queue and go together in
 * the next one. Each claim still resolves only after its id is committed, so a replay is refused across
 * restarts exactly as with one INSERT per request. A `jti` already queued is a replay at once.
 */
export function createTokenClaimer(db: Executor): TokenClaimer {
  const queue = new Map<string, Pending>();
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.size > 0) {
        const batch = [...queue.values()].slice(0, MAX_CLAIMS_PER_INSERT);
        for (const p of batch) queue.delete(p.jti);
        try {
          const fresh = await claimTokenIds(db, batch.map(({ jti, issuer, expiresAt }) => ({ jti, issuer, expiresAt })));
          for (const p of batch) p.resolve(fresh.has(p.jti));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    claim(jti, issuer, expiresAt) {
      if (queue.has(jti)) return Promise.resolve(false);
      const done = new Promise<boolean>((resolve, reject) => queue.set(jti, { jti, issuer, expiresAt, resolve, reject }));
      if (!running) void drain();
      return done;
    },
  };
}
