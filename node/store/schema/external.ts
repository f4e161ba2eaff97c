import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Cached external score answers (issue 6 §5): one row per provider and subject pseudonym, the
 * verified outcome as JSON, and when it stops being usable. Dropped per subject on consent withdrawal.
 */
export const externalScoreCache = pgTable(
  'external_score_cache',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    /** The cached `CachedOutcome` (a verified success or a verified N/A answer). */
    outcome: jsonb('outcome').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.subject] }), index('external_score_cache_subject').on(t.subject)],
);

/**
 * Provenance of every verified provider answer (issue 6 §5): the raw signed response text exactly as
 * received and the signature material, so a compliance officer can re-verify it later. Never updated.
 */
export const externalScoreProvenance = pgTable(
  'external_score_provenance',
  {
    /** `exp_<hex>`: a digest of the record, so saving the same answer twice keeps one row. */
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    consentId: text('consent_id').notNull(),
    reference: text('reference'),
    /** Raw response body text exactly as received (the signed bytes). */
    rawResponse: text('raw_response').notNull(),
    /** `{ scheme, value, keyId, headers }`: signature value, key id and the verification headers. */
    signature: jsonb('signature').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The whole `ProvenanceRecord` (its `response.body` is restored from `raw_response` on read). */
    record: jsonb('record').notNull(),
  },
  (t) => [index('external_score_provenance_subject').on(t.subject), index('external_score_provenance_consent').on(t.consentId)],
);
