/**
 * Incremental signal derivation (docs/data-standard.md §7): for each subject whose records changed
 * (`derivation_subjects.state = 'pending'`), derive the desired signals from the stored records,
 * diff them against what this member has published, publish the new ones and retract the replaced
 * ones (`signal.retracted`, reason `superseded`). Subjects without an active sharing consent are
 * skipped and counted; they are derived again when their records next change, or on request.
 */
import { and, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { deriveSignals, diffSignals, groupBySubject, emptySubjectRecords, type DeriveOptions, type TaggedRecord } from '../../adapters/member';
import type { EntityName } from '../../adapters/member';
import type { Logger } from '../observability/logger';
import type { PublishService, SignalToPublish } from '../signals/publish';
import type { Db } from '../store/database';
import { derivationSubjects, derivedSignals, memberRecords } from '../store/schema';

/** Counters of a derivation pass. */
export interface DerivationSummary {
  subjects: number;
  published: number;
  retracted: number;
  /** Subjects skipped because they have no active signal-sharing consent. */
  skippedNoConsent: number;
  /** Signals the protocol refused (counted, logged by code; should not happen). */
  failed: number;
}

/** Dependencies of {@link createDerivation}. */
export interface DerivationDeps {
  db: Db;
  publish: Pick<PublishService, 'publishManyFor'>;
  now: () => Date;
  logger: Logger;
  derive?: DeriveOptions;
}

/** Subjects processed per page (bounded memory). */
const PAGE = 200;

function groupRows<R extends { subject: string }>(rows: R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const list = out.get(r.subject);
    if (list) list.push(r);
    else out.set(r.subject, [r]);
  }
  return out;
}

/** Creates the derivation pass. */
export function createDerivation(deps: DerivationDeps) {
  const { db } = deps;

  async function deriveOne(
    subject: { value: string; kid: string },
    rows: readonly { entity: string; data: unknown }[],
    published: readonly (typeof derivedSignals.$inferSelect)[],
    s: DerivationSummary,
  ): Promise<'done' | 'no-consent'> {
    const tagged: TaggedRecord[] = rows.map((r) => {
      const record = { ...(r.data as Record<string, unknown>) };
      if (r.entity === 'customer') record.subjectId = subject.value;
      return { entity: r.entity as EntityName, record };
    });
    const now = deps.now();
    const records = groupBySubject(tagged).get(subject.value) ?? emptySubjectRecords(subject.value);
    const desired = deriveSignals(records, now, deps.derive);
    const diff = diffSignals(published.map((p) => ({ key: p.key, fingerprint: p.fingerprint, signalId: p.signalId, expiresAt: p.expiresAt })), desired, now.getTime());
    if (!diff.retract.length && !diff.publish.length) return 'done';
    // One consent lookup and one log append for all of the subject's changes: retractions first.
    const res = await deps.publish.publishManyFor(subject, [
      ...diff.retract.map((r) => ({ type: 'signal.retracted' as const, data: { target: r.signalId, reason: 'superseded' } })),
      ...diff.publish.map((d) => ({ type: d.type as SignalToPublish['type'], data: d.data, ...(d.expiresAt ? { expiresAt: d.expiresAt } : {}) })),
    ]);
    if (!res.ok) {
      if (res.code === 'consent-required') return 'no-consent';
      s.failed += diff.retract.length + diff.publish.length;
      deps.logger.error({ code: res.code }, 'could not publish the derived signals of a subject');
      return 'done';
    }
    const retracted: { key: string; signalId: string }[] = [];
    diff.retract.forEach((r, i) => {
      const out = res.results[i]!;
      if (out.ok) retracted.push(r);
      else {
        s.failed++;
        deps.logger.error({ code: out.code, key: r.key }, 'could not retract a derived signal');
      }
    });
    const derived: (typeof derivedSignals.$inferInsert)[] = [];
    diff.publish.forEach((d, i) => {
      const out = res.results[diff.retract.length + i]!;
      if (out.ok) derived.push({ subject: subject.value, key: d.key, fingerprint: d.fingerprint, signalId: out.signal.id, logIndex: out.signal.index, expiresAt: out.signal.expiresAt, publishedAt: now });
      else {
        s.failed++;
        deps.logger.error({ code: out.code, key: d.key, type: d.type }, 'could not publish a derived signal');
      }
    });
    s.retracted += retracted.length;
    s.published += derived.length;
    if (retracted.length) {
      await db.delete(derivedSignals).where(and(eq(derivedSignals.subject, subject.value), or(...retracted.map((r) => and(eq(derivedSignals.key, r.key), eq(derivedSignals.signalId, r.signalId))))));
    }
    if (derived.length) {
      await db.insert(derivedSignals).values(derived).onConflictDoUpdate({
        target: [derivedSignals.subject, derivedSignals.key],
        set: { fingerprint: sql`excluded.fingerprint`, signalId: sql`excluded.signal_id`, logIndex: sql`excluded.log_index`, expiresAt: sql`excluded.expires_at`, publishedAt: sql`excluded.published_at` },
      });
    }
    return 'done';
  }

  return {
    /**
     * Derives every pending subject (and, with `includeNoConsent`, those skipped earlier for lack of
     * consent). Idempotent: the same records publish nothing new.
     */
    async derivePending(opts: { includeNoConsent?: boolean; subjects?: string[]; onSubject?: (done: number) => void } = {}): Promise<DerivationSummary> {
      const s: DerivationSummary = { subjects: 0, published: 0, retracted: 0, skippedNoConsent: 0, failed: 0 };
      const states = opts.includeNoConsent ? ['pending', 'no-consent'] : ['pending'];
      let after = '';
      for (;;) {
        const page = await db.select().from(derivationSubjects)
          .where(and(inArray(derivationSubjects.state, states), gt(derivationSubjects.subject, after), opts.subjects ? inArray(derivationSubjects.subject, opts.subjects) : undefined))
          .orderBy(derivationSubjects.subject).limit(PAGE);
        if (!page.length) break;
        after = page[page.length - 1]!.subject;
        const ids = page.map((p) => p.subject);
        const rows = groupRows(await db.select({ subject: memberRecords.subject, entity: memberRecords.entity, data: memberRecords.data }).from(memberRecords).where(inArray(memberRecords.subject, ids)));
        const published = groupRows(await db.select().from(derivedSignals).where(inArray(derivedSignals.subject, ids)));
        const outcome = { done: [] as string[], 'no-consent': [] as string[] };
        for (const p of page) {
          const state = await deriveOne({ value: p.subject, kid: p.subjectKid }, rows.get(p.subject) ?? [], published.get(p.subject) ?? [], s);
          s.subjects++;
          if (state === 'no-consent') s.skippedNoConsent++;
          outcome[state].push(p.subject);
          opts.onSubject?.(s.subjects);
        }
        for (const [state, subjects] of Object.entries(outcome)) {
          if (subjects.length) await db.update(derivationSubjects).set({ state, updatedAt: deps.now() }).where(inArray(derivationSubjects.subject, subjects));
        }
      }
      return s;
    },
  };
}

/** The derivation pass built by {@link createDerivation}. */
export type Derivation = ReturnType<typeof createDerivation>;
