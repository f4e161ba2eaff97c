/**
 * Storage of standardized member records (docs/data-standard.md §5.2, §6): idempotent batch upserts
 * keyed by natural key, personal fields sealed, every record attributed to its subject's pseudonym,
 * and the queue of subjects whose signals must be derived again.
 *
 * Built for bulk imports: one transaction per batch, new keys loaded by COPY and changed ones upserted
 * with the rows as one JSON parameter, stored state read with one `unnest` lookup per batch (skipped
 * while an entity had no stored rows when the import began: every key is then new, since the
 * pipeline de-duplicates keys within an import), parents' pseudonyms cached per import, and subjects
 * queued for derivation only when a record that can change their signals changed
 * (`SIGNAL_SOURCE_ENTITIES`).
 *
 * A record of such a new-keys-only entity without personal fields whose parent is cached is encoded
 * as its COPY row the moment it is staged ({@link RecordBatch.add}): a batch then holds bytes, not
 * thousands of objects that would outlive young-generation collections. The rest waits for the
 * batch's commit, where stored state and parents are looked up in one query each.
 */
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { piiFields, refKey, SIGNAL_SOURCE_ENTITIES, upsertOutcome, type AcceptedRecord, type EntityName, type KnownKeys, type UpsertOutcome } from '../../adapters/member';
import { CopyBuffer, copyField, type BulkSession, type BulkTransaction } from '../store/bulk';
import type { Db } from '../store/database';
import { textArray } from '../store/sql-arrays';
import { seal } from '../subjects/sealing';
import {
  appendCopyRow, appendUpsertJson, closeUpsertJson, COPY_COLUMNS, parentEntityOf, parentRefOf, rowsOfCopy, UPSERT_SQL, type CopyContext, type Parent, type ParentEntity, type StoredRow,
} from './record-rows';
import { countRecords, createStoredKeys } from './stored-keys';

/** A subject's pseudonym with its key id. */
export interface SubjectRef { kid: string; value: string }

/**
 * Resolves subject identifiers to their pseudonyms (null: invalid) and records the subjects, sealed;
 * a whole batch's in one call. Results are in input order.
 */
export type ResolveSubjects = (identifiers: readonly string[]) => Promise<(SubjectRef | null)[]>;

/** Dependencies of {@link createRecordRepository}. */
export interface RecordRepositoryDeps {
  db: Db;
  /** Bulk transactions of the same database (`Database.bulk`): records are written by COPY. */
  bulk: BulkTransaction;
  storageKey: Uint8Array;
  resolveSubjects: ResolveSubjects;
  now: () => Date;
  random: (n: number) => Uint8Array;
}

/** Result of one batch: outcomes in the order records were added, and the records the pipeline could not attribute. */
export interface BatchResult { outcomes: UpsertOutcome[]; unattributed: number }

/** Records of one entity staged for one transaction. */
export interface RecordBatch {
  /** Stages `record` (of the batch's entity); encoded at once when nothing about it needs the database. */
  add(record: AcceptedRecord): void;
  /** Records staged so far. */
  readonly size: number;
  /** Writes the staged records and marks affected subjects pending derivation, in one transaction. Call once. */
  commit(): Promise<BatchResult>;
}

/** The node's record store. */
export interface RecordRepository extends KnownKeys {
  /** Starts an import: forgets per-import caches (pending marks, preloaded keys, parents, entity counts). */
  beginImport(): void;
  /** A new batch of `entity` records for import `importId`. */
  openBatch(entity: EntityName, importId: string): RecordBatch;
  /** Stages `records` (one entity) in a new batch and commits it. */
  upsertBatch(records: readonly AcceptedRecord[], importId: string): Promise<BatchResult>;
}

/** Subjects remembered as marked pending during an import. */
const MARKED_LIMIT = 100_000;
/** Parents (customers, credit lines) whose attribution is cached during an import. */
const PARENT_CACHE_LIMIT = 200_000;

