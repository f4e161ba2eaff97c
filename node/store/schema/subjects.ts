import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

/**
 * Subjects this node knows, indexed only by pseudonym. The normalized identifier is kept encrypted at
 * rest (libsodium secretbox with the node's storage key), so a database dump alone reveals no ID numbers.
 */
export const subjects = pgTable('subjects', {
  pseudonym: text('pseudonym').primaryKey(),
  pseudonymKid: text('pseudonym_kid').notNull(),
  /** nonce || secretbox(normalized identifier). */
  sealedIdentifier: bytea('sealed_identifier').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Consent records (architecture section 6); never deleted, withdrawal is recorded in place. */
export const consents = pgTable(
  'consents',
  {
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    purpose: text('purpose').notNull(),
    /** The signed record as issued (JCS-stable JSON) and its reference `sha256:<hex>` carried by signals. */
    record: jsonb('record').notNull(),
    ref: text('ref').notNull().unique(),
    signature: text('signature').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
    /** Set when the withdrawal tombstone was published to the log. */
    withdrawalSignalId: text('withdrawal_signal_id'),
  },
  (t) => [index('consents_subject_purpose').on(t.subject, t.purpose)],
);
