/**
 * Review actions (issue 7 §6): a limit above a review tier takes effect only when every role of its chain approved,
 * in order; a rejection keeps the previous decision in force. A subject may ask for human review of any automated
 * decision (PIPL art. 24); rejecting that review overturns the decision (the previous one stays in force).
 * One actor may act on only one step of a chain (four eyes).
 */
import type { Decision } from '../../scoring';
import type { Network } from '../network/types';
import { failure, type DecisionFailure } from './errors';
import { newId } from './ids';
import type { DecisionMetrics } from './metrics';
import type { DecisionRepository, ReviewRequest, ReviewState, ReviewTask, StoredDecision } from './repository';
import type { AuditSink } from '../compliance/contracts';

/** An approval or rejection. */
export interface ReviewInput {
  role: string;
  actor: string;
  comment: string;
}

/** A page of review tasks; `next` is the cursor of the following page or null. */
export interface ReviewPage {
  reviews: ReviewTask[];
  next: string | null;
}

/** Review operations of the decisions service. */
export interface ReviewActions {
  listReviews(q: { state: ReviewState; limit: number; cursor?: string }): Promise<ReviewPage | { ok: false; code: 'bad-cursor'; message: string }>;
  getReview(id: string): Promise<ReviewTask | null>;
  approve(reviewId: string, input: ReviewInput): Promise<{ ok: true; review: ReviewTask } | DecisionFailure>;
  reject(reviewId: string, input: ReviewInput): Promise<{ ok: true; review: ReviewTask } | DecisionFailure>;
  requestHumanReview(decisionId: string, req: { channel: string; reason?: string }): Promise<{ ok: true; request: ReviewRequest; review: ReviewTask } | DecisionFailure>;
}

/** What review actions need. */
export interface ReviewDeps {
  repo: DecisionRepository;
  network: Pick<Network, 'signals'>;
  metrics: DecisionMetrics;
  now: () => Date;
  random: (n: number) => Uint8Array;
  humanReviewChain: string[];
  /** Records `review.action` (issue 9 audit log). */
  audit?: AuditSink;
  /** Shares a decision that just came into force. */
  share(subject: { kid: string; value: string } | null, prev: Decision | null, next: StoredDecision): Promise<void>;
}

const encodeCursor = (t: ReviewTask) => Buffer.from(JSON.stringify([t.createdAt.toISOString(), t.id])).toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') return null;
    const createdAt = new Date(v[0]);
    return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: v[1] };
  } catch {
    return null;
  }
}

/** Builds the review actions. */
export function createReviewActions(deps: ReviewDeps): ReviewActions {
  const { repo } = deps;

  async function act(reviewId: string, input: ReviewInput, action: 'approve' | 'reject') {
    const task = await repo.getReview(reviewId);
    if (!task) return failure('review-not-found', `no review task ${reviewId}`);
    if (task.state !== 'pending') return failure('review-not-pending', `review task ${reviewId} is ${task.state}; only pending tasks can be approved or rejected`);
    const expected = task.chain[task.step]!;
    if (input.role !== expected) {
      return failure('review-wrong-role', `step ${task.step + 1} of ${task.chain.length} of this review needs role '${expected}', not '${input.role}'`, { expectedRole: expected });
    }
    if (task.actions.some((a) => a.actor === input.actor)) {
      return failure('review-same-actor', `actor '${input.actor}' already acted on this review; another person must take step ${task.step + 1}`);
    }
    const now = deps.now();
    const actions = [...task.actions, { role: input.role, actor: input.actor, action, comment: input.comment, at: now.toISOString() }];
    const last = task.step + 1 === task.chain.length;
    const state: ReviewState = action === 'reject' ? 'rejected' : last ? 'approved' : 'pending';
    const prevInForce = task.kind === 'limit' && state === 'approved' ? await repo.effective(task.subject) : null;
    const updated = await repo.updateReview(task.id, task.step, { step: action === 'approve' ? task.step + 1 : task.step, state, actions, decidedAt: state === 'pending' ? null : now });
    if (!updated) return failure('review-not-pending', `review task ${reviewId} was changed concurrently; reload it and try again`);
    if (state !== 'pending') deps.metrics.reviews.inc({ kind: task.kind, outcome: state });
    await deps.audit?.record({ type: 'review.action', actor: `reviewer:${input.actor}`, subject: task.subject, detail: { review: task.id, decision: task.decisionId, kind: task.kind, action, role: input.role, state } });
    if (task.kind === 'limit' && state === 'approved') {
      const decision = (await repo.getDecision(task.decisionId))!;
      const kid = (await deps.network.signals.bySubject(task.subject, now))[0]?.subject.kid;
      await deps.share(kid ? { kid, value: task.subject } : null, prevInForce?.decision ?? null, decision);
    }
    return { ok: true as const, review: updated };
  }

  return {
    async listReviews({ state, limit, cursor }) {
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (after === null) return { ok: false, code: 'bad-cursor', message: 'the cursor is not one this node issued' };
      const rows = await repo.listReviews({ state, limit: limit + 1, ...(after ? { after } : {}) });
      const page = rows.slice(0, limit);
      return { reviews: page, next: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
    },
    getReview: (id) => repo.getReview(id),
    approve: (id, input) => act(id, input, 'approve'),
    reject: (id, input) => act(id, input, 'reject'),
    async requestHumanReview(decisionId, req) {
      const d = await repo.getDecision(decisionId);
      if (!d) return failure('decision-not-found', `no decision ${decisionId}`);
      const open = (await repo.reviewsOf(decisionId)).find((r) => r.kind === 'human-review' && r.state === 'pending');
      if (open) return failure('review-already-requested', `a human review of decision ${decisionId} is already pending (${open.id})`, { reviewId: open.id });
      const now = deps.now();
      const review: ReviewTask = { id: newId('rev', deps.random), decisionId, subject: d.subject, kind: 'human-review', chain: [...deps.humanReviewChain], step: 0, state: 'pending', actions: [], createdAt: now, decidedAt: null };
      const request: ReviewRequest = { id: newId('hrr', deps.random), decisionId, subject: d.subject, channel: req.channel, reason: req.reason ?? null, reviewId: review.id, createdAt: now };
      await repo.insertReviewRequest(request, review);
      await deps.audit?.record({ type: 'review.action', actor: 'subject', subject: d.subject, detail: { review: review.id, decision: decisionId, kind: 'human-review', action: 'requested', channel: req.channel } });
      return { ok: true as const, request, review };
    },
  };
}
