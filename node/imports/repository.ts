/**
 * Storage of standardized member records (docs/data-standard.md §5.2, §6): idempotent batch upserts
 * keyed by natural key, personal fields sealed, every record attributed to its subject's pseudonym,
 * and the queue of subjects whose signals must be derived again.
 */
import { createHmac } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { splitPersonalData, upsertOutcome, type AcceptedRecord, type KnownKeys, type UpsertOutcome } from '../../adapters/member';
import type { Db } from '../store/database';
import { derivationSubjects, memberRecords } from '../store/schema';
import { seal } from '../subjects/sealing';

/** A subject's pseudonym with its key id. */
export interface SubjectRef { kid: string; value: string }

/** Resolves a normalized subject identifier to its pseudonym (and records the subject, sealed). */
export type ResolveSubject = (normalized: string) => Promise<SubjectRef | null>;

/** Dependencies of {@link createRecordRepository}. */
export interface RecordRepositoryDeps {
  db: Db;
  storageKey: Uint8Array;
  resolveSubject: ResolveSubject;
  now: () => Date;
  random: (n: number) => Uint8Array;
}

/** Result of one batch upsert: outcomes in input order and the records the pipeline could not attribute. */
export interface BatchResult { outcomes: UpsertOutcome[]; unattributed: number }

/** The node's record store. */
export interface RecordRepository extends KnownKeys {
  /** Upserts one batch of records of a single entity; marks affected subjects pending derivation. */
  upsertBatch(records: readonly AcceptedRecord[], importId: string): Promise<BatchResult>;
}

const KNOWN_CACHE_LIMIT = 100_000;

/** Parent key whose subject a record inherits: its customer, or its credit line for installments. */
function parentKey(a: AcceptedRecord): string | null {
  if (a.entity === 'customer') return null;
  if (a.entity === 'installment') return `creditLine:${a.record.creditLineRef}`;
  return `customer:${(a.record as { customerRef: string }).customerRef}`;
}

/** Creates the record repository over `deps.db` (PGlite or PostgreSQL). */
export function createRecordRepository(deps: RecordRepositoryDeps): RecordRepository {
  const { db } = deps;
  const hmacKey = createHmac('sha256', deps.storageKey).update('consortium-node/record-hash/v1').digest();
  const keyedHash = (h: string) => createHmac('sha256', hmacKey).update(h).digest('base64url');
  const known = new Set<string>();

  async function markPending(subjects: Map<string, string>): Promise<void> {
    if (!subjects.size) return;
    const now = deps.now();
    const rows = [...subjects].map(([subject, subjectKid]) => ({ subject, subjectKid, state: 'pending', updatedAt: now }));
    await db.insert(derivationSubjects).values(rows).onConflictDoUpdate({
      target: derivationSubjects.subject,
      set: { state: 'pending', subjectKid: sql`excluded.subject_kid`, updatedAt: now },
    });
  }

  return {
    async has(key) {
      if (known.has(key)) return true;
      const rows = await db.select({ key: memberRecords.key }).from(memberRecords).where(eq(memberRecords.key, key)).limit(1);
      if (!rows.length) return false;
      if (known.size >= KNOWN_CACHE_LIMIT) known.clear();
      known.add(key);
      return true;
    },

    async upsertBatch(records, importId) {
      if (!records.length) return { outcomes: [], unattributed: 0 };
      const keys = records.map((r) => r.key);
      const stored = new Map(
        (await db.select({ key: memberRecords.key, hash: memberRecords.hash, subject: memberRecords.subject, kid: derivationSubjects.subjectKid })
          .from(memberRecords)
          .leftJoin(derivationSubjects, eq(derivationSubjects.subject, memberRecords.subject))
          .where(inArray(memberRecords.key, keys))).map((r) => [r.key, r]),
      );
      const parentKeys = [...new Set(records.map(parentKey).filter((k): k is string => k !== null))];
      const parents = new Map(
        parentKeys.length
          ? (await db.select({ key: memberRecords.key, subject: memberRecords.subject, customerRef: memberRecords.customerRef, kid: derivationSubjects.subjectKid })
              .from(memberRecords)
              .leftJoin(derivationSubjects, eq(derivationSubjects.subject, memberRecords.subject))
              .where(inArray(memberRecords.key, parentKeys))).map((r) => [r.key, r])
          : [],
      );
      const now = deps.now();
      const affected = new Map<string, string>();
      const outcomes: UpsertOutcome[] = [];
      const writes: (typeof memberRecords.$inferInsert)[] = [];
      const moved: { customerRef: string; subject: string }[] = [];
      let unattributed = 0;
      for (const a of records) {
        const hash = keyedHash(a.hash);
        const before = stored.get(a.key);
        const outcome = upsertOutcome(before?.hash, hash);
        outcomes.push(outcome);
        if (outcome === 'unchanged') continue;
        const { personal, rest } = splitPersonalData(a.entity, a.record as Record<string, unknown>);
        let subject: SubjectRef | null;
        let customerRef: string;
        if (a.entity === 'customer') {
          subject = await deps.resolveSubject(a.record.subjectId);
          customerRef = a.record.customerRef;
        } else {
          const p = parents.get(parentKey(a)!);
          subject = p ? { value: p.subject, kid: p.kid ?? '' } : null;
          customerRef = p?.customerRef ?? '';
        }
        if (!subject) {
          // The pipeline's referential check makes this unreachable; counted rather than dropped silently.
          outcomes[outcomes.length - 1] = 'unchanged';
          unattributed++;
          continue;
        }
        if (subject.kid) affected.set(subject.value, subject.kid);
        if (before && before.subject !== subject.value) {
          if (before.kid) affected.set(before.subject, before.kid);
          if (a.entity === 'customer') moved.push({ customerRef, subject: subject.value });
        }
        const hasPersonal = Object.keys(personal).length > 0;
        writes.push({
          key: a.key, entity: a.entity, subject: subject.value, customerRef, hash, data: rest,
          sealed: hasPersonal ? seal(JSON.stringify(personal), deps.storageKey, deps.random) : null,
          importId, updatedAt: now,
        });
      }
      if (writes.length) {
        await db.insert(memberRecords).values(writes).onConflictDoUpdate({
          target: memberRecords.key,
          set: {
            entity: sql`excluded.entity`, subject: sql`excluded.subject`, customerRef: sql`excluded.customer_ref`, hash: sql`excluded.hash`,
            data: sql`excluded.data`, sealed: sql`excluded.sealed`, importId: sql`excluded.import_id`, updatedAt: sql`excluded.updated_at`,
          },
        });
        for (const w of writes) {
          if (known.size >= KNOWN_CACHE_LIMIT) known.clear();
          known.add(w.key);
        }
      }
      // A customer whose identifier was corrected takes its records along to the new pseudonym.
      for (const m of moved) {
        await db.update(memberRecords).set({ subject: m.subject }).where(and(eq(memberRecords.customerRef, m.customerRef), sql`${memberRecords.subject} <> ${m.subject}`));
      }
      await markPending(affected);
      return { outcomes, unattributed };
    },
  };
}
