/**
 * Storage of standardized member records (docs/data-standard.md §5.2, §6): idempotent batch upserts
 * keyed by natural key, personal fields sealed, every record attributed to its subject's pseudonym,
 * and the queue of subjects whose signals must be derived again.
 *
 * Built for bulk imports: one transaction per batch, new keys loaded by COPY and changed ones upserted
 * with the rows as one JSON parameter, stored state read with one `unnest` lookup per batch (skipped while an entity had no stored rows when the import
 * began: every key is then new, since the pipeline de-duplicates keys within an import), parents'
 * pseudonyms cached per import, and subjects queued for derivation only when a record that can
 * change their signals changed (`SIGNAL_SOURCE_ENTITIES`).
 */
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { piiFields, SIGNAL_SOURCE_ENTITIES, upsertOutcome, type AcceptedRecord, type EntityName, type KnownKeys, type UpsertOutcome } from '../../adapters/member';
import { CopyBuffer, copyField, type BulkSession, type BulkTransaction } from '../store/bulk';
import type { Db } from '../store/database';
import { memberRecords } from '../store/schema';
import { seal } from '../subjects/sealing';

/** A subject's pseudonym with its key id. */
export interface SubjectRef { kid: string; value: string }

/** Resolves a normalized subject identifier to its pseudonym (and records the subject, sealed). */
export type ResolveSubject = (normalized: string) => Promise<SubjectRef | null>;

/** Dependencies of {@link createRecordRepository}. */
export interface RecordRepositoryDeps {
  db: Db;
  /** Bulk transactions of the same database (`Database.bulk`): records are written by COPY. */
  bulk: BulkTransaction;
  storageKey: Uint8Array;
  resolveSubject: ResolveSubject;
  now: () => Date;
  random: (n: number) => Uint8Array;
}

/** Result of one batch upsert: outcomes in input order and the records the pipeline could not attribute. */
export interface BatchResult { outcomes: UpsertOutcome[]; unattributed: number }

/** The node's record store. */
export interface RecordRepository extends KnownKeys {
  /** Starts an import: forgets per-import caches (pending marks, preloaded keys, parents, entity counts). */
  beginImport(): void;
  /** Upserts one batch of records of a single entity; marks affected subjects pending derivation. */
  upsertBatch(records: readonly AcceptedRecord[], importId: string): Promise<BatchResult>;
}

const KNOWN_CACHE_LIMIT = 100_000;
/** Keys of one referenced entity loaded at once for referential checks (about 100 bytes each). */
const PRELOAD_LIMIT = 500_000;
/** Parents (customers, credit lines) whose pseudonym is cached during an import. */
const PARENT_CACHE_LIMIT = 200_000;

/** A parent record's attribution: the subject its children inherit. */
interface Parent { subject: string; customerRef: string; kid: string }

/** Parent key whose subject a record inherits: its customer, or its credit line for installments. */
function parentKey(a: AcceptedRecord): string | null {
  if (a.entity === 'customer') return null;
  if (a.entity === 'installment') return `creditLine:${a.record.creditLineRef}`;
  return `customer:${(a.record as { customerRef: string }).customerRef}`;
}

const UNIQUE_VIOLATION = '23505';
const COPY_COLUMNS = ['key', 'entity', 'subject', 'customer_ref', 'hash', 'data', 'sealed', 'import_id', 'updated_at'] as const;

/** `$1::text[]` of `xs`, one bound parameter whatever its length. */
const textArray = (xs: readonly string[]) => sql`${sql.param(xs)}::text[]`;

