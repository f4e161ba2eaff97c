import { and, desc, eq, lte, ne } from 'drizzle-orm';
import { toBase64Url } from '../../protocol';
import type { Db } from '../store/database';
import { externalScoreCache, externalScoreProvenance, heldSignals, memberRecords, retentionSweeps } from '../store/schema';
import type { AuditLog } from '../audit/log';

const DAY = 24 * 3600 * 1000;

/** Retention periods (docs/compliance.md "Retention policy"). */
export interface RetentionPolicy {
  /** Member records not updated for this long are purged (default 5 years). */
  memberRecordsDays: number;
  /** Provenance of external score answers is kept this long as evidence (default 5 years). */
  externalProvenanceDays: number;
}

/** Default retention: 5 years, the credit-reporting limit for negative records. */
export const DEFAULT_RETENTION: RetentionPolicy = { memberRecordsDays: 5 * 365, externalProvenanceDays: 5 * 365 };

/** What one sweep purged, per category. */
export interface SweepResult {
  id: string;
  at: string;
  actor: string;
  counts: Record<string, number>;
  auditIndex: number;
}

/** Retention sweeps (issue 9 §4). */
export interface RetentionService {
  /** Purges expired personal data now and records the sweep (audit `retention.swept`). */
  sweep(actor: string): Promise<SweepResult>;
  /** Recorded sweeps, newest first (bounded). */
  list(limit: number): Promise<SweepResult[]>;
  /** Starts the scheduled sweep (every `intervalMs`). */
  start(intervalMs: number, onError: (err: Error) => void): void;
  stop(): void;
}

/**
 * Creates the retention service. A sweep deletes, in one transaction: peers' held signals past their
 * `expiresAt` (negative signals expire at most 5 years after the event ends, so they are neither used nor kept),
 * expired external score cache entries, external score provenance and member records past the policy period.
 * The own log's entries stay (an append-only Merkle log cannot lose leaves); they carry pseudonyms only.
 */
export function createRetentionService(deps: { db: Db; audit: AuditLog; memberId: string; now: () => Date; random: (n: number) => Uint8Array; policy?: Partial<RetentionPolicy> }): RetentionService {
  const policy = { ...DEFAULT_RETENTION, ...deps.policy };
  let timer: NodeJS.Timeout | null = null;
  const view = (r: typeof retentionSweeps.$inferSelect): SweepResult => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, counts: r.counts, auditIndex: r.auditIndex });
  const service: RetentionService = {
    async sweep(actor) {
      const at = deps.now();
      const counts = await deps.db.transaction(async (tx) => {
        const held = await tx.delete(heldSignals).where(and(ne(heldSignals.issuer, deps.memberId), lte(heldSignals.expiresAt, at))).returning({ i: heldSignals.issuer });
        const cache = await tx.delete(externalScoreCache).where(lte(externalScoreCache.expiresAt, at)).returning({ p: externalScoreCache.provider });
        const prov = await tx.delete(externalScoreProvenance).where(lte(externalScoreProvenance.receivedAt, new Date(at.getTime() - policy.externalProvenanceDays * DAY))).returning({ id: externalScoreProvenance.id });
        const recs = await tx.delete(memberRecords).where(lte(memberRecords.updatedAt, new Date(at.getTime() - policy.memberRecordsDays * DAY))).returning({ k: memberRecords.key });
        return { expiredPeerSignals: held.length, expiredExternalScores: cache.length, externalProvenancePastRetention: prov.length, memberRecordsPastRetention: recs.length };
      });
      const id = `swp_${toBase64Url(deps.random(12))}`;
      const auditIndex = await deps.audit.append({ type: 'retention.swept', actor, detail: { sweep: id, counts, policy } });
      await deps.db.insert(retentionSweeps).values({ id, at, actor, counts, auditIndex });
      return { id, at: at.toISOString(), actor, counts, auditIndex };
    },
    async list(limit) {
      const rows = await deps.db.select().from(retentionSweeps).orderBy(desc(retentionSweeps.at)).limit(Math.max(1, Math.min(200, limit)));
      return rows.map(view);
    },
    start(intervalMs, onError) {
      if (timer) return;
      timer = setInterval(() => void service.sweep('system').catch(onError), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return service;
}

/** Reads one sweep (officers read the evidence). */
export async function sweepById(db: Db, id: string): Promise<SweepResult | null> {
  const r = (await db.select().from(retentionSweeps).where(eq(retentionSweeps.id, id)))[0];
  return r ? { id: r.id, at: r.at.toISOString(), actor: r.actor, counts: r.counts, auditIndex: r.auditIndex } : null;
}
