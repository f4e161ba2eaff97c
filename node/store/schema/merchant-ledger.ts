import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

/** Amount columns: integer minor units; every documented bound keeps them below 2^53, so JS numbers are exact. */
const minor = (name: string) => bigint(name, { mode: 'number' });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A customer's line at this member as partner merchants use it (issue 8 §4): one row per subject pseudonym, the row
 * that authorizations lock (`SELECT ... FOR UPDATE`) so that holds + outstanding never exceed the limit.
 * `outstandingMinor` is captured minus repaid. `seen*` is the decision in force when the line was last observed
 * (webhooks `line.frozen` / `limit.changed` fire when it changes).
 */
export const merchantLines = pgTable('merchant_lines', {
  subject: text('subject').primaryKey(),
  currency: text('currency').notNull(),
  outstandingMinor: minor('outstanding_minor').notNull(),
  version: integer('version').notNull(),
  seenDecisionId: text('seen_decision_id'),
  seenLimitMinor: minor('seen_limit_minor'),
  seenStatus: text('seen_status'),
  updatedAt: at('updated_at').notNull(),
});

/**
 * Authorizations (holds) merchants place on a customer's line. `state`: held | captured | released | expired.
 * `repaidAdminMinor` (repayments the member recorded) and `repaidImportMinor` (installments of the import whose
 * `orderRef` is this id) both describe the same money: the credited repayment is the larger of the two.
 */
export const merchantAuthorizations = pgTable(
  'merchant_authorizations',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id').notNull(),
    subject: text('subject').notNull(),
    consentId: text('consent_id').notNull(),
    decisionId: text('decision_id').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    merchantReference: text('merchant_reference').notNull(),
    state: text('state').notNull(),
    capturedMinor: minor('captured_minor').notNull(),
    repaidAdminMinor: minor('repaid_admin_minor').notNull(),
    repaidImportMinor: minor('repaid_import_minor').notNull(),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    capturedAt: at('captured_at'),
    releasedAt: at('released_at'),
    expiredAt: at('expired_at'),
  },
  (t) => [
    index('merchant_authorizations_subject').on(t.subject, t.state),
    index('merchant_authorizations_expiry').on(t.state, t.expiresAt),
    index('merchant_authorizations_client').on(t.clientId, t.createdAt),
  ],
);

/** Append-only movements on a line (hold, release, capture, expiry, repayment) so every balance is explainable. */
export const merchantLedgerEntries = pgTable(
  'merchant_ledger_entries',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    subject: text('subject').notNull(),
    authorizationId: text('authorization_id'),
    kind: text('kind').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** merchant | admin | import | job */
    source: text('source').notNull(),
    reference: text('reference'),
    at: at('at').notNull(),
  },
  (t) => [index('merchant_ledger_entries_subject').on(t.subject, t.seq), index('merchant_ledger_entries_authorization').on(t.authorizationId)],
);

/** Repayments the member recorded through `POST /admin/v1/repayments`; `reference` is unique per subject. */
export const merchantRepayments = pgTable(
  'merchant_repayments',
  {
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    reference: text('reference').notNull(),
    amountMinor: minor('amount_minor').notNull(),
    currency: text('currency').notNull(),
    authorizationId: text('authorization_id'),
    /** Which captured authorizations the repayment paid down, and what that newly credited (`appliedMinor`). */
    allocations: jsonb('allocations').$type<{ authorizationId: string; amountMinor: number; appliedMinor?: number }[]>().notNull(),
    recordedAt: at('recorded_at').notNull(),
  },
  (t) => [uniqueIndex('merchant_repayments_reference').on(t.subject, t.reference)],
);

/** Merchant webhook endpoints (issue 8 §6); the signing secret is sealed with the storage key (nonce || box). */
export const merchantWebhookEndpoints = pgTable(
  'merchant_webhook_endpoints',
  {
    id: text('id').primaryKey(),
    clientId: text('client_id').notNull(),
    url: text('url').notNull(),
    sealedSecret: bytea('sealed_secret').notNull(),
    active: boolean('active').notNull(),
    createdAt: at('created_at').notNull(),
    disabledAt: at('disabled_at'),
  },
  (t) => [index('merchant_webhook_endpoints_client').on(t.clientId)],
);

/**
 * The delivery queue and log: one row per (event, endpoint). `state`: pending | delivered | failed (gave up).
 * `attempts` so far, `nextAttemptAt` when pending; `lastStatus`/`lastError` of the latest attempt.
 */
export const merchantWebhookDeliveries = pgTable(
  'merchant_webhook_deliveries',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    endpointId: text('endpoint_id').notNull(),
    clientId: text('client_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: at('next_attempt_at'),
    lastAttemptAt: at('last_attempt_at'),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull(),
    deliveredAt: at('delivered_at'),
  },
  (t) => [
    index('merchant_webhook_deliveries_due').on(t.state, t.nextAttemptAt),
    index('merchant_webhook_deliveries_client').on(t.clientId, t.createdAt),
  ],
);