/** Rows of a raw `execute` on either driver (node-postgres: `{ rows }`; PGlite: `{ rows }` too). */
const rowsOf = <R>(res: unknown): R[] => (res as { rows: R[] }).rows;

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
  const known = new Set<string>();
  const preloaded = new Map<string, Set<string> | null>();
  const parents = new Map<string, Parent>();
  /** The last entity `has` was asked about and its preloaded keys (imports ask about one entity row after row). */
  let lastEntity = '';
  let lastKeys: Set<string> | undefined;
  /** Entities with no stored row when this import first wrote them: their keys need no lookup. */
  const emptyAtStart = new Map<string, boolean>();

  /** Subjects already marked pending during the current import (bounded), so each is written once per import. */
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
    if (marked.size + subjects.length > KNOWN_CACHE_LIMIT) marked.clear();
    for (const s of subjects) marked.add(s);
  }

  async function countOf(entity: string): Promise<number> {
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(memberRecords).where(eq(memberRecords.entity, entity));
    return count?.n ?? 0;
  }

  /** Loads the attribution of `keys` not cached yet. */
  async function loadParents(keys: readonly string[]): Promise<void> {
    const missing = keys.filter((k) => !parents.has(k));
    if (!missing.length) return;
    if (parents.size + missing.length > PARENT_CACHE_LIMIT) parents.clear();
    const rows = rowsOf<{ key: string; subject: string; customer_ref: string; kid: string | null }>(await db.execute(sql`
      select m.key, m.subject, m.customer_ref, d.subject_kid as kid
      from unnest(${textArray(missing)}) as k(key) join member_records m on m.key = k.key
      left join derivation_subjects d on d.subject = m.subject`));
    for (const r of rows) parents.set(r.key, { subject: r.subject, customerRef: r.customer_ref, kid: r.kid ?? '' });
  }

  return {
    beginImport() {
      lastEntity = '';
      lastKeys = undefined;
      marked.clear();
      preloaded.clear();
      known.clear();
      parents.clear();
      emptyAtStart.clear();
    },
    has,

    async upsertBatch(records, importId) {
      if (!records.length) return { outcomes: [], unattributed: 0 };
      return upsert(records, importId);
    },
  };

  /** Whether `key` is stored: synchronous while its entity is preloaded (no promise per row). */
  function has(key: string): boolean | Promise<boolean> {
    if (known.size > 0 && known.has(key)) return true;
    if (lastKeys && key.charCodeAt(lastEntity.length) === 58 && key.startsWith(lastEntity)) return lastKeys.has(key);
    const entity = key.slice(0, key.indexOf(':'));
    const set = preloaded.get(entity);
    if (set) {
      lastEntity = entity;
      lastKeys = set;
      return set.has(key);
    }
    return set === null ? lookUp(key) : preload(entity).then(() => has(key));
  }

  /** Loads the keys of a referenced entity once per import when small enough; otherwise they are looked up per key. */
  async function preload(entity: string): Promise<void> {
    if (preloaded.has(entity)) return;
    const set = (await countOf(entity)) <= PRELOAD_LIMIT
      ? new Set((await db.select({ key: memberRecords.key }).from(memberRecords).where(eq(memberRecords.entity, entity))).map((r) => r.key))
      : null;
    preloaded.set(entity, set);
  }

  async function lookUp(key: string): Promise<boolean> {
    const rows = await db.select({ key: memberRecords.key }).from(memberRecords).where(eq(memberRecords.key, key)).limit(1);
    if (!rows.length) return false;
    if (known.size >= KNOWN_CACHE_LIMIT) known.clear();
    known.add(key);
    return true;
  }

  /** The attribution of each record's parent: one cache look-up per row, the parents not cached yet loaded in one query. */
  async function parentsOf(keys: readonly (string | null)[]): Promise<(Parent | undefined)[]> {
    const out: (Parent | undefined)[] = new Array(keys.length);
    let missing: Set<string> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === null || k === undefined) continue;
      const p = parents.get(k);
      if (p) out[i] = p;
      else (missing ??= new Set()).add(k);
    }
    if (missing) {
      await loadParents([...missing]);
      for (let i = 0; i < keys.length; i++) if (out[i] === undefined && keys[i]) out[i] = parents.get(keys[i]!);
    }
    return out;
  }

  /** Stored state of `keys` (hash, subject and its key id), unless the entity was empty when the import began. */
  async function storedState(entity: string, records: readonly AcceptedRecord[]) {
    let empty = emptyAtStart.get(entity);
    if (empty === undefined) emptyAtStart.set(entity, (empty = (await countOf(entity)) === 0));
    if (empty) return new Map<string, { hash: string; subject: string; kid: string | null }>();
    const rows = rowsOf<{ key: string; hash: string; subject: string; kid: string | null }>(await db.execute(sql`
      select m.key, m.hash, m.subject, d.subject_kid as kid
      from unnest(${textArray(records.map((r) => r.key))}) as k(key) join member_records m on m.key = k.key
      left join derivation_subjects d on d.subject = m.subject`));
    return new Map(rows.map((r) => [r.key, r]));
  }

  /**
   * Reads stored state and resolves subjects outside, then writes records and the pending marks in one
   * bulk transaction: new keys by COPY, changed ones by an upsert. A key stored behind this import's
   * back (unique violation on COPY) rolls the batch back and retries it once with a fresh lookup.
   */
  async function upsert(records: readonly AcceptedRecord[], importId: string, retried = false): Promise<BatchResult> {
    try {
      return await write(records, importId);
    } catch (err) {
      if (retried || (err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      emptyAtStart.set(records[0]!.entity, false);
      return upsert(records, importId, true);
    }
  }

  async function write(records: readonly AcceptedRecord[], importId: string): Promise<BatchResult> {
    const entity = records[0]!.entity;
    const stored = await storedState(entity, records);
    const rowParents = await parentsOf(records.map(parentKey));
    const pii = piiFields(entity);
    const keyedHash = pii.length > 0;
    const now = deps.now();
    const nowText = now.toISOString();
    const importField = copyField(importId);
    const affected = new Map<string, string>();
    const outcomes: UpsertOutcome[] = [];
    const moved: { customerRef: string; from: string; to: string }[] = [];
    const written: [key: string, parent: Parent][] = [];
    const relevant = SIGNAL_SOURCE_ENTITIES.has(entity);
    /** Keys written, for the entity's preloaded key set (added once the batch committed). */
    const added: string[] | null = preloaded.get(entity) ? [] : null;
    /** New keys, as COPY text rows encoded straight into a buffer; changed ones as JSON rows for the upsert. */
    const fresh = new CopyBuffer();
    let changed = '';
    let unattributed = 0;
    for (let i = 0; i < records.length; i++) {
      const a = records[i]!;
      const hash = storedHash(keyedHash, a.hash);
      const before = stored.size ? stored.get(a.key) : undefined;
      const outcome = upsertOutcome(before?.hash, hash);
      outcomes.push(outcome);
      if (outcome === 'unchanged') continue;
      let subject: string;
      let kid: string;
      let customerRef: string;
      if (a.entity === 'customer') {
        const resolved = await deps.resolveSubject(a.record.subjectId);
        subject = resolved?.value ?? '';
        kid = resolved?.kid ?? '';
        customerRef = a.record.customerRef;
      } else {
        const p = rowParents[i];
        subject = p?.subject ?? '';
        kid = p?.kid ?? '';
        customerRef = p?.customerRef ?? '';
      }
      if (!subject) {
        // The pipeline's referential check makes this unreachable; counted rather than dropped silently.
        outcomes[outcomes.length - 1] = 'unchanged';
        unattributed++;
        continue;
      }
      if (relevant && kid) affected.set(subject, kid);
      if (before && before.subject !== subject) {
        if (relevant && before.kid) affected.set(before.subject, before.kid);
        if (a.entity === 'customer') moved.push({ customerRef, from: before.subject, to: subject });
      }
      let data: string;
      let sealed: Buffer | null = null;
      if (pii.length) {
        const personal: Record<string, unknown> = {};
        const rest: Record<string, unknown> = {};
        const record = a.record as Record<string, unknown>;
        for (const k in record) (pii.includes(k) ? personal : rest)[k] = record[k];
        data = JSON.stringify(rest);
        if (Object.keys(personal).length) sealed = Buffer.from(seal(JSON.stringify(personal), deps.storageKey, deps.random));
      } else data = a.json; // the record's canonical JSON, made once by the pipeline
      added?.push(a.key);
      if (a.entity === 'customer' || a.entity === 'creditLine') written.push([a.key, { subject, customerRef, kid }]);
      if (before) {
        changed += `${changed ? ',' : '['}{"k":${JSON.stringify(a.key)},"s":${JSON.stringify(subject)},"c":${JSON.stringify(customerRef)},"h":${JSON.stringify(hash)},"d":${data}${sealed ? `,"x":"${sealed.toString('base64')}"` : ''}}`;
      } else {
        // the entity name and the ISO time never need COPY escapes; everything else goes through copyField
        fresh.append(`${copyField(a.key)}\t${entity}\t${copyField(subject)}\t${copyField(customerRef)}\t${copyField(hash)}\t${copyField(data)}\t${sealed ? `\\\\x${sealed.toString('hex')}` : '\\N'}\t${importField}\t${nowText}\n`);
      }
    }
    if (fresh.length || changed) remember(await deps.bulk(async (tx) => {
      if (fresh.length) await tx.copyIn('member_records', COPY_COLUMNS, fresh.bytes());
      if (changed) {
        await tx.query(`
          insert into member_records (key, entity, subject, customer_ref, hash, data, sealed, import_id, updated_at)
          select r.k, $2::text, r.s, r.c, r.h, r.d, decode(r.x, 'base64'), $3::text, $4::timestamptz
          from jsonb_to_recordset($1::jsonb) as r(k text, s text, c text, h text, d jsonb, x text)
          on conflict (key) do update set entity = excluded.entity, subject = excluded.subject, customer_ref = excluded.customer_ref, hash = excluded.hash,
            data = excluded.data, sealed = excluded.sealed, import_id = excluded.import_id, updated_at = excluded.updated_at`, [`${changed}]`, entity, importId, nowText]);
      }
      // A customer whose identifier was corrected takes its records along to the new pseudonym. Its
      // records carry the customer's old pseudonym (children are always attributed through their
      // customer or credit line), so they are found through the subject index; customer_ref alone
      // has no index.
      for (const m of moved) {
        await tx.query('update member_records set subject = $1 where subject = $2 and customer_ref = $3', [m.to, m.from, m.customerRef]);
      }
      return markPending(tx, affected, nowText);
    }));
    const set = preloaded.get(entity);
    if (set && added) for (const k of added) set.add(k);
    // Parents written now attribute their children from here on; a moved customer stales its lines.
    if (moved.length) parents.clear();
    else for (const [key, parent] of written) if (parents.has(key) || parents.size < PARENT_CACHE_LIMIT) parents.set(key, parent);
    return { outcomes, unattributed };
  }
}
