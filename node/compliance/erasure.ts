import { and, count, desc, eq, isNull, ne } from 'drizzle-orm';
import { toBase64Url } from '../../protocol';
import type { AuditLog } from '../audit/log';
import type { Db } from '../store/database';
import {
  auditEntries, consents, decisions, derivationSubjects, derivedSignals, erasures, externalScoreCache, externalScoreProvenance, heldSignals, memberRecords, merchantQueryLog, subjects,
} from '../store/schema';

/** An executed erasure, as evidenced. */
export interface ErasureResult {
  id: string;
  subject: string;
  actor: string;
  reason: string;
  executedAt: string;
  deleted: Record<string, number>;
  kept: { category: string; count: number; why: string }[];
  auditIndex: number;
}

/** Erasure requests (issue 9 §4, PIPL art. 47). */
export interface ErasureService {
  /** Withdraws the subject's active consents, deletes their personal data, records what was kept and why. */
  execute(req: { subject: string; reason: string; actor: string }): Promise<ErasureResult>;
  list(opts: { subject?: string; limit: number }): Promise<ErasureResult[]>;
}

/** Why each retained category must stay (shown to officers and the subject). */
export const KEPT_REASONS: Record<string, string> = {
  ownLogEntries: 'signed entries of the append-only Merkle log cannot be removed without breaking every checkpoint; they carry a pseudonym only, and the consent.withdrawn tombstone makes every peer drop them',
  consentRecords: 'evidence of the legal basis for processing done before the request (PIPL art. 15: earlier processing stands)',
  decisions: 'automated decisions already made stay auditable and contestable (PIPL arts. 15 and 24)',
  merchantQueries: 'credit-reporting rules require the query log (who looked, why, with what consent) to be kept',
  auditEntries: 'the tamper-evident audit log must stay complete to remain verifiable; it holds pseudonyms only',
};

/**
 * Creates the erasure service. `withdrawConsent` withdraws one consent the way the admin API does (tombstone
 * to peers included); erasure calls it for every consent still active before deleting.
 */
export function createErasureService(deps: { db: Db; audit: AuditLog; memberId: string; now: () => Date; random: (n: number) => Uint8Array; withdrawConsent: (id: string) => Promise<void> }): ErasureService {
  const view = (r: typeof erasures.$inferSelect): ErasureResult => ({ id: r.id, subject: r.subject, actor: r.actor, reason: r.reason, executedAt: r.executedAt.toISOString(), deleted: r.deleted, kept: r.kept, auditIndex: r.auditIndex });
  return {
    async execute({ subject, reason, actor }) {
      const active = await deps.db.select({ id: consents.id }).from(consents).where(and(eq(consents.subject, subject), isNull(consents.withdrawnAt)));
      for (const c of active) await deps.withdrawConsent(c.id);
      const at = deps.now();
      const { deleted, kept } = await deps.db.transaction(async (tx) => {
        const n = async (q: Promise<unknown[]>) => (await q).length;
        const deleted = {
          consentsWithdrawn: active.length,
          memberRecords: await n(tx.delete(memberRecords).where(eq(memberRecords.subject, subject)).returning({ k: memberRecords.key })),
          derivationState: await n(tx.delete(derivationSubjects).where(eq(derivationSubjects.subject, subject)).returning({ s: derivationSubjects.subject })) + (await n(tx.delete(derivedSignals).where(eq(derivedSignals.subject, subject)).returning({ s: derivedSignals.subject }))),
          peerSignals: await n(tx.delete(heldSignals).where(and(eq(heldSignals.subjectValue, subject), ne(heldSignals.issuer, deps.memberId))).returning({ i: heldSignals.issuer })),
          externalScores: await n(tx.delete(externalScoreCache).where(eq(externalScoreCache.subject, subject)).returning({ p: externalScoreCache.provider })),
          externalProvenance: await n(tx.delete(externalScoreProvenance).where(eq(externalScoreProvenance.subject, subject)).returning({ id: externalScoreProvenance.id })),
          sealedIdentifier: await n(tx.delete(subjects).where(eq(subjects.pseudonym, subject)).returning({ p: subjects.pseudonym })),
        };
        const cnt = async (q: Promise<{ n: number }[]>) => Number((await q)[0]?.n ?? 0);
        const keptCounts: Record<string, number> = {
          ownLogEntries: await cnt(tx.select({ n: count() }).from(heldSignals).where(and(eq(heldSignals.subjectValue, subject), eq(heldSignals.issuer, deps.memberId)))),
          consentRecords: await cnt(tx.select({ n: count() }).from(consents).where(eq(consents.subject, subject))),
          decisions: await cnt(tx.select({ n: count() }).from(decisions).where(eq(decisions.subject, subject))),
          merchantQueries: await cnt(tx.select({ n: count() }).from(merchantQueryLog).where(eq(merchantQueryLog.subject, subject))),
          auditEntries: await cnt(tx.select({ n: count() }).from(auditEntries).where(eq(auditEntries.subject, subject))),
        };
        const kept = Object.entries(keptCounts).map(([category, c]) => ({ category, count: c, why: KEPT_REASONS[category]! }));
        return { deleted, kept };
      });
      const id = `era_${toBase64Url(deps.random(12))}`;
      const auditIndex = await deps.audit.append({ type: 'erasure.executed', actor, subject, detail: { erasure: id, deleted, kept: kept.map((k) => ({ category: k.category, count: k.count })) } });
      const [row] = await deps.db.insert(erasures).values({ id, subject, actor, reason, executedAt: at, deleted, kept, auditIndex }).returning();
      return view(row!);
    },
    async list({ subject, limit }) {
      const rows = await deps.db.select().from(erasures).where(subject ? eq(erasures.subject, subject) : undefined).orderBy(desc(erasures.executedAt)).limit(Math.max(1, Math.min(200, limit)));
      return rows.map(view);
    },
  };
}
