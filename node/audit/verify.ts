import {
  appendLeafHashes,
  bytesEqual,
  frontierIndexes,
  isProtocolError,
  leafHash,
  openCheckpoint,
  proveConsistency,
  splitStoredHashIndex,
  storedHashCount,
  treeHash,
  verifyConsistency,
  type HashReader,
  type NoteVerifier,
} from '../../protocol';
import type { Executor } from '../network/store/executor';
import { decodeAuditEntry } from './entry';
import { allAuditCheckpoints, auditHashReader, readAuditRows } from './store';

/** One problem found by {@link verifyAuditLog}. */
export interface AuditProblem {
  kind: 'missing-entry' | 'altered-entry' | 'misplaced-entry' | 'stored-hash-mismatch' | 'bad-checkpoint-signature' | 'checkpoint-root-mismatch' | 'truncated' | 'inconsistent-checkpoints';
  /** The entry index (or, for checkpoint problems, the checkpoint size). */
  index: number;
  message: string;
}

/** The outcome of verifying the whole audit log. */
export interface AuditVerification {
  ok: boolean;
  size: number;
  checkpoints: number;
  /** Lowest entry index found altered, deleted, moved or beyond a truncation; null when the log is intact. */
  firstBadIndex: number | null;
  problems: AuditProblem[];
}

/** Most problems listed (the first one locates the tampering; the rest are context). */
const MAX_PROBLEMS = 50;
const CHUNK = 5000;

/**
 * Verifies the audit log from scratch (issue 9 §1): recomputes the RFC 6962 tree from the stored entry bodies,
 * checks that every entry sits at its own index, that stored leaf and tree hashes match the recomputation,
 * that every stored checkpoint carries a valid signature by one of `verifierKeys` for `origin` and commits to
 * the recomputed root at its size, and that consecutive checkpoints are consistent (RFC 9162 §2.1.4).
 */
export async function verifyAuditLog(db: Executor, opts: { origin: string; verifierKeys: (string | NoteVerifier)[] }): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const add = (p: AuditProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const stored: Uint8Array[] = [];
  let size = 0;
  let expected = 0;
  let from = 0;
  for (;;) {
    const rows = await readAuditRows(db, from, from + CHUNK);
    if (rows.length === 0) break;
    const leaves: Uint8Array[] = [];
    for (const row of rows) {
      if (row.idx !== expected) add({ kind: 'missing-entry', index: expected, message: `entries ${expected}..${row.idx - 1} are missing (deleted)` });
      expected = row.idx + 1;
      const body = decodeAuditEntry(row.body);
      const leaf = leafHash(row.body);
      if (!body) add({ kind: 'altered-entry', index: row.idx, message: 'the entry body is not a well-formed audit entry' });
      else if (body.index !== row.idx) add({ kind: 'misplaced-entry', index: row.idx, message: `the entry at ${row.idx} says it is entry ${body.index} (moved or reordered)` });
      else if (!bytesEqual(leaf, row.leafHash)) add({ kind: 'altered-entry', index: row.idx, message: 'the entry body does not match its stored leaf hash (altered)' });
      leaves.push(leaf);
      size++;
    }
    const oldSize = size - leaves.length;
    stored.push(...appendLeafHashes(oldSize, frontierIndexes(oldSize).map((i) => stored[i]!), leaves));
    from = rows[rows.length - 1]!.idx + 1;
  }
  const memory: HashReader = { readHashes: (idx) => idx.map((i) => stored[i]!) };

  // Stored tree hashes (used for inclusion proofs) must equal the recomputation.
  const reader = auditHashReader(db);
  for (let i = 0; i < storedHashCount(size); i += CHUNK) {
    const idx = Array.from({ length: Math.min(CHUNK, storedHashCount(size) - i) }, (_, k) => i + k);
    const have = await reader.readHashes(idx).catch(() => null);
    const bad = have ? idx.findIndex((x, k) => !bytesEqual(have[k]!, stored[x]!)) : 0;
    if (bad >= 0) {
      const at = splitStoredHashIndex(idx[bad]!);
      if (at.level === 0) add({ kind: 'altered-entry', index: at.n, message: `the stored leaf hash of entry ${at.n} differs from its recomputed body hash (altered)` });
      else add({ kind: 'stored-hash-mismatch', index: idx[bad]!, message: `stored tree hash ${idx[bad]} is missing or differs from the recomputed tree` });
      break;
    }
  }

  const checkpoints = await allAuditCheckpoints(db);
  let previous: { size: number; root: Uint8Array } | null = null;
  let lastGood = 0;
  for (const cp of checkpoints) {
    let root: Uint8Array;
    try {
      const opened = openCheckpoint(cp.note, { logKeys: opts.verifierKeys, origin: opts.origin });
      if (opened.size !== cp.size) throw new Error('size column differs from the signed size');
      root = opened.rootHash;
    } catch (err) {
      add({ kind: 'bad-checkpoint-signature', index: cp.size, message: `checkpoint at size ${cp.size} does not verify: ${isProtocolError(err) ? err.code : (err as Error).message}` });
      continue;
    }
    if (cp.size > size) {
      add({ kind: 'truncated', index: size, message: `a checkpoint covers ${cp.size} entries but only ${size} are stored (entries from ${size} deleted)` });
    } else if (!bytesEqual(treeHash(cp.size, memory), root)) {
      add({ kind: 'checkpoint-root-mismatch', index: lastGood, message: `the stored entries do not match the checkpoint at size ${cp.size} (a change among entries ${lastGood}..${cp.size - 1})` });
    } else {
      lastGood = cp.size;
    }
    if (previous && previous.size > 0 && cp.size <= size) {
      const proof = proveConsistency(previous.size, cp.size, memory);
      if (!verifyConsistency(previous.size, cp.size, proof, previous.root, root)) {
        add({ kind: 'inconsistent-checkpoints', index: previous.size, message: `checkpoints at sizes ${previous.size} and ${cp.size} are not consistent` });
      }
    }
    previous = { size: cp.size, root };
  }

  // Exact locations win; a root mismatch alone only bounds the change to the entries after the last good checkpoint.
  const exact = ['missing-entry', 'altered-entry', 'misplaced-entry', 'truncated'];
  const entryIndexes = problems.filter((p) => exact.includes(p.kind)).map((p) => p.index);
  const firstBadIndex = entryIndexes.length > 0 ? Math.min(...entryIndexes) : problems.length > 0 ? lastGood : null;
  return { ok: problems.length === 0, size, checkpoints: checkpoints.length, firstBadIndex, problems };
}
