/**
 * The contract between the consortium network module (the member's own log, serving it to peers, pulling
 * and verifying peers' logs, witnessing) and the rest of the node. The composition root builds the network
 * with {@link NetworkDeps} and uses only what {@link Network} exposes.
 */
import type { Hono } from 'hono';
import type { RosterBody, SignedRoster, SignedSignal } from '../../protocol';
import type { NodeConfig } from '../config/schema';
import type { NodeKeys } from '../keys/keyfile';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Db } from '../store/database';

/** The roster this node currently trusts (verified, highest version applied), or null before `join`. */
export interface RosterSource {
  current(): { body: RosterBody; signed: SignedRoster } | null;
  /** Called after a newer roster is applied (suspended/revoked members must stop being pulled from and served to). */
  onChange(listener: (body: RosterBody) => void): () => void;
}

export interface NetworkDeps {
  config: NodeConfig;
  keys: NodeKeys;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  /** Cryptographically secure random bytes (tests pass a seeded source). */
  random: (n: number) => Uint8Array;
  /** HTTP client used to reach peers (tests may intercept it). */
  fetch: typeof fetch;
  roster: RosterSource;
  /** Pull loop tuning; defaults are for production. */
  pull?: { intervalMs?: number; maxBackoffMs?: number; batchEntries?: number };
  /**
   * Called after a pull committed new verified signals, with the subject pseudonyms they are about
   * (re-evaluation of decisions). Errors are logged, never undo the pull.
   */
  onSignalsApplied?: (subjects: string[]) => Promise<void>;
  /** Called after an entry bundle of the own log (entries `[from, to)`) was served to `peer` (compliance records). Must not throw. */
  onEntriesServed?: (peer: string, from: number, to: number) => void;
  /** Checkpoint cadence: a new checkpoint is signed within this long after an append (default 1000 ms). */
  checkpointIntervalMs?: number;
}

/** A signal this node holds (its own or a peer's), as the rest of the node sees it. */
export interface HeldSignal {
  issuer: string;
  logIndex: number;
  id: string;
  type: string;
  subject: { kid: string; value: string };
  issuedAt: string;
  expiresAt: string;
  /** The signed signal as it was logged. */
  signed: SignedSignal;
  /** `verified`: signature and inclusion checked against a verified checkpoint (own entries are self-verified). */
  verification: 'verified';
  own: boolean;
}

/** What `GET /admin/v1/peers` shows for one peer. */
export interface PeerStatus {
  memberId: string;
  state: 'ok' | 'lagging' | 'unreachable' | 'quarantined' | 'inactive';
  /** Size of the peer's log at the last verified checkpoint. */
  verifiedSize: number;
  verifiedAt: string | null;
  /** Entries applied locally (the cursor). */
  appliedSize: number;
  /** Entries known to exist at the peer but not yet applied. */
  lag: number;
  lastError: string | null;
  lastAttemptAt: string | null;
}

/** (added) Evidence kept when a peer misbehaves: the previously verified and the offending checkpoint. */
export interface PeerEvidence {
  memberId: string;
  kind: 'fork' | 'shrink' | 'inconsistent' | 'bad-signature' | string;
  previous: string | null;
  offending: string;
  detail: string;
  createdAt: Date;
}

export interface Network {
  /** Routes under `/peer/v1/` (peer-authenticated), mounted by the composition root. */
  surface: Hono<any>;
  log: {
    /**
     * Appends signed signals durably (one transaction, batched with concurrent callers) and returns their
     * log indexes in order. When this resolves the entries are committed; a checkpoint covering them is
     * signed within `checkpointIntervalMs`.
     */
    append(signals: SignedSignal[]): Promise<{ index: number; id: string }[]>;
    /** The latest signed checkpoint note of the member's own log, or null when none is signed yet. */
    latestCheckpoint(): Promise<string | null>;
    /** (added) Signs a checkpoint now if the log grew since the last one; resolves with its size (null before joining). */
    checkpointNow(): Promise<number | null>;
  };
  signals: {
    /** Every valid signal held about a subject pseudonym: not expired at `asOf`, not withdrawn, not retracted (control signals — tombstones and retractions — are not returned). */
    bySubject(subjectValue: string, asOf: Date): Promise<HeldSignal[]>;
  };
  peers: {
    status(): Promise<PeerStatus[]>;
    /** Pulls every active peer once now (tests, `demo`); resolves when the round is done. */
    pullOnce(): Promise<void>;
    /** (added) Evidence of misbehaviour stored about a peer, oldest first. */
    evidence(memberId: string): Promise<PeerEvidence[]>;
    /**
     * Lifts a quarantine after an operator has dealt with the evidence: the peer is pulled again from its last
     * verified checkpoint, so a log that is still forked is quarantined again at once. False when the peer was
     * not quarantined. The evidence is kept.
     */
    releaseQuarantine(memberId: string): Promise<boolean>;
  };
  /** Starts the background jobs (checkpointing, pulling). */
  start(): void;
  /** Stops background jobs and waits for in-flight work. */
  stop(): Promise<void>;
}
