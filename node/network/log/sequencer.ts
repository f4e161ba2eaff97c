import {
  bytesEqual,
  ed25519Verify,
  encodeSignalEntry,
  frontierAppend,
  fromBase64Url,
  isProtocolError,
  leafHash,
  signalSigningInput,
  type Frontier,
  type SignedSignal,
} from '../../../protocol';
import type { Ed25519Key } from '../../keys/keyfile';
import type { Db } from '../../store/database';
import { NetworkError } from '../errors';
import { heldByIds, holdSignals } from '../store/held';
import { readOwnHead, writeOwnEntries } from '../store/own-log';

/** Dependencies of {@link createSequencer}. */
export interface SequencerDeps {
  db: Db;
  memberId: string;
  /** This node's signal key: appended signals must verify with it. */
  signalKey: Ed25519Key;
  /** Throws `not-joined` before the node has a roster. */
  requireJoined: () => void;
  /** Called after each committed batch with the new log size. */
  onCommitted: (size: number, appended: number) => void;
  /** Most signals committed in one transaction (default 4096). */
  maxBatch?: number;
}

/** Group-committing appender of the own log. */
export interface Sequencer {
  append(signals: SignedSignal[]): Promise<{ index: number; id: string }[]>;
  /** Resolves when every queued append has been committed or failed. */
  drain(): Promise<void>;
}

interface Pending {
  items: { signed: SignedSignal; entry: Uint8Array; leafHash: Uint8Array }[];
  resolve: (r: { index: number; id: string }[]) => void;
  reject: (e: unknown) => void;
}

function prepare(signed: SignedSignal, memberId: string, key: Ed25519Key): { signed: SignedSignal; entry: Uint8Array; leafHash: Uint8Array } {
  let entry: Uint8Array;
  try {
    entry = encodeSignalEntry(signed);
  } catch (err) {
    if (isProtocolError(err)) throw new NetworkError('signal-invalid', `${err.code}: ${err.message}`, { cause: err });
    throw err;
  }
  if (signed.body.issuer !== memberId || signed.kid !== key.kid) {
    throw new NetworkError('signal-wrong-issuer', `signals appended here must be issued by ${memberId} with signal key ${key.kid}`);
  }
  const sig = fromBase64Url(signed.sig, 'SIGNAL_BAD_SIGNATURE');
  if (!ed25519Verify(sig, signalSigningInput(signed.body), key.publicKey)) {
    throw new NetworkError('signal-invalid', `signal ${signed.body.id} does not verify with this node's signal key`);
  }
  return { signed, entry, leafHash: leafHash(entry) };
}

/**
 * The own log's sequencer (architecture section 4): concurrent `append` calls are queued and
 * committed together in one transaction — entries, stored hashes computed incrementally from the
 * current frontier, and held-signal rows — so a crash at any moment leaves either all or none of a
 * batch, never a reused index or hashes that disagree with the entries. A signal id already logged
 * with the same bytes returns its existing index (safe client retries).
 */
export function createSequencer(deps: SequencerDeps): Sequencer {
  const maxBatch = deps.maxBatch ?? 4096;
  const queue: Pending[] = [];
  let head: Frontier | null = null;
  let running: Promise<void> | null = null;

  async function commit(batch: Pending[]): Promise<Map<Pending, { index: number; id: string }[] | NetworkError>> {
    const results = new Map<Pending, { index: number; id: string }[] | NetworkError>();
    const next = await deps.db.transaction(async (tx) => {
      const start = head ?? (await readOwnHead(tx));
      const ids = batch.flatMap((p) => p.items.map((i) => i.signed.body.id));
      const existing = await heldByIds(tx, deps.memberId, ids);
      const known = new Map<string, { index: number; entry: Uint8Array }>();
      for (const [id, r] of existing) known.set(id, { index: r.logIndex, entry: r.entry });
      const fresh: { entry: Uint8Array; leafHash: Uint8Array; signalId: string; signed: SignedSignal }[] = [];
      for (const p of batch) {
        const out: { index: number; id: string }[] = [];
        const staged: typeof fresh = [];
        const local = new Map<string, { index: number; entry: Uint8Array }>();
        let failed: NetworkError | null = null;
        for (const it of p.items) {
          const id = it.signed.body.id;
          const prior = local.get(id) ?? known.get(id);
          if (prior) {
            if (!bytesEqual(prior.entry, it.entry)) {
              failed = new NetworkError('signal-duplicate-id', `signal id ${id} is already logged with different content`);
              break;
            }
            out.push({ index: prior.index, id });
            continue;
          }
          const index = start.size + fresh.length + staged.length;
          local.set(id, { index, entry: it.entry });
          out.push({ index, id });
          staged.push({ entry: it.entry, leafHash: it.leafHash, signalId: id, signed: it.signed });
        }
        if (failed) {
          results.set(p, failed);
          continue;
        }
        for (const [id, v] of local) known.set(id, v);
        fresh.push(...staged);
        results.set(p, out);
      }
      if (fresh.length > 0) {
        await writeOwnEntries(tx, start, fresh);
        await holdSignals(
          tx,
          deps.memberId,
          fresh.map((f, i) => ({ logIndex: start.size + i, signed: f.signed, entry: f.entry })),
        );
      }
      return { frontier: frontierAppend(start, fresh.map((f) => f.leafHash)), added: fresh.length };
    });
    head = next.frontier;
    if (next.added > 0) deps.onCommitted(next.frontier.size, next.added);
    return results;
  }

  async function run(): Promise<void> {
    while (queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (queue.length > 0 && (batch.length === 0 || count + queue[0]!.items.length <= maxBatch)) {
        const p = queue.shift()!;
        batch.push(p);
        count += p.items.length;
      }
      try {
        const results = await commit(batch);
        for (const p of batch) {
          const r = results.get(p)!;
          if (r instanceof NetworkError) p.reject(r);
          else p.resolve(r);
        }
      } catch (err) {
        head = null; // unknown outcome: reload the head from the database before the next batch
        for (const p of batch) p.reject(err);
      }
    }
  }

  function kick(): void {
    if (running) return;
    running = run().finally(() => {
      running = null;
      if (queue.length > 0) kick();
    });
  }

  return {
    append(signals) {
      try {
        deps.requireJoined();
        if (!Array.isArray(signals) || signals.length === 0) return Promise.resolve([]);
        const items = signals.map((s) => prepare(s, deps.memberId, deps.signalKey));
        return new Promise((resolve, reject) => {
          queue.push({ items, resolve, reject });
          kick();
        });
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async drain() {
      while (running) await running;
    },
  };
}
