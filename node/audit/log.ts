import { sql } from 'drizzle-orm';
import {
  SIG_TYPE_ED25519,
  ed25519NoteSigner,
  formatTlogProof,
  formatVerifierKey,
  leafHash,
  proveInclusionAsync,
  signCheckpoint,
  treeHashAsync,
} from '../../protocol';
import type { AuditEvent, AuditSink } from '../compliance/contracts';
import type { Ed25519Key } from '../keys/keyfile';
import type { Logger } from '../observability/logger';
import type { Db } from '../store/database';
import { decodeAuditEntry, encodeAuditEntry, type AuditEntryBody } from './entry';
import {
  auditHashReader,
  latestAuditCheckpoint,
  readAuditHead,
  readAuditRow,
  readAuditRows,
  saveAuditCheckpoint,
  writeAuditEntries,
  type AuditCheckpointRow,
} from './store';

/** Most entries returned by one {@link AuditLog.entries} call. */
export const MAX_AUDIT_PAGE = 500;
/** Advisory lock key serializing audit appends across processes on PostgreSQL ("audit" in ASCII). */
const AUDIT_LOCK_KEY = 0x61756469;

/** Dependencies of {@link createAuditLog}. */
export interface AuditLogDeps {
  db: Db;
  memberId: string;
  /** Signs audit checkpoints (the node's log key; origin {@link auditOrigin}). */
  logKey: Ed25519Key;
  now: () => Date;
  logger: Logger;
  /** Period of the checkpoint job (default 60 s). */
  checkpointIntervalMs?: number;
  /** Most events committed in one transaction (default 1000). */
  maxBatch?: number;
}

/** A stored audit entry as served: the exact leaf bytes (as text) and the parsed body. */
export interface AuditEntryView {
  index: number;
  /** The canonical JSON body exactly as hashed (RFC 6962 leaf = SHA-256(0x00 || UTF-8 bytes)). */
  entry: string;
  body: AuditEntryBody | null;
}

/** An entry with its inclusion proof against a signed checkpoint. */
export interface AuditEntryProof extends AuditEntryView {
  checkpoint: AuditCheckpointRow;
  proof: Uint8Array[];
  /** The same evidence as a C2SP tlog-proof, verifiable offline with the audit verifier key. */
  tlogProof: string;
}

/** The node's tamper-evident audit log (issue 9 §1). */
export interface AuditLog extends AuditSink {
  readonly origin: string;
  /** C2SP verifier key of the audit checkpoints. */
  readonly verifierKey: string;
  /** Appends one event; resolves with its index once committed. */
  append(event: AuditEvent): Promise<number>;
  /** Signs a checkpoint of the current size if the log grew since the latest (or none exists). */
  checkpointNow(): Promise<AuditCheckpointRow>;
  latestCheckpoint(): Promise<AuditCheckpointRow | null>;
  /** Entries `[from, from+limit)` (limit bounded by {@link MAX_AUDIT_PAGE}). */
  entries(from: number, limit: number): Promise<AuditEntryView[]>;
  /** One entry with an inclusion proof against the latest checkpoint (signing one first if it does not cover the entry). */
  entryWithProof(index: number): Promise<AuditEntryProof | null>;
  /** Starts the periodic checkpoint job. */
  start(): void;
  /** Waits for queued appends, signs a final checkpoint, stops the job. */
  stop(): Promise<void>;
}

/** The audit log's checkpoint origin for a member (a dedicated origin, distinct from the signal log's). */
export function auditOrigin(memberId: string): string {
  return `${memberId}.audit.consortium`;
}

interface Pending {
  event: AuditEvent;
  resolve: (index: number) => void;
  reject: (err: unknown) => void;
}

function view(row: { idx: number; body: Uint8Array }): AuditEntryView {
  return { index: row.idx, entry: new TextDecoder().decode(row.body), body: decodeAuditEntry(row.body) };
}

/**
 * Creates the audit log: concurrent appends are queued and group-committed, each batch in one transaction
 * holding a PostgreSQL advisory lock, hashed incrementally from the stored frontier (no tree recomputation).
 * Checkpoints are C2SP signed notes over the RFC 6962 root, signed by a periodic job and on demand.
 */
export function createAuditLog(deps: AuditLogDeps): AuditLog {
  const origin = auditOrigin(deps.memberId);
  const maxBatch = deps.maxBatch ?? 1000;
  const queue: Pending[] = [];
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let signing: Promise<unknown> = Promise.resolve();

  async function commit(batch: Pending[]): Promise<number> {
    return deps.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
      const head = await readAuditHead(tx);
      const at = deps.now();
      const rows = batch.map((p, i) => {
        const { bytes } = encodeAuditEntry(head.size + i, at, p.event);
        return { at, type: p.event.type, actor: p.event.actor.slice(0, 200), subject: p.event.subject ?? null, body: bytes, leafHash: leafHash(bytes) };
      });
      await writeAuditEntries(tx, head, rows);
      return head.size;
    });
  }

  async function run(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const first = await commit(batch);
        batch.forEach((p, i) => p.resolve(first + i));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }

  async function sign(): Promise<AuditCheckpointRow> {
    const head = await readAuditHead(deps.db);
    const latest = await latestAuditCheckpoint(deps.db);
    if (latest && latest.size >= head.size) return latest;
    const rootHash = await treeHashAsync(head.size, auditHashReader(deps.db));
    const note = signCheckpoint({ origin, size: head.size, rootHash }, [ed25519NoteSigner(origin, deps.logKey.secretKey)]);
    const row = { size: head.size, rootHash, note, signedAt: deps.now() };
    await saveAuditCheckpoint(deps.db, row);
    return row;
  }

  function checkpointNow(): Promise<AuditCheckpointRow> {
    const next = signing.then(sign);
    signing = next.catch(() => null);
    return next;
  }

  function kick(): void {
    if (running) return;
    running = run().finally(() => {
      running = null;
      if (queue.length > 0) kick();
    });
  }

  async function drain(): Promise<void> {
    while (running) await running;
  }

  const log: AuditLog = {
    origin,
    verifierKey: formatVerifierKey(origin, SIG_TYPE_ED25519, deps.logKey.publicKey),
    append(event) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        kick();
      });
    },
    async record(event) {
      await log.append(event);
    },
    checkpointNow,
    latestCheckpoint: () => latestAuditCheckpoint(deps.db),
    async entries(from, limit) {
      const n = Math.max(0, Math.min(MAX_AUDIT_PAGE, Math.floor(limit)));
      const start = Math.max(0, Math.floor(from));
      return (await readAuditRows(deps.db, start, start + n)).map(view);
    },
    async entryWithProof(index) {
      const row = await readAuditRow(deps.db, index);
      if (!row) return null;
      let checkpoint = await latestAuditCheckpoint(deps.db);
      if (!checkpoint || checkpoint.size <= index) checkpoint = await checkpointNow();
      const proof = await proveInclusionAsync(index, checkpoint.size, auditHashReader(deps.db));
      return { ...view(row), checkpoint, proof, tlogProof: formatTlogProof({ index, proof, checkpoint: checkpoint.note }) };
    },
    start() {
      if (timer) return;
      timer = setInterval(() => {
        checkpointNow().catch((err: Error) => deps.logger.error({ err: { message: err.message } }, 'audit checkpoint failed; retrying at the next interval'));
      }, deps.checkpointIntervalMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await drain();
      await checkpointNow().catch((err: Error) => deps.logger.error({ err: { message: err.message } }, 'final audit checkpoint failed'));
      await signing;
    },
  };
  return log;
}
