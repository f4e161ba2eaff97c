/**
 * The upsert seam (docs/data-standard.md §5.2): accepted records are written keyed by natural key
 * with their content hash, so re-importing the same file changes nothing and a corrected row
 * updates its record. The node implements {@link RecordStore} over its database; the in-memory
 * implementation here defines the contract (and serves tests and the synthetic demo).
 */
import type { EntityName } from '../standard/entities';
import type { KnownKeys } from './keys-index';
import type { AcceptedRecord, ImportEvent, ImportSummary } from './pipeline';
import type { Reject } from './reasons';

/** What an upsert did to one record. */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

/** A stored standard record. */
export interface StoredRecord {
  entity: EntityName;
  key: string;
  hash: string;
  record: Record<string, unknown>;
}

/**
 * Storage of standard records of one member, keyed by natural key. Contract:
 * `upsertMany` inserts unknown keys, replaces records whose stored hash differs (`updated`) and
 * leaves equal hashes alone (`unchanged`); outcomes are returned in input order. A SQL
 * implementation: `INSERT ... ON CONFLICT (key) DO UPDATE SET ... WHERE stored.hash <> excluded.hash`.
 */
export interface RecordStore extends KnownKeys {
  upsertMany(records: readonly AcceptedRecord[]): Promise<UpsertOutcome[]>;
}

/** Decides the upsert outcome from the stored hash (undefined when absent) and the new hash. */
export function upsertOutcome(storedHash: string | undefined, newHash: string): UpsertOutcome {
  if (storedHash === undefined) return 'inserted';
  return storedHash === newHash ? 'unchanged' : 'updated';
}

/** In-memory {@link RecordStore}; `all()` lists stored records (for derivation and tests). */
export interface MemoryRecordStore extends RecordStore {
  get(key: string): StoredRecord | undefined;
  all(): StoredRecord[];
}

/** Creates a {@link MemoryRecordStore}. */
export function createMemoryRecordStore(): MemoryRecordStore {
  const rows = new Map<string, StoredRecord>();
  return {
    has: (key) => rows.has(key),
    get: (key) => rows.get(key),
    all: () => [...rows.values()],
    async upsertMany(records) {
      return records.map((a) => {
        const outcome = upsertOutcome(rows.get(a.key)?.hash, a.hash);
        if (outcome !== 'unchanged') rows.set(a.key, { entity: a.entity, key: a.key, hash: a.hash, record: a.record });
        return outcome;
      });
    },
  };
}

/** Summary of an import written to a store (§5.6): pipeline counters plus upsert outcomes. */
export interface StoreImportSummary extends ImportSummary {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Options of {@link writeToStore}. */
export interface WriteToStoreOptions {
  store: RecordStore;
  /** Records per `upsertMany` call. Default 1000. */
  batchSize?: number;
  /** Receives every reject (e.g. a rejects-file writer). */
  onReject?: (reject: Reject) => void | Promise<void>;
  /** Receives fatal events. */
  onFatal?: (event: Extract<ImportEvent, { kind: 'fatal' }>) => void | Promise<void>;
  /** Called after each batch with the counters so far (progress bars). */
  onProgress?: (counts: { inserted: number; updated: number; unchanged: number }) => void;
}

/**
 * Drains pipeline events into `store` in batches and returns the upsert counters. Callers
 * combine them with `session.summary()` (see {@link StoreImportSummary}).
 */
export async function writeToStore(
  events: AsyncIterable<ImportEvent>,
  opts: WriteToStoreOptions,
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const size = Math.max(1, Math.min(opts.batchSize ?? 1000, 100_000));
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  let batch: AcceptedRecord[] = [];
  const flush = async () => {
    if (!batch.length) return;
    for (const o of await opts.store.upsertMany(batch)) counts[o]++;
    batch = [];
    opts.onProgress?.({ ...counts });
  };
  for await (const ev of events) {
    if (ev.kind === 'accepted') {
      batch.push(ev.accepted);
      if (batch.length >= size) await flush();
    } else if (ev.kind === 'rejected') await opts.onReject?.(ev.reject);
    else await opts.onFatal?.(ev);
  }
  await flush();
  return counts;
}
