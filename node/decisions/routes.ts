/**
 * `/admin/v1/decisions` and `/admin/v1/reviews` (issue 7 §6; openapi.yaml): evaluate a subject, read a decision,
 * work the review queue, record a subject's request for human review. Admin bearer token.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { adminAuth } from '../http/admin/auth';
import { readJson } from '../http/body';
import { HttpProblem, problem, type ProblemCode } from '../http/problem';
import type { SubjectService } from '../subjects/service';
import type { ReviewTask } from './repository';
import type { DecisionRecord, DecisionService } from './service';

const evaluateRequest = z.strictObject({
  subject: z.strictObject({ id: z.string().min(1).max(64) }),
  reason: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/).optional(),
  /** Provider-facing account links for external scores (used for this request only, never stored here). */
  externalIdentifiers: z
    .strictObject({
      name: z.string().min(1).max(64).optional(),
      alipayUserId: z.string().regex(/^\d{16}$/).optional(),
      alipayAuthToken: z.string().min(1).max(256).optional(),
      wechatOpenid: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/).optional(),
    })
    .optional(),
});
const reviewActionRequest = z.strictObject({
  role: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  actor: z.string().min(1).max(128),
  comment: z.string().max(2000).default(''),
});
const humanReviewRequest = z.strictObject({
  channel: z.enum(['app', 'web', 'phone', 'letter', 'in-person', 'other']),
  reason: z.string().max(2000).optional(),
});
const listQuery = z.strictObject({
  state: z.enum(['pending', 'approved', 'rejected', 'superseded']).default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(256).optional(),
});

/** The JSON of a review task. */
export const reviewView = (t: ReviewTask) => ({
  id: t.id,
  decisionId: t.decisionId,
  subject: t.subject,
  kind: t.kind,
  chain: t.chain,
  step: t.step,
  nextRole: t.state === 'pending' ? (t.chain[t.step] ?? null) : null,
  state: t.state,
  actions: t.actions,
  createdAt: t.createdAt.toISOString(),
  decidedAt: t.decidedAt?.toISOString() ?? null,
});

/** The JSON of a decision record: the `decision/v1` document plus where it stands. */
export const decisionView = (r: DecisionRecord) => ({
  id: r.id,
  createdAt: r.createdAt.toISOString(),
  trigger: r.trigger,
  modelId: r.modelId,
  inForce: r.inForce,
  ...r.decision,
  reviews: r.reviews.map(reviewView),
});

const DECISION_ID = /^dec_[A-Za-z0-9_-]{1,64}$/;
const REVIEW_ID = /^rev_[A-Za-z0-9_-]{1,64}$/;

const fail = (f: { code: string; message: string } & Record<string, unknown>): never => {
  const { ok: _ok, code, message, ...extra } = f;
  throw new HttpProblem(problem(code as ProblemCode, message, extra));
};

/** The routes; `subjects` is null before the node joined a consortium. */
export function decisionRoutes(deps: { adminToken: string; service: DecisionService; subjects: SubjectService | null }) {
  const { service } = deps;
  const app = new Hono();
  const auth = adminAuth(deps.adminToken);
  for (const p of ['/admin/v1/decisions', '/admin/v1/decisions/*', '/admin/v1/reviews', '/admin/v1/reviews/*']) app.use(p, auth);

  app.post('/admin/v1/decisions', async (c) => {
    const body = await readJson(c, evaluateRequest);
    if (!deps.subjects) throw new HttpProblem(problem('not-joined', 'run consortium-node join, then restart the node'));
    const subject = await deps.subjects.resolve(body.subject.id);
    if (!subject.ok) return fail(subject);
    const r = await service.evaluate(subject.pseudonym, { reason: body.reason ?? 'request', ...(body.externalIdentifiers ? { identifiers: body.externalIdentifiers } : {}) });
    if (!r.ok) return fail(r);
    return c.json(decisionView(r.record), 201);
  });
  app.get('/admin/v1/decisions/:id', async (c) => {
    const r = DECISION_ID.test(c.req.param('id')) ? await service.get(c.req.param('id')) : null;
    if (!r) return fail({ code: 'decision-not-found', message: `no decision ${c.req.param('id').slice(0, 80)}` });
    return c.json(decisionView(r));
  });
  app.post('/admin/v1/decisions/:id/human-review', async (c) => {
    const body = await readJson(c, humanReviewRequest);
    if (!DECISION_ID.test(c.req.param('id'))) return fail({ code: 'decision-not-found', message: `no decision ${c.req.param('id').slice(0, 80)}` });
    const r = await service.requestHumanReview(c.req.param('id'), body);
    if (!r.ok) return fail(r);
    const { request, review } = r;
    return c.json({ id: request.id, decisionId: request.decisionId, channel: request.channel, reason: request.reason, createdAt: request.createdAt.toISOString(), review: reviewView(review) }, 201);
  });

  app.get('/admin/v1/reviews', async (c) => {
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) {
      const errors = q.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
      return fail({ code: 'validation-failed', message: errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors });
    }
    const page = await service.listReviews(q.data);
    if ('ok' in page) return fail({ code: 'bad-request', message: page.message });
    return c.json({ reviews: page.reviews.map(reviewView), next: page.next });
  });
  app.get('/admin/v1/reviews/:id', async (c) => {
    const r = REVIEW_ID.test(c.req.param('id')) ? await service.getReview(c.req.param('id')) : null;
    if (!r) return fail({ code: 'review-not-found', message: `no review task ${c.req.param('id').slice(0, 80)}` });
    return c.json(reviewView(r));
  });
  for (const action of ['approve', 'reject'] as const) {
    app.post(`/admin/v1/reviews/:id/${action}`, async (c) => {
      const body = await readJson(c, reviewActionRequest);
      if (!REVIEW_ID.test(c.req.param('id'))) return fail({ code: 'review-not-found', message: `no review task ${c.req.param('id').slice(0, 80)}` });
      const r = await service[action](c.req.param('id'), body);
      if (!r.ok) return fail(r);
      return c.json(reviewView(r.review));
    });
  }
  return app;
}
