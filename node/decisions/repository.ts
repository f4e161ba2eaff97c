/**
 * Storage of decisions, review tasks, human-review requests and early-warning events (issue 7 §6), written once
 * against the drizzle `Db` type so it runs on PGlite and PostgreSQL. Decision rows are insert-only.
 */
import { and, asc, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Decision } from '../../scoring';
import type { Db } from '../store/database';
import { decisionEvents, decisionReviewRequests, decisionReviews, decisions } from '../store/schema';

/** A stored decision. */
export interface StoredDecision {
  id: string;
  subject: string;
  createdAt: Date;
  /** Why it was evaluated (`request`, `signals`). */
  trigger: string;
  /** Registry id (SHA-256) of the model used. */
  modelId: string;
  decision: Decision;
}

/** Review task states; `superseded` = a newer decision for the subject replaced the one under review. */
export type ReviewState = 'pending' | 'approved' | 'rejected' | 'superseded';

/** One approval or rejection in a review chain. */
export interface ReviewAction {
  role: string;
  actor: string;
  action: 'approve' | 'reject';
  comment: string;
  at: string;
}

/** A review task: `limit` (the limit exceeds a review tier) or `human-review` (requested by the subject). */
export interface ReviewTask {
  id: string;
  decisionId: string;
  subject: string;
  kind: 'limit' | 'human-review';
  chain: string[];
  step: number;
  state: ReviewState;
  actions: ReviewAction[];
  createdAt: Date;
  decidedAt: Date | null;
}

/** A subject's request for human review. */
export interface ReviewRequest {
  id: string;
  decisionId: string;
  subject: string;
  channel: string;
  reason: string | null;
  reviewId: string;
  createdAt: Date;
}

/** An early-warning event. */
export interface EarlyWarningEvent {
  id: string;
  subject: string;
  kind: string;
  /** `[previous, new]`. */
  decisionIds: string[];
  detail: Record<string, unknown>;
  createdAt: Date;
}

/** The decisions repository. */
export interface DecisionRepository {
  /** Stores a decision and its review task (if any); pending limit reviews of the subject's older decisions become `superseded`. */
  insertDecision(d: StoredDecision, review: ReviewTask | null): Promise<void>;
  getDecision(id: string): Promise<StoredDecision | null>;
  /** The subject's most recent decision, whatever its state. */
  latest(subject: string): Promise<StoredDecision | null>;
  /**
   * The decision in force: the most recent one that is not under review (or whose limit review was approved)
   * and that no review rejected.
   */
  effective(subject: string): Promise<StoredDecision | null>;
  /** Which of `subjects` have at least one decision. */
  decidedSubjects(subjects: readonly string[]): Promise<string[]>;
  getReview(id: string): Promise<ReviewTask | null>;
  reviewsOf(decisionId: string): Promise<ReviewTask[]>;
  /** Review tasks in a state, oldest first, after `cursor` (exclusive). */
  listReviews(q: { state: ReviewState; limit: number; after?: { createdAt: Date; id: string } }): Promise<ReviewTask[]>;
  /** Applies an action if the task is still pending at `expectedStep`; null when someone else acted first. */
  updateReview(id: string, expectedStep: number, next: Pick<ReviewTask, 'step' | 'state' | 'actions' | 'decidedAt'>): Promise<ReviewTask | null>;
  insertReviewRequest(req: ReviewRequest, review: ReviewTask): Promise<void>;
  insertEvents(events: EarlyWarningEvent[]): Promise<void>;
  events(subject: string, limit: number): Promise<EarlyWarningEvent[]>;
}

type DecisionRow = typeof decisions.$inferSelect;
type ReviewRow = typeof decisionReviews.$inferSelect;

const toStored = (r: DecisionRow): StoredDecision => ({ id: r.id, subject: r.subject, createdAt: r.createdAt, trigger: r.trigger, modelId: r.modelId, decision: r.decision as Decision });
const toReview = (r: ReviewRow): ReviewTask => ({
  id: r.id,
  decisionId: r.decisionId,
  subject: r.subject,
  kind: r.kind as ReviewTask['kind'],
  chain: r.chain as string[],
  step: r.step,
  state: r.state as ReviewState,
  actions: r.actions as ReviewAction[],
  createdAt: r.createdAt,
  decidedAt: r.decidedAt,
});
const reviewRow = (t: ReviewTask): typeof decisionReviews.$inferInsert => ({ ...t });

