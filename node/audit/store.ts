import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { appendLeafHashes, frontierIndexes, storedHashCount, type AsyncHashReader, type Frontier } from '../../protocol';
import { chunks, type Executor } from '../network/store/executor';
import { auditCheckpoints, auditEntries, auditHashes } from '../store/schema';

/** One stored audit entry row. */
export interface AuditRow {
  idx: number;
  at: Date;
  type: string;
  actor: string;
  subject: string | null;
  body: Uint8Array;
  leafHash: Uint8Array;
}

/** A stored signed checkpoint of the audit log. */
export interface AuditCheckpointRow {
  size: number;
  rootHash: Uint8Array;
  note: string;
  signedAt: Date;
}

/** Reads stored hashes of the audit log by stored-hash index (docs/protocol.md §5.3), in the order asked. */
export function auditHashReader(db: Executor): AsyncHashReader {
  return {
    async readHashes(indexes) {
      const found = new Map<number, Uint8Array>();
      for (const part of chunks([...new Set(indexes)], 5000)) {
        const rows = await db.select().from(auditHashes).where(inArray(auditHashes.idx, part));
        for (const r of rows) found.set(r.idx, r.hash);
      }
      return indexes.map((i) => {
        const h = found.get(i);
        if (!h) throw new Error(`stored hash ${i} of the audit log is missing`);
        return h;
      });
    },
  };
}

/** The audit log's committed size and frontier. */
export async function readAuditHead(db: Executor): Promise<Frontier> {
  const rows = await db.select({ n: sql<string | number | null>`max(${auditEntries.idx})` }).from(auditEntries);
  const max = rows[0]?.n;
  const size = max === null || max === undefined ? 0 : Number(max) + 1;
  const idx = frontierIndexes(size);
  return { size, hashes: idx.length === 0 ? [] : await auditHashReader(db).readHashes(idx) };
}

/**
 * Writes entries `head.size ..` and every new stored hash, computed from the head's frontier with the
 * protocol's `appendLeafHashes` (no recomputation of the tree). Runs in the caller's transaction.
 */
export async function writeAuditEntries(tx: Executor, head: Frontier, rows: Omit<AuditRow, 'idx'>[]): Promise<void> {
  const stored = appendLeafHashes(head.size, head.hashes, rows.map((r) => r.leafHash));
  const base = storedHashCount(head.size);
  for (const part of chunks(rows.map((r, i) => ({ idx: head.size + i, ...r })), 1000)) await tx.insert(auditEntries).values(part);
  for (const part of chunks(stored.map((hash, i) => ({ idx: base + i, hash })), 5000)) await tx.insert(auditHashes).values(part);
}

/** Audit entries with `from <= idx < to`, in index order. */
export async function readAuditRows(db: Executor, from: number, to: number): Promise<AuditRow[]> {
  return db.select().from(auditEntries).where(and(gte(auditEntries.idx, from), lt(auditEntries.idx, to))).orderBy(asc(auditEntries.idx));
}

/** The audit entry at `index`, if stored. */
export async function readAuditRow(db: Executor, index: number): Promise<AuditRow | null> {
  const rows = await db.select().from(auditEntries).where(eq(auditEntries.idx, index));
  return rows[0] ?? null;
}

/** The latest signed audit checkpoint. */
export async function latestAuditCheckpoint(db: Executor): Promise<AuditCheckpointRow | null> {
  const rows = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.size)).limit(1);
  return rows[0] ?? null;
}

/** Every stored audit checkpoint, smallest first. */
export async function allAuditCheckpoints(db: Executor): Promise<AuditCheckpointRow[]> {
  return db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.size));
}

/** Stores a signed checkpoint (a second one at the same size is ignored). */
export async function saveAuditCheckpoint(db: Executor, cp: AuditCheckpointRow): Promise<void> {
  await db.insert(auditCheckpoints).values(cp).onConflictDoNothing();
}
