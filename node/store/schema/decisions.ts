import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Joint decisions (issue 7 §6): one immutable row per evaluation with the versions it used, its outputs and
 * the full `decision/v1` JSON (which includes the explanation and the evidence). Rows are never updated:
 * whether a decision is in force is derived from its status and its review tasks.
 */
export const decisions = pgTable(
  'decisions',
  {
    /** `dec_<base64url>`. */
    id: text('id').primaryKey(),
    /** Insertion order (ties of `created_at` within one clock tick are ordered by it). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    subject: text('subject').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Why it was evaluated: `request`, `signals`, ... */
    trigger: text('trigger').notNull(),
    inputsDigest: text('inputs_digest').notNull(),
    modelId: text('model_id').notNull(),
    modelVersion: text('model_version').notNull(),
    modelSha256: text('model_sha256').notNull(),
    policyVersion: text('policy_version').notNull(),
    catalogueVersion: text('catalogue_version').notNull(),
    grade: text('grade').notNull(),
    vipTier: text('vip_tier'),
    limitMinor: bigint('limit_minor', { mode: 'number' }).notNull(),
    /** `active`, `frozen` or `under_review` as decided (never changed afterwards). */
    status: text('status').notNull(),
    decision: jsonb('decision').notNull(),
    evidence: jsonb('evidence').notNull(),
  },
  (t) => [index('decisions_subject_created').on(t.subject, t.createdAt)],
);

/**
 * Human review tasks: `limit` (a limit above a review tier) or `human-review` (the subject asked for one).
 * `chain` is the ordered list of roles; `step` the index of the role that acts next; `actions` the
 * `{ role, actor, action, comment, at }` list. States: pending, approved, rejected, superseded.
 */
export const decisionReviews = pgTable(
  'decision_reviews',
  {
    id: text('id').primaryKey(),
    decisionId: text('decision_id').notNull().references(() => decisions.id),
    subject: text('subject').notNull(),
    kind: text('kind').notNull(),
    chain: jsonb('chain').notNull(),
    step: integer('step').notNull(),
    state: text('state').notNull(),
    actions: jsonb('actions').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('decision_reviews_state_created').on(t.state, t.createdAt), index('decision_reviews_decision').on(t.decisionId)],
);

/** A subject's request for human review of an automated decision (PIPL art. 24); answered by a review task. */
export const decisionReviewRequests = pgTable('decision_review_requests', {
  id: text('id').primaryKey(),
  decisionId: text('decision_id').notNull().references(() => decisions.id),
  subject: text('subject').notNull(),
  channel: text('channel').notNull(),
  reason: text('reason'),
  reviewId: text('review_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Early-warning events raised by re-evaluation (grade drop, credit line frozen, VIP lost). */
export const decisionEvents = pgTable(
  'decision_events',
  {
    id: text('id').primaryKey(),
    subject: text('subject').notNull(),
    kind: text('kind').notNull(),
    /** `[previous, new]` decision ids. */
    decisionIds: jsonb('decision_ids').notNull(),
    detail: jsonb('detail').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('decision_events_subject').on(t.subject, t.createdAt)],
);
