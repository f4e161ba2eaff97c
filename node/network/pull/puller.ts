import { availableParallelism } from 'node:os';
import {
  addNoteSignatures,
  cosignatureSigner,
  frontierAppend,
  frontierRoot,
  rosterSignalKeys,
  witnessName,
  type OpenedCheckpoint,
  type RosterMember,
} from '../../../protocol';
import type { Ed25519Key } from '../../keys/keyfile';
import type { Logger } from '../../observability/logger';
import type { Db } from '../../store/database';
import type { NetworkMetrics } from '../metrics';
import { requireSelf } from '../roster';
import { holdSignals } from '../store/held';
import { saveCosignature } from '../store/own-log';
import { advancePeer, getPeer, initialPeer, putPeer, saveEvidence, type PeerRecord } from '../store/peers';
import type { RosterSource } from '../types';
import type { PeerClient } from './client';
import { createSignatureVerifier, type SignatureVerifier } from '../verify/pool';
import { fetchRangeChecking, type BundleChecks, type FetchedRange } from './range';
import { extendsTo, judgeCheckpoint, type MisbehaviourKind } from './verify';

/**
 * Entry verification failures that may resolve on their own (a roster update announcing a new signal
 * key, clock skew): the round fails and is retried instead of skipping the entry for good.
 */
export const RETRYABLE_ENTRY_CODES = ['entry-signal-unknown-key', 'entry-signal-not-yet-valid'];

/** Rounds with at least this many entries verify signatures on worker threads. */
export const POOL_MIN_ENTRIES = 512;

/** Worker threads for signature verification: one core is left to the main thread (1..4). */
export function defaultVerifyThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** Most entries applied in one transaction of a round (whole bundles; a round may have several). */
export const APPLY_CHUNK_ENTRIES = 8192;

/** Largest checkpoint note accepted from a peer (with up to 100 signature lines). */
export const MAX_CHECKPOINT_BYTES = 64 * 1024;

/** Dependencies of {@link createPuller}. */
export interface PullerDeps {
  db: Db;
  memberId: string;
  roster: RosterSource;
  client: PeerClient;
  witnessKey: Ed25519Key;
  now: () => Date;
  logger: Logger;
  metrics: NetworkMetrics;
  /** Most entries fetched and verified in one round (the whole range is checked against one checkpoint). */
  maxRoundEntries: number;
  /** Parallel bundle fetches. */
  concurrency: number;
  /**
   * Verifies the signals' Ed25519 signatures of rounds of at least {@link POOL_MIN_ENTRIES} entries
   * (smaller rounds verify on the calling thread). Default: a pool of {@link defaultVerifyThreads} workers.
   */
  verifier?: SignatureVerifier;
  /** Most entries applied per transaction (default {@link APPLY_CHUNK_ENTRIES}). */
  applyChunkEntries?: number;
  /** Told which subjects got new signals once a batch is committed. */
  onSignalsApplied?: (subjects: string[]) => Promise<void>;
}

/** What one pull of one peer did. */
export type PullResult =
  | { kind: 'applied'; from: number; to: number; rejected: number }
  | { kind: 'current'; size: number }
  | { kind: 'empty' }
  | { kind: 'quarantined' }
  | { kind: 'misbehaviour'; misbehaviour: MisbehaviourKind }
  | { kind: 'raced' };

/** Pulls, verifies and applies one peer's log. */
export interface Puller {
  /** One round for `member`; throws on fetch errors or an invalid (but not misbehaving) response. */
  pull(member: RosterMember): Promise<PullResult>;
}

/** An invalid response that is not provable misbehaviour (retried with backoff). */
export class PullRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PullRejected';
  }
}

/**
 * Replication of one peer (architecture section 4): checkpoint -> signature -> consistency with the
 * last verified checkpoint -> entry bundles -> every leaf hash (the verified frontier extended by the
 * fetched leaves must give the checkpoint's root, which proves consistency and every entry at once) ->
 * every signal signature -> apply in ONE transaction that also advances the cursor (compare-and-set on
 * the previous cursor, so a crash or a concurrent round never applies anything twice). Then cosigns
 * the verified checkpoint with the witness key and sends the cosignature to the peer.
 */
