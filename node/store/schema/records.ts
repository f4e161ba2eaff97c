import { index, integer, json, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea, idText } from './columns';

/**
 * Standardized member records (docs/data-standard.md §5-6), one row per natural key
 * (`order:SO-1`, `installment:CL-7#3`). `hash` is a keyed digest (HMAC with the storage key) of the
 * record's content hash, so re-imports are idempotent without exposing a guessable digest of personal
 * data. Personal fields (subject identifier, phone, name) live only in `sealed` (nonce || secretbox of
 * their JSON); `data` holds the rest. `subject` is the pseudonym of the customer the record belongs to.
 */
export const memberRecords = pgTable(
  'member_records',
  {
    key: idText('key').primaryKey(),
    entity: text('entity').notNull(),
    /** Pseudonym of the subject (through the customer, or the credit line for installments). */
    subject: idText('subject').notNull(),
    /** The member's customer reference the record hangs off. */
    customerRef: text('customer_ref').notNull(),
    hash: text('hash').notNull(),
    /** The record's JSON as imported: `json`, not `jsonb`, since it is never indexed and is read whole or by a single `->>` (jsonb would re-encode every row, about a quarter of a bulk COPY's server time). */
    data: json('data').notNull(),
    sealed: bytea('sealed'),
    importId: text('import_id').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  // customer_ref needs no index of its own: a customer's records are found by subject (moves, erasure, reports)
  (t) => [index('member_records_subject').on(t.subject)],
);

/** Import runs (CLI and admin API): status, files, counters and rejects by reason. */
export const importRuns = pgTable('import_runs', {
  id: text('id').primaryKey(),
  /** queued | running | succeeded | failed */
  status: text('status').notNull(),
  /** Mapping name or file base name (never its content). */
  mapping: text('mapping').notNull(),
  /** File base names in import order. */
  files: jsonb('files').notNull(),
  /** The import summary so far (counters, rejects by reason, signal counters). */
  summary: jsonb('summary').notNull(),
  rejectsPath: text('rejects_path'),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  error: text('error'),
});

/**
 * Subjects whose records changed since their signals were last derived. `state`: `pending` (derive
 * at the next derivation pass), `done`, or `no-consent` (skipped: no active sharing consent).
 */
export const derivationSubjects = pgTable(
  'derivation_subjects',
  {
    subject: text('subject').primaryKey(),
    subjectKid: text('subject_kid').notNull(),
    state: text('state').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('derivation_subjects_state').on(t.state)],
);

/** Derived signals currently published per subject and derivation key (docs/data-standard.md §7.3). */
export const derivedSignals = pgTable(
  'derived_signals',
  {
    subject: text('subject').notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    signalId: text('signal_id').notNull(),
    logIndex: integer('log_index').notNull(),
    expiresAt: text('expires_at').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.key] })],
);