const UNIQUE_VIOLATION = '23505';

/** Rows of a raw `execute` on either driver (node-postgres: `{ rows }`; PGlite: `{ rows }` too). */
const rowsOf = <R>(res: unknown): R[] => (res as { rows: R[] }).rows;

/** What a batch holds until its commit. */
interface Staged {
  entity: EntityName;
  importId: string;
  /** New keys as COPY rows; `freshSlots[i]` is the outcome slot of the i-th row. */
  fresh: CopyBuffer;
  freshSlots: number[];
  /** Records that need stored state or a parent looked up (or a subject resolved) first, with their outcome slot. */
  deferred: AcceptedRecord[];
  deferredSlots: number[];
  outcomes: UpsertOutcome[];
  /** Subjects (with key id) whose signals may change. */
  affected: Map<string, string>;
  /** Parents written by this batch (customers, credit lines), by reference, cached once committed. */
  written: [ref: string, parent: Parent][];
  /** Changed keys, as the upsert's JSON rows. */
  changed: string;
  /** Customers whose identifier was corrected: their records move to the new pseudonym. */
  moved: { customerRef: string; from: string; to: string }[];
  unattributed: number;
  /** The batch's constant COPY fields. */
  ctx: CopyContext;
}

/** Creates the record repository over `deps.db` (PGlite or PostgreSQL). */
export function createRecordRepository(deps: RecordRepositoryDeps): RecordRepository {
  const { db } = deps;
  const hmacKey = createHmac('sha256', deps.storageKey).update('consortium-node/record-hash/v1').digest();
  /**
   * Stored hash: for entities with personal fields a keyed digest (HMAC with the storage key) of the
   * content hash, so no guessable digest of personal data is stored; for the others the content
   * hash itself (it digests only what `data` holds in clear anyway).
   */
  const storedHash = (keyed: boolean, h: string) => (keyed ? createHmac('sha256', hmacKey).update(h).digest('base64url') : h);
  const storedKeys = createStoredKeys(db);
  /** Cached attributions by parent entity and reference (a reference, not a built key: no string made per row). */
  const parents: Record<ParentEntity, Map<string, Parent>> = { customer: new Map(), creditLine: new Map() };
  /** Whether an entity had no stored row when this import first wrote it (then its keys need no lookup). */
  const emptyAtStart = new Map<string, boolean>();
  /** Counts of entities not settled in `emptyAtStart` yet, one per entity. */
  const counting = new Map<string, Promise<boolean>>();
  /** COPY buffers of committed batches, reused: a batch's megabytes are not allocated again per batch. */
  const spareBuffers: CopyBuffer[] = [];

  /** Subjects marked pending during the current import (bounded): each is written once per import. */
  const marked = new Set<string>();
  /** Marks `subjects` pending in `tx`; returns those written (remembered in `marked` once `tx` committed). */
  async function markPending(tx: BulkSession, subjects: Map<string, string>, now: string): Promise<string[]> {
    // sorted: concurrent batches lock the same subjects in the same order (no deadlock)
    const rows = [...subjects].filter(([subject]) => !marked.has(subject)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    if (!rows.length) return [];
    await tx.query(`
      insert into derivation_subjects (subject, subject_kid, state, updated_at)
      select u.subject, u.kid, 'pending', $3::timestamptz from unnest($1::text[], $2::text[]) as u(subject, kid)
      on conflict (subject) do update set state = 'pending', subject_kid = excluded.subject_kid, updated_at = excluded.updated_at`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), now]);
    return rows.map((r) => r[0]);
  }

  /** Remembers subjects marked by a committed batch, so each is written once per import (bounded). */
  function remember(subjects: readonly string[]): void {
    if (marked.size + subjects.length > MARKED_LIMIT) marked.clear();
    for (const s of subjects) marked.add(s);
  }

  /** Whether `entity` had no stored rows when this import first asked (counted once per import). */
  function wasEmptyAtStart(entity: string): Promise<boolean> {
    const settled = emptyAtStart.get(entity);
    if (settled !== undefined) return Promise.resolve(settled);
    let p = counting.get(entity);
    if (!p) {
      p = countRecords(db, entity)
        .then((n) => {
          if (!emptyAtStart.has(entity)) emptyAtStart.set(entity, n === 0);
          return emptyAtStart.get(entity)!;
        })
        .finally(() => counting.delete(entity));
      counting.set(entity, p);
    }
    return p;
  }

  function clearParents(): void {
    parents.customer.clear();
    parents.creditLine.clear();
  }

  /** Caches `parent` of `entity` (`customer`, `creditLine`) by reference, within the cache bound. */
  function cacheParent(entity: ParentEntity, ref: string, parent: Parent): void {
    const map = parents[entity];
    if (!map.has(ref) && parents.customer.size + parents.creditLine.size >= PARENT_CACHE_LIMIT) return;
    map.set(ref, parent);
  }

  /** Loads the attribution of the `entity` records referenced by `refs` (not cached yet). */
  async function loadParents(entity: ParentEntity, refs: readonly string[]): Promise<void> {
    const map = parents[entity];
    let missing = refs.filter((r) => !map.has(r));
    if (!missing.length) return;
    if (parents.customer.size + parents.creditLine.size + missing.length > PARENT_CACHE_LIMIT) {
      clearParents(); // and start over with all this batch needs
      missing = [...refs];
    }
    for (const r of (await storedState(missing.map((ref) => refKey(entity, ref)))).values()) {
      map.set(r.key.slice(entity.length + 1), { subject: r.subject, customerRef: r.customer_ref, kid: r.kid ?? '' });
    }
  }

  return {
    beginImport() {
      storedKeys.clear();
      marked.clear();
      clearParents();
      emptyAtStart.clear();
      counting.clear();
    },
    has: storedKeys.has,
    hasRef: storedKeys.hasRef,
    openBatch,
    async upsertBatch(records, importId) {
      if (!records.length) return { outcomes: [], unattributed: 0 };
      const batch = openBatch(records[0]!.entity, importId);
      for (const r of records) batch.add(r);
      return batch.commit();
    },
  };

  /** Stored state of `keys` that are stored (hash, subject and its key id, customer reference), by key. */
  async function storedState(keys: readonly string[]) {
    const rows = rowsOf<{ key: string; hash: string; subject: string; customer_ref: string; kid: string | null }>(await db.execute(sql`
      select m.key, m.hash, m.subject, m.customer_ref, d.subject_kid as kid
      from unnest(${textArray(keys)}) as k(key) join member_records m on m.key = k.key
      left join derivation_subjects d on d.subject = m.subject`));
    return new Map(rows.map((r) => [r.key, r]));
  }

  function openBatch(entity: EntityName, importId: string): RecordBatch {
    const parentEntity = parentEntityOf(entity);
    const parentMap = parentEntity ? parents[parentEntity] : null;
    const pii = piiFields(entity);
    const s: Staged = {
      entity, importId, fresh: spareBuffers.pop() ?? new CopyBuffer(), freshSlots: [], deferred: [], deferredSlots: [], outcomes: [], affected: new Map(), written: [],
      changed: '', moved: [], unattributed: 0,
      ctx: { entity, importField: copyField(importId), nowText: deps.now().toISOString() },
    };
    // Encoded at once: new keys only (the entity was empty when the import began), no personal
    // fields, and a cached parent. The staged record's objects then die young.
    const immediate = pii.length === 0 && parentMap !== null;
    let committed = false;
    return {
      get size() { return s.outcomes.length; },
      add(a) {
        if (committed) throw new Error('record batch already committed');
        if (a.entity !== entity) throw new Error(`record batch of ${entity} given a ${a.entity} record`);
        const slot = s.outcomes.length;
        s.outcomes.push('inserted');
        const parent = immediate && emptyAtStart.get(entity) === true ? parentMap.get(parentRefOf(a)) : undefined;
        if (parent) stageRow(s, slot, a, { key: a.key, subject: parent.subject, customerRef: parent.customerRef, hash: a.hash, data: a.json, sealed: null }, parent.kid);
        else {
          s.deferred.push(a);
          s.deferredSlots.push(slot);
        }
      },
      async commit() {
        if (committed) throw new Error('record batch already committed');
        committed = true;
        if (!s.outcomes.length) return { outcomes: [], unattributed: 0 };
        await resolveDeferred(s, pii);
        return write(s);
      },
    };
  }

  /** Notes what storing `row` affects: subjects to derive again, parents to cache. */
  function note(s: Staged, a: AcceptedRecord, row: StoredRow, kid: string, before: { subject: string; kid: string | null } | undefined): void {
    if (SIGNAL_SOURCE_ENTITIES.has(s.entity)) {
      if (kid) s.affected.set(row.subject, kid);
      if (before && before.subject !== row.subject && before.kid) s.affected.set(before.subject, before.kid);
    }
    const ref = a.entity === 'customer' ? a.record.customerRef : a.entity === 'creditLine' ? a.record.creditLineRef : null;
    if (ref !== null) s.written.push([ref, { subject: row.subject, customerRef: row.customerRef, kid }]);
  }

  /** Stages a new key as a COPY row. */
  function stageRow(s: Staged, slot: number, a: AcceptedRecord, row: StoredRow, kid: string): void {
    note(s, a, row, kid, undefined);
    s.freshSlots.push(slot);
    appendCopyRow(s.fresh, s.ctx, row);
  }

  /** Stages a changed key for the upsert; a customer attributed to another subject takes its records along. */
  function stageChanged(s: Staged, row: StoredRow, before: { subject: string; kid: string | null }): void {
    if (s.entity === 'customer' && before.subject !== row.subject) s.moved.push({ customerRef: row.customerRef, from: before.subject, to: row.subject });
    s.changed = appendUpsertJson(s.changed, row);
  }

  /** Attributes, seals and stages the records that were waiting for the database (stored state, parents, subjects). */
  async function resolveDeferred(s: Staged, pii: readonly string[]): Promise<void> {
    if (!s.deferred.length) return;
    const { deferred: records, deferredSlots: slots, entity } = s;
    s.deferred = [];
    s.deferredSlots = [];
    const stored = (await wasEmptyAtStart(entity)) ? null : await storedState(records.map((r) => r.key));
    const parentEntity = parentEntityOf(entity);
    if (parentEntity) await loadParents(parentEntity, [...new Set(records.map(parentRefOf))]);
    const keyed = pii.length > 0;
    const hashes = records.map((a) => storedHash(keyed, a.hash));
    const outcomes = records.map((a, i) => upsertOutcome(stored?.get(a.key)?.hash, hashes[i]!));
    // Customers' subjects are resolved (and recorded) for the whole batch at once, not one round trip each.
    const toResolve = entity === 'customer' ? records.filter((_, i) => outcomes[i] !== 'unchanged').map((a) => (a.record as { subjectId: string }).subjectId) : [];
    const resolved = toResolve.length ? await deps.resolveSubjects(toResolve) : [];
    let nextResolved = 0;
    for (let i = 0; i < records.length; i++) {
      const a = records[i]!;
      const slot = slots[i]!;
      const outcome = (s.outcomes[slot] = outcomes[i]!);
      if (outcome === 'unchanged') continue;
      let p: Parent | undefined;
      if (a.entity === 'customer') {
        const r = resolved[nextResolved++];
        p = r ? { subject: r.value, kid: r.kid, customerRef: a.record.customerRef } : undefined;
      } else p = parents[parentEntity!].get(parentRefOf(a));
      if (!p?.subject) {
        // The pipeline's referential check makes this unreachable; counted rather than dropped silently.
        s.outcomes[slot] = 'unchanged';
        s.unattributed++;
        continue;
      }
      let data: string;
      let sealed: Uint8Array | null = null;
      if (keyed) {
        const personal: Record<string, unknown> = {};
        const rest: Record<string, unknown> = {};
        const record = a.record as Record<string, unknown>;
        for (const k in record) (pii.includes(k) ? personal : rest)[k] = record[k];
        data = JSON.stringify(rest);
        if (Object.keys(personal).length) sealed = seal(JSON.stringify(personal), deps.storageKey, deps.random);
      } else data = a.json; // the record's canonical JSON, made once by the pipeline
      const row: StoredRow = { key: a.key, subject: p.subject, customerRef: p.customerRef, hash: hashes[i]!, data, sealed };
      const before = stored?.get(a.key);
      if (before) {
        note(s, a, row, p.kid, before);
        stageChanged(s, row, before);
      } else stageRow(s, slot, a, row, p.kid);
    }
  }

  /**
   * After a COPY failed on a key stored behind this import's back: the batch's new keys are read back
   * from their COPY rows and staged again against a fresh lookup (new ones by COPY, the others by upsert).
   */
  async function restageFresh(s: Staged): Promise<void> {
    const rows = rowsOfCopy(s.fresh.bytes());
    const slots = s.freshSlots;
    s.fresh = new CopyBuffer();
    s.freshSlots = [];
    const stored = await storedState(rows.map((r) => r.key));
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const before = stored.get(row.key);
      const outcome = upsertOutcome(before?.hash, row.hash);
      s.outcomes[slots[i]!] = outcome;
      if (outcome === 'unchanged') continue;
      if (!before) {
        s.freshSlots.push(slots[i]!);
        appendCopyRow(s.fresh, s.ctx, row);
        continue;
      }
      if (SIGNAL_SOURCE_ENTITIES.has(s.entity) && before.subject !== row.subject && before.kid) s.affected.set(before.subject, before.kid);
      stageChanged(s, row, before);
    }
  }

  /**
   * Writes a staged batch in one bulk transaction: new keys by COPY, changed ones by an upsert, moved
   * customers' records, pending marks. A key stored behind this import's back (unique violation on
   * COPY) rolls the batch back and retries it once with a fresh lookup.
   */
  async function write(s: Staged, retried = false): Promise<BatchResult> {
    const nowText = s.ctx.nowText;
    try {
      if (s.fresh.length || s.changed) remember(await deps.bulk(async (tx) => {
        if (s.fresh.length) await tx.copyIn('member_records', COPY_COLUMNS, s.fresh.bytes());
        if (s.changed) await tx.query(UPSERT_SQL, [closeUpsertJson(s.changed), s.entity, s.importId, nowText]);
        // A customer whose identifier was corrected takes its records along to the new pseudonym. Its
        // records carry the customer's old pseudonym (children are always attributed through their
        // customer or credit line), so they are found through the subject index; customer_ref alone
        // has no index.
        for (const m of s.moved) {
          await tx.query('update member_records set subject = $1 where subject = $2 and customer_ref = $3', [m.to, m.from, m.customerRef]);
        }
        return markPending(tx, s.affected, nowText);
      }));
    } catch (err) {
      if (retried || !s.fresh.length || (err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      emptyAtStart.set(s.entity, false); // a failed COPY proves it is not empty
      await restageFresh(s);
      return write(s, true);
    }
    if (spareBuffers.length < 4) {
      s.fresh.clear();
      spareBuffers.push(s.fresh);
    }
    // Parents written now attribute their children from here on; a moved customer stales its lines.
    if (s.moved.length) clearParents();
    else for (const [ref, parent] of s.written) cacheParent(s.entity as ParentEntity, ref, parent);
    return { outcomes: s.outcomes, unattributed: s.unattributed };
  }
}
