import { and, asc, gt, lte, sql } from 'drizzle-orm';
import type { Logger } from '../observability/logger';
import type { Db } from '../store/database';
import { peerServed } from '../store/schema';
import type { AuditSink } from './contracts';

/** Records which own-log entries were served to which peer (issue 9 §1 "peer pull served", §3). */
export interface ServedRecorder {
  /** Fire-and-forget: `[from, to)` of the own log was served to `peer`. Failures are logged. */
  served(peer: string, from: number, to: number): void;
  /** Peers that were served the own-log entry at `logIndex`, with the first time each. */
  peersServed(logIndexes: number[]): Promise<Map<number, { peer: string; firstServedAt: string }[]>>;
  /** Waits for pending writes (tests, shutdown). */
  drain(): Promise<void>;
}

/**
 * Creates the recorder: one `peer_served` row per peer and entry range (a counter for repeats), and one
 * `peer.pull-served` audit entry the first time a peer receives a range.
 */
export function createServedRecorder(deps: { db: Db; audit: AuditSink; now: () => Date; logger: Logger }): ServedRecorder {
  const pending = new Set<Promise<void>>();
  async function write(peer: string, from: number, to: number): Promise<void> {
    const at = deps.now();
    const rows = await deps.db
      .insert(peerServed)
      .values({ peer, fromIdx: from, toIdx: to, times: 1, firstServedAt: at, lastServedAt: at })
      .onConflictDoUpdate({ target: [peerServed.peer, peerServed.fromIdx, peerServed.toIdx], set: { times: sql`${peerServed.times} + 1`, lastServedAt: at } })
      .returning({ times: peerServed.times });
    if (rows[0]?.times === 1) await deps.audit.record({ type: 'peer.pull-served', actor: `peer:${peer}`, detail: { peer, from, to, entries: to - from } });
  }
  return {
    served(peer, from, to) {
      if (!(to > from)) return;
      const p = write(peer, from, to)
        .catch((err: Error) => deps.logger.error({ err: { message: err.message } }, 'could not record a served entry range'))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async peersServed(logIndexes) {
      const out = new Map<number, { peer: string; firstServedAt: string }[]>();
      if (logIndexes.length === 0) return out;
      const lo = Math.min(...logIndexes);
      const hi = Math.max(...logIndexes);
      const rows = await deps.db.select().from(peerServed).where(and(lte(peerServed.fromIdx, hi), gt(peerServed.toIdx, lo))).orderBy(asc(peerServed.firstServedAt)).limit(10_000);
      for (const i of logIndexes) {
        const seen = new Map<string, string>();
        for (const r of rows) if (r.fromIdx <= i && i < r.toIdx && !seen.has(r.peer)) seen.set(r.peer, r.firstServedAt.toISOString());
        out.set(i, [...seen].map(([peer, firstServedAt]) => ({ peer, firstServedAt })));
      }
      return out;
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
