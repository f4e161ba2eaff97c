import {
  bytesEqual,
  encodeSignalEntry,
  frontierAppend,
  fromBase64Url,
  isProtocolError,
  leafHash,
  signalSigningInput,
  type Frontier,
  type SignatureCheck,
  type SignedSignal,
} from '../../../protocol';
import type { Ed25519Key } from '../../keys/keyfile';
import type { Db } from '../../store/database';
import { NetworkError } from '../errors';
import { heldByIds, holdSignals } from '../store/held';
import { readOwnHead, writeOwnEntries } from '../store/own-log';
import { createSignatureVerifier, type SignatureVerifier } from '../verify/pool';

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
  /**
   * Checks that appended signals verify with the signal key; the checks of concurrent appends go out as
   * one batch. Default: one worker thread, so the check does not take time from the thread that commits.
   */
  verifier?: SignatureVerifier;
}

/** Group-committing appender of the own log. */
export interface Sequencer {
  append(signals: SignedSignal[]): Promise<{ index: number; id: string }[]>;
  /** Resolves when every queued append has been committed or failed. */
  drain(): Promise<void>;
}

interface Pending {
  items: Item[];
  /** Resolves with null once every signature verified, or with the error to answer instead. */
  verified: Promise<NetworkError | null>;
  resolve: (r: { index: number; id: string }[]) => void;
  reject: (e: unknown) => void;
}

type Item = { signed: SignedSignal; entry: Uint8Array; leafHash: Uint8Array };

/** Encodes a signal for the own log and checks its issuer and key; returns the signature check still to run. */
function prepare(signed: SignedSignal, memberId: string, key: Ed25519Key): Item & { check: SignatureCheck } {
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
  const signature = fromBase64Url(signed.sig, 'SIGNAL_BAD_SIGNATURE');
  return { signed, entry, leafHash: leafHash(entry), check: { signature, message: signalSigningInput(signed.body), publicKey: key.publicKey } };
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
  const verifier = deps.verifier ?? createSignatureVerifier({ threads: 1 });
  const queue: Pending[] = [];
  // signature checks of appends made in the same turn of the event loop, verified as one batch
  let checks: { check: SignatureCheck; done: (ok: boolean) => void; fail: (e: unknown) => void }[] = [];

  function verifyLater(check: SignatureCheck): Promise<boolean> {
    return new Promise((done, fail) => {
      if (checks.length === 0) {
        setImmediate(() => {
          const batch = checks;
          checks = [];
          verifier.verify(batch.map((c) => c.check)).then(
            (ok) => batch.forEach((c, i) => c.done(ok[i]!)),
            (err) => batch.forEach((c) => c.fail(err)),
          );
        });
      }
      checks.push({ check, done, fail });
    });
  }

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
      const ready: Pending[] = [];
      for (const p of batch) {
        const failed = await p.verified.catch((err: unknown) => err);
        if (failed) p.reject(failed);
        else ready.push(p);
      }
      if (ready.length === 0) continue;
      try {
        const results = await commit(ready);
        for (const p of ready) {
          const r = results.get(p)!;
          if (r instanceof NetworkError) p.reject(r);
          else p.resolve(r);
        }
      } catch (err) {
        head = null; // unknown outcome: reload the head from the database before the next batch
        for (const p of ready) p.reject(err);
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
        const prepared = signals.map((s) => prepare(s, deps.memberId, deps.signalKey));
        // queued at once (log order = call order); the batch that takes it waits for its signature checks
        const verified = Promise.all(prepared.map((p) => verifyLater(p.check))).then((valid) => {
          const bad = valid.indexOf(false);
          return bad < 0 ? null : new NetworkError('signal-invalid', `signal ${prepared[bad]!.signed.body.id} does not verify with this node's signal key`);
        });
        verified.catch(() => undefined); // awaited by the batch that takes this append

        const items = prepared.map(({ signed, entry, leafHash }) => ({ signed, entry, leafHash }));
        return new Promise((resolve, reject) => {
          queue.push({ items, verified, resolve, reject });
          kick();
        });
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async drain() {
      while (running) await running;
      await verifier.close();
    },
  };
}
