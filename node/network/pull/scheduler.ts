import type { RosterMember } from '../../../protocol';
import type { Logger } from '../../observability/logger';
import type { Db } from '../../store/database';
import type { NetworkMetrics } from '../metrics';
import { activePeers } from '../roster';
import { getPeer, initialPeer, putPeer } from '../store/peers';
import type { RosterSource } from '../types';
import { PeerFetchError } from './client';
import { PullRejected, type Puller } from './puller';

/** Dependencies of {@link createPullScheduler}. */
export interface PullSchedulerDeps {
  db: Db;
  memberId: string;
  roster: RosterSource;
  puller: Puller;
  now: () => Date;
  random: (n: number) => Uint8Array;
  logger: Logger;
  metrics: NetworkMetrics;
  intervalMs: number;
  maxBackoffMs: number;
}

/** Runs the per-peer pull loops. */
export interface PullScheduler {
  start(): void;
  /** Pulls every active peer once (after any round in flight); resolves when all are done. */
  pullOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** Backoff before retry `attempts` (1-based): exponential from the interval, capped, with 50-100% jitter. */
export function backoffMs(attempts: number, intervalMs: number, maxBackoffMs: number, random: (n: number) => Uint8Array): number {
  const base = Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(attempts, 30));
  const r = random(4);
  const unit = (((r[0]! << 24) | (r[1]! << 16) | (r[2]! << 8) | r[3]!) >>> 0) / 2 ** 32;
  return Math.round(base * (0.5 + unit / 2));
}

/**
 * The background replication job: every active roster peer is pulled every `intervalMs`; a failed
 * round (unreachable, timeout, invalid response) is retried after an exponential backoff with jitter,
 * recorded in the peer's state as `unreachable` with its last error. Suspended or revoked members are
 * not pulled (the roster is read at every tick, so a roster change takes effect at once).
 */
export function createPullScheduler(deps: PullSchedulerDeps): PullScheduler {
  const inflight = new Map<string, Promise<void>>();
  const nextAt = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;

  async function onFailure(member: RosterMember, err: unknown): Promise<void> {
    const code = err instanceof PullRejected || err instanceof PeerFetchError ? err.code : 'pull-failed';
    if (err instanceof PullRejected) deps.metrics.rejections.inc({ code });
    const now = deps.now();
    try {
      const state = (await getPeer(deps.db, member.id)) ?? initialPeer(member.id);
      const attempts = state.attempts + 1;
      const wait = backoffMs(attempts, deps.intervalMs, deps.maxBackoffMs, deps.random);
      nextAt.set(member.id, now.getTime() + wait);
      await putPeer(deps.db, {
        ...state,
        state: state.state === 'quarantined' ? 'quarantined' : 'unreachable',
        lastError: `${code}: ${(err as Error).message}`.slice(0, 500),
        attempts,
        lastAttemptAt: now,
        nextAttemptAt: new Date(now.getTime() + wait),
      });
      deps.logger.warn({ peer: member.id, code, attempts, retryInMs: wait, err: { message: (err as Error).message } }, 'pull failed; backing off');
    } catch (inner) {
      nextAt.set(member.id, now.getTime() + deps.intervalMs);
      deps.logger.warn({ peer: member.id, err: { message: (inner as Error).message } }, 'could not record a failed pull');
    }
  }

  function run(member: RosterMember): Promise<void> {
    const p = deps.puller
      .pull(member)
      .then(
        () => void nextAt.set(member.id, deps.now().getTime() + deps.intervalMs),
        (err) => onFailure(member, err),
      )
      .finally(() => inflight.delete(member.id));
    inflight.set(member.id, p);
    return p;
  }

  function peers(): RosterMember[] {
    const cur = deps.roster.current();
    return cur ? activePeers(cur.body, deps.memberId, deps.now()) : [];
  }

  function tick(): void {
    if (stopped) return;
    const now = deps.now().getTime();
    for (const m of peers()) {
      if (!inflight.has(m.id) && now >= (nextAt.get(m.id) ?? 0)) void run(m);
    }
    timer = setTimeout(tick, Math.min(deps.intervalMs, 250));
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    async pullOnce() {
      await Promise.all(
        peers().map(async (m) => {
          await inflight.get(m.id);
          await (inflight.get(m.id) ?? run(m));
        }),
      );
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.all([...inflight.values()]);
    },
  };
}
