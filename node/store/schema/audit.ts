import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const int64 = (name: string) => bigint(name, { mode: 'number' });

/**
 * The node's tamper-evident audit log (issue 9 §1): entry `idx` is one leaf of an RFC 6962 Merkle tree whose
 * bytes are the RFC 8785 canonical JSON `body` (`{v, index, at, type, actor, subject?, detail}`). The other
 * columns repeat fields of the body for queries only; verification trusts nothing but `body`.
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    idx: int64('idx').primaryKey(),
    at: ts('at').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    /** Subject pseudonym, never a raw identifier. */
    subject: text('subject'),
    body: bytea('body').notNull(),
    leafHash: bytea('leaf_hash').notNull(),
  },
  (t) => [index('audit_entries_subject').on(t.subject, t.idx), index('audit_entries_type').on(t.type, t.idx)],
);

/** Stored Merkle hashes of the audit log, by stored-hash index (docs/protocol.md section 5.3). */
export const auditHashes = pgTable('audit_hashes', {
  idx: int64('idx').primaryKey(),
  hash: bytea('hash').notNull(),
});

/** Signed checkpoints of the audit log (C2SP tlog-checkpoint signed notes, origin `<member>.audit.consortium`). */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  size: int64('size').primaryKey(),
  rootHash: bytea('root_hash').notNull(),
  note: text('note').notNull(),
  signedAt: ts('signed_at').notNull(),
});
