/**
 * Incremental signal derivation (docs/data-standard.md §7): for each subject whose records changed
 * (`derivation_subjects.state = 'pending'`), derive the desired signals from the stored records,
 * diff them against what this member has published, publish the new ones and retract the replaced
 * ones (`signal.retracted`, reason `superseded`). Subjects without an active sharing consent are
 * skipped and counted; they are derived again when their records next change, or on request.
 */
import { and, gt, inArray, sql } from 'drizzle-orm';
import { deriveSignals, diffSignals, groupBySubject, emptySubjectRecords, type DeriveOptions, type TaggedRecord } from '../../adapters/member';
import type { EntityName } from '../../adapters/member';
import type { Logger } from '../observability/logger';
import type { PublishService, SignalToPublish } from '../signals/publish';
import type { Db } from '../store/database';
import { derivationSubjects, derivedSignals, memberRecords } from '../store/schema';
import { textArray } from '../store/sql-arrays';

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
  publish: Pick<PublishService, 'publishForSubjects'>;
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

  /** What a subject's records call for against what it has published: retractions and new states (or nothing). */
  function plan(subject: { value: string; kid: string }, rows: readonly { entity: string; data: unknown }[], published: readonly (typeof derivedSignals.$inferSelect)[], now: Date) {
    const tagged: TaggedRecord[] = rows.map((r) => {
      const record = { ...(r.data as Record<string, unknown>) };
      if (r.entity === 'customer') record.subjectId = subject.value;
      return { entity: r.entity as EntityName, record };
    });
    const records = groupBySubject(tagged).get(subject.value) ?? emptySubjectRecords(subject.value);
    const desired = deriveSignals(records, now, deps.derive);
    return diffSignals(published.map((p) => ({ key: p.key, fingerprint: p.fingerprint, signalId: p.signalId, expiresAt: p.expiresAt })), desired, now.getTime());
  }
  type Plan = ReturnType<typeof plan>;
  type Answer = Awaited<ReturnType<PublishService['publishForSubjects']>>[number];

  /** Counts one subject's publication answer and collects the rows `derived_signals` must lose and gain. */
  function settle(subject: string, diff: Plan, res: Answer, now: Date, s: DerivationSummary, out: { retracted: { subject: string; key: string; signalId: string }[]; derived: (typeof derivedSignals.$inferInsert)[] }): 'done' | 'no-consent' {
    if (!res.ok) {
      if (res.code === 'consent-required') return 'no-consent';
      s.failed += diff.retract.length + diff.publish.length;
      deps.logger.error({ code: res.code }, 'could not publish the derived signals of a subject');
      return 'done';
    }
    diff.retract.forEach((r, i) => {
      const answer = res.results[i]!;
      if (answer.ok) {
        s.retracted++;
        out.retracted.push({ subject, key: r.key, signalId: r.signalId });
      } else {
        s.failed++;
        deps.logger.error({ code: answer.code, key: r.key }, 'could not retract a derived signal');
      }
    });
    diff.publish.forEach((d, i) => {
      const answer = res.results[diff.retract.length + i]!;
      if (answer.ok) {
        s.published++;
        out.derived.push({ subject, key: d.key, fingerprint: d.fingerprint, signalId: answer.signal.id, logIndex: answer.signal.index, expiresAt: answer.signal.expiresAt, publishedAt: now });
      } else {
        s.failed++;
        deps.logger.error({ code: answer.code, key: d.key, type: d.type }, 'could not publish a derived signal');
      }
    });
    return 'done';
  }

  /** Publishes the changes of a page of subjects at once (one consent query, one log append) and records them. */
  async function derivePage(page: readonly (typeof derivationSubjects.$inferSelect)[], s: DerivationSummary): Promise<Map<string, 'done' | 'no-consent'>> {
    const ids = page.map((p) => p.subject);
    const rows = groupRows(await db.select({ subject: memberRecords.subject, entity: memberRecords.entity, data: memberRecords.data }).from(memberRecords).where(inArray(memberRecords.subject, ids)));
    const published = groupRows(await db.select().from(derivedSignals).where(inArray(derivedSignals.subject, ids)));
    const now = deps.now();
    const states = new Map<string, 'done' | 'no-consent'>();
    const changed: { subject: { value: string; kid: string }; diff: Plan }[] = [];
    for (const p of page) {
      const subject = { value: p.subject, kid: p.subjectKid };
      const diff = plan(subject, rows.get(p.subject) ?? [], published.get(p.subject) ?? [], now);
      if (diff.retract.length || diff.publish.length) changed.push({ subject, diff });
      else states.set(p.subject, 'done');
    }
    // Retractions first, then new states, subject by subject, in one append.
    const answers = changed.length ? await deps.publish.publishForSubjects(changed.map(({ subject, diff }) => ({
      subject,
      signals: [
        ...diff.retract.map((r) => ({ type: 'signal.retracted' as const, data: { target: r.signalId, reason: 'superseded' } })),
        ...diff.publish.map((d) => ({ type: d.type as SignalToPublish['type'], data: d.data, ...(d.expiresAt ? { expiresAt: d.expiresAt } : {}) })),
      ],
    }))) : [];
    const out = { retracted: [] as { subject: string; key: string; signalId: string }[], derived: [] as (typeof derivedSignals.$inferInsert)[] };
    changed.forEach(({ subject, diff }, i) => states.set(subject.value, settle(subject.value, diff, answers[i]!, now, s, out)));
    if (out.retracted.length) {
      await db.execute(sql`delete from derived_signals d using unnest(${textArray(out.retracted.map((r) => r.subject))}, ${textArray(out.retracted.map((r) => r.key))}, ${textArray(out.retracted.map((r) => r.signalId))}) as u(subject, key, signal_id)
        where d.subject = u.subject and d.key = u.key and d.signal_id = u.signal_id`);
    }
    if (out.derived.length) {
      await db.insert(derivedSignals).values(out.derived).onConflictDoUpdate({
        target: [derivedSignals.subject, derivedSignals.key],
        set: { fingerprint: sql`excluded.fingerprint`, signalId: sql`excluded.signal_id`, logIndex: sql`excluded.log_index`, expiresAt: sql`excluded.expires_at`, publishedAt: sql`excluded.published_at` },
      });
    }
    return states;
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
        const settled = await derivePage(page, s);
        const outcome = { done: [] as string[], 'no-consent': [] as string[] };
        for (const p of page) {
          const state = settled.get(p.subject)!;
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
