import { bigint, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const int64 = (name: string) => bigint(name, { mode: 'number' });

/** The member's own log (architecture section 4): entry `idx` holds the JCS bytes of one signed signal. */
export const logEntries = pgTable('log_entries', {
  idx: int64('idx').primaryKey(),
  entry: bytea('entry').notNull(),
  leafHash: bytea('leaf_hash').notNull(),
  signalId: text('signal_id').notNull().unique(),
});

/** Stored Merkle hashes of the own log, by stored-hash index (docs/protocol.md section 5.3). */
export const logHashes = pgTable('log_hashes', {
  idx: int64('idx').primaryKey(),
  hash: bytea('hash').notNull(),
});

/** Checkpoints signed for the own log (C2SP tlog-checkpoint signed notes). */
export const logCheckpoints = pgTable('log_checkpoints', {
  size: int64('size').primaryKey(),
  rootHash: bytea('root_hash').notNull(),
  /** The signed note exactly as signed (no cosignatures). */
  note: text('note').notNull(),
  signedAt: ts('signed_at').notNull(),
});

/**
 * Every signal this node holds, its own and its peers', after verification. `status` moves from
 * `valid` to `withdrawn` (a `consent.withdrawn` tombstone from the same issuer) or `retracted`.
 */
export const heldSignals = pgTable(
  'held_signals',
  {
    issuer: text('issuer').notNull(),
    logIndex: int64('log_index').notNull(),
    signalId: text('signal_id').notNull(),
    type: text('type').notNull(),
    subjectKid: text('subject_kid').notNull(),
    subjectValue: text('subject_value').notNull(),
    issuedAt: ts('issued_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    /** The log entry bytes (JCS of `{body, kid, sig}`). */
    entry: bytea('entry').notNull(),
    status: text('status', { enum: ['valid', 'withdrawn', 'retracted'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.issuer, t.logIndex] }),
    uniqueIndex('held_signals_issuer_signal').on(t.issuer, t.signalId),
    index('held_signals_subject').on(t.subjectValue),
  ],
);

/** Replication state per peer: the last verified checkpoint, its frontier, and the apply cursor. */
export const peerState = pgTable('peer_state', {
  memberId: text('member_id').primaryKey(),
  /** Last verified checkpoint note (as fetched), its size and root. */
  checkpoint: text('checkpoint'),
  verifiedSize: int64('verified_size').notNull(),
  rootHash: bytea('root_hash'),
  /** Concatenated frontier hashes at `verifiedSize` (32 bytes each). */
  frontier: bytea('frontier').notNull(),
  /** Entries applied (the cursor); equals `verifiedSize` after every committed pull. */
  appliedSize: int64('applied_size').notNull(),
  /** Largest checkpoint size seen (verified signature), possibly not yet applied. */
  seenSize: int64('seen_size').notNull(),
  state: text('state', { enum: ['ok', 'unreachable', 'quarantined'] }).notNull(),
  lastError: text('last_error'),
  attempts: integer('attempts').notNull(),
  verifiedAt: ts('verified_at'),
  lastAttemptAt: ts('last_attempt_at'),
  nextAttemptAt: ts('next_attempt_at'),
});

/** Evidence of peer misbehaviour (fork, shrink, inconsistent entries, bad signature by a known key). */
export const peerEvidence = pgTable(
  'peer_evidence',
  {
    id: serial('id').primaryKey(),
    memberId: text('member_id').notNull(),
    kind: text('kind').notNull(),
    /** The previously verified checkpoint note (may be null before the first). */
    previous: text('previous'),
    /** The offending checkpoint note as received. */
    offending: text('offending').notNull(),
    detail: text('detail').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('peer_evidence_member').on(t.memberId)],
);

/**
 * C2SP cosignature lines: for our own checkpoints, received from peers' witnesses; for peers'
 * checkpoints, made by this node's witness key (`witness` = this member).
 */
export const cosignatures = pgTable(
  'cosignatures',
  {
    origin: text('origin').notNull(),
    size: int64('size').notNull(),
    witness: text('witness').notNull(),
    /** The signature line, `— <name> <base64>\n`. */
    line: text('line').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.origin, t.size, t.witness] })],
);

/** JWT ids of accepted peer requests, kept until they expire (replay protection). */
export const peerTokenIds = pgTable(
  'peer_token_ids',
  {
    jti: text('jti').primaryKey(),
    issuer: text('issuer').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('peer_token_ids_expires').on(t.expiresAt)],
);
