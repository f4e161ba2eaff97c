import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { appendLeafHashes, frontierIndexes, storedHashCount, type AsyncHashReader, type Frontier } from '../../../protocol';
import { cosignatures, logCheckpoints, logEntries, logHashes } from '../../store/schema';
import { bigintArray, textArray } from '../../store/sql-arrays';
import { chunks, type Executor } from './executor';

/** Reads stored hashes of the own log by stored-hash index (in the order asked). */
export function ownHashReader(db: Executor): AsyncHashReader {
  return {
    async readHashes(indexes) {
      const found = new Map<number, Uint8Array>();
      for (const part of chunks([...new Set(indexes)], 5000)) {
        const rows = await db.select().from(logHashes).where(inArray(logHashes.idx, part));
        for (const r of rows) found.set(r.idx, r.hash);
      }
      return indexes.map((i) => {
        const h = found.get(i);
        if (!h) throw new Error(`stored hash ${i} of the own log is missing`);
        return h;
      });
    },
  };
}

/** The own log's size and frontier as committed. */
export async function readOwnHead(db: Executor): Promise<Frontier> {
  const rows = await db.select({ n: sql<string | number | null>`max(${logEntries.idx})` }).from(logEntries);
  const max = rows[0]?.n;
  const size = max === null || max === undefined ? 0 : Number(max) + 1;
  const idx = frontierIndexes(size);
  return { size, hashes: idx.length === 0 ? [] : await ownHashReader(db).readHashes(idx) };
}

/** Rows per INSERT in {@link writeOwnEntries} (each INSERT binds one array per column, whatever its row count). */
export const OWN_LOG_BATCH_ROWS = 5000;

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/**
 * Writes entries `head.size ..` with their leaf hashes and every new stored hash (computed from the
 * head's frontier with the protocol's `appendLeafHashes`). Must run in the same transaction as the
 * held-signal rows so entries and hashes can never disagree after a crash. One multi-row INSERT per
 * table (per {@link OWN_LOG_BATCH_ROWS} rows) with the columns bound as arrays and expanded by `unnest`:
 * a handful of parameters per statement instead of several per row. Bytes travel as hex text (portable
 * across the pg and PGlite drivers) and are decoded in SQL. A row already present is an error, as before.
 */
export async function writeOwnEntries(
  tx: Executor,
  head: Frontier,
  entries: { entry: Uint8Array; leafHash: Uint8Array; signalId: string }[],
): Promise<void> {
  const stored = appendLeafHashes(head.size, head.hashes, entries.map((e) => e.leafHash));
  const base = storedHashCount(head.size);
  for (let i = 0; i < entries.length; i += OWN_LOG_BATCH_ROWS) {
    const part = entries.slice(i, i + OWN_LOG_BATCH_ROWS);
    await tx.execute(sql`
      INSERT INTO log_entries (idx, entry, leaf_hash, signal_id)
      SELECT u.idx, decode(u.entry, 'hex'), decode(u.leaf_hash, 'hex'), u.signal_id
      FROM unnest(
        ${bigintArray(part.map((_, j) => String(head.size + i + j)))},
        ${textArray(part.map((e) => hex(e.entry)))},
        ${textArray(part.map((e) => hex(e.leafHash)))},
        ${textArray(part.map((e) => e.signalId))}
      ) AS u(idx, entry, leaf_hash, signal_id)`);
  }
  for (let i = 0; i < stored.length; i += OWN_LOG_BATCH_ROWS) {
    const part = stored.slice(i, i + OWN_LOG_BATCH_ROWS);
    await tx.execute(sql`
      INSERT INTO log_hashes (idx, hash)
      SELECT u.idx, decode(u.hash, 'hex')
      FROM unnest(
        ${bigintArray(part.map((_, j) => String(base + i + j)))},
        ${textArray(part.map(hex))}
      ) AS u(idx, hash)`);
  }
}

/** Entries `[from, to)` of the own log, in order. */
export async function readOwnEntries(db: Executor, from: number, to: number): Promise<Uint8Array[]> {
  const rows = await db
    .select({ entry: logEntries.entry })
    .from(logEntries)
    .where(and(gte(logEntries.idx, from), lt(logEntries.idx, to)))
    .orderBy(asc(logEntries.idx));
  return rows.map((r) => r.entry);
}

/** The latest signed checkpoint of the own log. */
export async function latestOwnCheckpoint(db: Executor): Promise<{ size: number; note: string; rootHash: Uint8Array } | null> {
  const rows = await db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
  const r = rows[0];
  return r ? { size: r.size, note: r.note, rootHash: r.rootHash } : null;
}

/** The own checkpoint signed at `size`, if any. */
export async function ownCheckpointAt(db: Executor, size: number): Promise<{ note: string } | null> {
  const rows = await db.select({ note: logCheckpoints.note }).from(logCheckpoints).where(eq(logCheckpoints.size, size));
  return rows[0] ?? null;
}

/** Stores a signed checkpoint (a second signature at the same size is ignored). */
export async function saveOwnCheckpoint(db: Executor, cp: { size: number; rootHash: Uint8Array; note: string; signedAt: Date }): Promise<void> {
  await db.insert(logCheckpoints).values(cp).onConflictDoNothing();
}

/** Stores a cosignature line for a checkpoint of `origin` (idempotent per witness and size). */
export async function saveCosignature(db: Executor, c: { origin: string; size: number; witness: string; line: string; createdAt: Date }): Promise<boolean> {
  const rows = await db.insert(cosignatures).values(c).onConflictDoNothing().returning({ w: cosignatures.witness });
  return rows.length > 0;
}

/** Cosignature lines stored for `origin` at `size`, ordered by witness. */
export async function cosignatureLines(db: Executor, origin: string, size: number): Promise<string[]> {
  const rows = await db
    .select({ line: cosignatures.line })
    .from(cosignatures)
    .where(and(eq(cosignatures.origin, origin), eq(cosignatures.size, size)))
    .orderBy(asc(cosignatures.witness));
  return rows.map((r) => r.line);
}