/** Builds the repository over `db`. */
export function createDecisionRepository(db: Db): DecisionRepository {
  return {
    async insertDecision(s, review) {
      const d = s.decision;
      await db.transaction(async (tx) => {
        await tx
          .update(decisionReviews)
          .set({ state: 'superseded', decidedAt: s.createdAt })
          .where(and(eq(decisionReviews.subject, s.subject), eq(decisionReviews.kind, 'limit'), eq(decisionReviews.state, 'pending')));
        await tx.insert(decisions).values({
          id: s.id,
          subject: s.subject,
          createdAt: s.createdAt,
          trigger: s.trigger,
          inputsDigest: d.inputsDigest,
          modelId: s.modelId,
          modelVersion: d.versions.model,
          modelSha256: d.versions.modelSha256,
          policyVersion: d.versions.policy,
          catalogueVersion: d.versions.catalogue,
          grade: d.grade,
          vipTier: d.vip?.tier ?? null,
          limitMinor: d.limit.jointLimitMinor,
          status: d.status,
          decision: d,
          evidence: d.evidence,
        });
        if (review) await tx.insert(decisionReviews).values(reviewRow(review));
      });
    },
    async getDecision(id) {
      const rows = await db.select().from(decisions).where(eq(decisions.id, id));
      return rows[0] ? toStored(rows[0]) : null;
    },
    async latest(subject) {
      const rows = await db.select().from(decisions).where(eq(decisions.subject, subject)).orderBy(desc(decisions.seq)).limit(1);
      return rows[0] ? toStored(rows[0]) : null;
    },
    async effective(subject) {
      const rejected = sql`exists (select 1 from ${decisionReviews} r where r.decision_id = ${decisions.id} and r.state = 'rejected')`;
      const approved = sql`exists (select 1 from ${decisionReviews} r where r.decision_id = ${decisions.id} and r.kind = 'limit' and r.state = 'approved')`;
      const rows = await db
        .select()
        .from(decisions)
        .where(and(eq(decisions.subject, subject), sql`not ${rejected}`, or(sql`${decisions.status} <> 'under_review'`, approved)))
        .orderBy(desc(decisions.seq))
        .limit(1);
      return rows[0] ? toStored(rows[0]) : null;
    },
    async decidedSubjects(subjects) {
      if (subjects.length === 0) return [];
      const rows = await db.selectDistinct({ subject: decisions.subject }).from(decisions).where(inArray(decisions.subject, [...subjects]));
      return rows.map((r) => r.subject);
    },
    async getReview(id) {
      const rows = await db.select().from(decisionReviews).where(eq(decisionReviews.id, id));
      return rows[0] ? toReview(rows[0]) : null;
    },
    async reviewsOf(decisionId) {
      const rows = await db.select().from(decisionReviews).where(eq(decisionReviews.decisionId, decisionId)).orderBy(asc(decisionReviews.createdAt), asc(decisionReviews.id));
      return rows.map(toReview);
    },
    async listReviews({ state, limit, after }) {
      const cursor = after
        ? or(gt(decisionReviews.createdAt, after.createdAt), and(eq(decisionReviews.createdAt, after.createdAt), gt(decisionReviews.id, after.id)))
        : undefined;
      const rows = await db
        .select()
        .from(decisionReviews)
        .where(and(eq(decisionReviews.state, state), cursor))
        .orderBy(asc(decisionReviews.createdAt), asc(decisionReviews.id))
        .limit(limit);
      return rows.map(toReview);
    },
    async updateReview(id, expectedStep, next) {
      const rows = await db
        .update(decisionReviews)
        .set({ step: next.step, state: next.state, actions: next.actions, decidedAt: next.decidedAt })
        .where(and(eq(decisionReviews.id, id), eq(decisionReviews.step, expectedStep), eq(decisionReviews.state, 'pending')))
        .returning();
      return rows[0] ? toReview(rows[0]) : null;
    },
    async insertReviewRequest(req, review) {
      await db.transaction(async (tx) => {
        await tx.insert(decisionReviews).values(reviewRow(review));
        await tx.insert(decisionReviewRequests).values(req);
      });
    },
    async insertEvents(events) {
      if (events.length > 0) await db.insert(decisionEvents).values(events);
    },
    async events(subject, limit) {
      const rows = await db.select().from(decisionEvents).where(eq(decisionEvents.subject, subject)).orderBy(asc(decisionEvents.createdAt), asc(decisionEvents.id)).limit(limit);
      return rows.map((r) => ({ id: r.id, subject: r.subject, kind: r.kind, decisionIds: r.decisionIds as string[], detail: r.detail as Record<string, unknown>, createdAt: r.createdAt }));
    },
  };
}