export function createPuller(deps: PullerDeps): Puller {
  const inline = createSignatureVerifier({ threads: 0 });
  let pool = deps.verifier ?? null;
  const verifierFor = (entries: number) => (entries < POOL_MIN_ENTRIES ? inline : (pool ??= createSignatureVerifier({ threads: defaultVerifyThreads() })));

  async function quarantine(member: RosterMember, state: PeerRecord, kind: MisbehaviourKind, offending: string, detail: string): Promise<PullResult> {
    const now = deps.now();
    await deps.db.transaction(async (tx) => {
      await saveEvidence(tx, { memberId: member.id, kind, previous: state.checkpoint, offending, detail, createdAt: now });
      await putPeer(tx, { ...state, state: 'quarantined', lastError: `${kind}: ${detail}`, lastAttemptAt: now });
    });
    deps.metrics.misbehaviour.inc({ peer: member.id, kind });
    deps.logger.error({ peer: member.id, kind, detail }, 'peer misbehaviour: evidence stored, peer quarantined');
    return { kind: 'misbehaviour', misbehaviour: kind };
  }

  async function cosign(member: RosterMember, cp: OpenedCheckpoint, note: string): Promise<void> {
    const { self } = requireSelf(deps.roster, deps.memberId);
    const now = deps.now();
    const signer = cosignatureSigner(witnessName(self), deps.witnessKey.secretKey, Math.floor(now.getTime() / 1000));
    const cosigned = addNoteSignatures(note.slice(0, note.indexOf('\n\n') + 2) + ownLogSignature(note, member.log.origin), [signer]);
    const line = cosigned.slice(cosigned.lastIndexOf('\u2014 '));
    await saveCosignature(deps.db, { origin: cp.origin, size: cp.size, witness: deps.memberId, line, createdAt: now });
    const status = await deps.client.post(member, '/peer/v1/log/cosignatures', cosigned);
    if (status !== 204) deps.logger.warn({ peer: member.id, status }, 'peer did not accept our cosignature');
  }

  /**
   * Applies a range whose leaves extend the verified tree to `cp`, in chunks of whole bundles as their
   * signatures are verified: each chunk is ONE transaction holding its signals and advancing the cursor
   * (compare-and-set), with the cursor's frontier and root at the chunk's end, so applying overlaps
   * verification and a crash between chunks resumes from a verified prefix. The checkpoint note is
   * recorded with the last chunk. A retryable rejection stops before its chunk.
   */
  async function apply(member: RosterMember, state: PeerRecord, cp: OpenedCheckpoint, note: string, range: FetchedRange, now: Date): Promise<PullResult> {
    let prev = state;
    let frontier = state.frontier;
    let leaf = 0;
    let rejectedCount = 0;
    for (let i = 0; i < range.bundles.length; ) {
      const chunk: BundleChecks[] = [];
      let count = 0;
      while (i < range.bundles.length && (chunk.length === 0 || count + range.bundles[i]!.count <= (deps.applyChunkEntries ?? APPLY_CHUNK_ENTRIES))) {
        count += range.bundles[i]!.count;
        chunk.push(range.bundles[i++]!);
      }
      const done = await Promise.all(chunk.map((b) => b.checked));
      const held = done.flatMap((d) => d.held);
      const rejected = done.flatMap((d) => d.rejected);
      const transient = rejected.find((r) => RETRYABLE_ENTRY_CODES.includes(r.code));
      if (transient) {
        // e.g. a signal key this node's roster does not list yet: do not skip the entry, retry after a roster update
        throw new PullRejected(transient.code, `entry ${transient.logIndex} cannot be verified yet (${transient.code}); applied up to ${prev.appliedSize}`);
      }
      for (const r of rejected) deps.metrics.rejections.inc({ code: r.code });
      if (rejected.length > 0) deps.logger.warn({ peer: member.id, rejected: rejected.slice(0, 10) }, 'peer log entries failed verification and were not applied');
      rejectedCount += rejected.length;
      frontier = frontierAppend(frontier, range.leaves.slice(leaf, leaf + count));
      leaf += count;
      const last = frontier.size === cp.size;
      const next: PeerRecord = {
        ...prev,
        checkpoint: last ? note : prev.checkpoint,
        verifiedSize: frontier.size,
        rootHash: last ? cp.rootHash : frontierRoot(frontier),
        frontier,
        appliedSize: frontier.size,
        seenSize: Math.max(prev.seenSize, cp.size),
        state: 'ok',
        lastError: null,
        attempts: 0,
        verifiedAt: last ? now : prev.verifiedAt,
        lastAttemptAt: now,
      };
      const from = prev.appliedSize;
      const applied = await deps.db.transaction(async (tx) => {
        if (!(await advancePeer(tx, from, next))) return false;
        await holdSignals(tx, member.id, held);
        return true;
      });
      if (!applied) return { kind: 'raced' };
      prev = next;
      deps.metrics.applied.inc({ peer: member.id }, held.length);
      deps.metrics.lag.set({ peer: member.id }, cp.size - next.appliedSize);
      if (deps.onSignalsApplied && held.length > 0) {
        const subjects = [...new Set(held.map((h) => h.signed.body.subject.value))];
        await deps.onSignalsApplied(subjects).catch((err: Error) => deps.logger.error({ peer: member.id, err: { message: err.message } }, 'follow-up of applied signals failed'));
      }
    }
    await cosign(member, cp, note).catch((err: Error) => deps.logger.warn({ peer: member.id, err: { message: err.message } }, 'cosignature not delivered'));
    return { kind: 'applied', from: state.appliedSize, to: cp.size, rejected: rejectedCount };
  }

  return {
    async pull(member) {
      const state = (await getPeer(deps.db, member.id)) ?? initialPeer(member.id);
      if (state.state === 'quarantined') return { kind: 'quarantined' };
      const bytes = await deps.client.get(member, '/peer/v1/log/checkpoint', MAX_CHECKPOINT_BYTES);
      if (!bytes) return { kind: 'empty' };
      let note: string;
      try {
        note = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new PullRejected('checkpoint-not-utf8', 'checkpoint is not UTF-8');
      }
      const now = deps.now();
      const verdict = judgeCheckpoint(note, member, now, { size: state.verifiedSize, rootHash: state.rootHash });
      if (!verdict.ok) {
        if (verdict.misbehaviour) return quarantine(member, state, verdict.misbehaviour, note, verdict.detail);
        throw new PullRejected(verdict.code, verdict.detail);
      }
      const cp = verdict.checkpoint;
      if (cp.size === state.verifiedSize) {
        const fresh = state.checkpoint === null;
        await putPeer(deps.db, { ...state, checkpoint: state.checkpoint ?? note, rootHash: cp.rootHash, seenSize: cp.size, state: 'ok', lastError: null, attempts: 0, lastAttemptAt: now, verifiedAt: fresh ? now : state.verifiedAt });
        if (fresh) await cosign(member, cp, note).catch((err: Error) => deps.logger.warn({ peer: member.id, err: { message: err.message } }, 'cosignature not delivered'));
        return { kind: 'current', size: cp.size };
      }
      if (cp.size - state.appliedSize > deps.maxRoundEntries) {
        throw new PullRejected('peer-too-far-ahead', `${cp.size - state.appliedSize} entries to verify in one round exceed the limit of ${deps.maxRoundEntries}`);
      }
      if (cp.size > state.seenSize) await putPeer(deps.db, { ...state, seenSize: cp.size, lastAttemptAt: now });
      deps.metrics.lag.set({ peer: member.id }, cp.size - state.appliedSize);
      const { body } = requireSelf(deps.roster, deps.memberId);
      let range;
      try {
        range = await fetchRangeChecking(deps.client, member, state.appliedSize, cp.size, {
          concurrency: deps.concurrency,
          verifier: verifierFor(cp.size - state.appliedSize),
          keys: rosterSignalKeys(body),
          now,
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'BUNDLE_MALFORMED') throw new PullRejected('bundle-malformed', (err as Error).message);
        throw err;
      }
      const ext = extendsTo(state.frontier, range.leaves, cp);
      if (!ext.ok) return quarantine(member, state, 'inconsistent', note, `entries ${state.appliedSize}..${cp.size} do not extend the verified tree to the checkpoint root`);
      return apply(member, state, cp, note, range, now);

    },
  };
}

/** The log's own signature line(s) of a checkpoint note (cosignatures from other witnesses dropped). */
function ownLogSignature(note: string, origin: string): string {
  const sigs = note.slice(note.indexOf('\n\n') + 2);
  return sigs
    .split('\n')
    .filter((l) => l.startsWith(`\u2014 ${origin} `))
    .map((l) => `${l}\n`)
    .join('');
}
