import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, goodHistory, held, type Harness } from './harness';

const onTime = { product: 'bnpl', window: '24m', instalments: '12-23', onTimeRatio: 'all', asOf: '2026-10' };
const ID = '+8613700137000';

describe('review routing by amount', () => {
  let h: Harness;
  let pseudonym: string;
  beforeAll(async () => {
    h = await createHarness();
    const p = h.subjects.pseudonymOf(ID);
    if (!p.ok) throw new Error(p.message);
    pseudonym = p.pseudonym.value;
    // A grade-A subject: the limit is its assessed capacity, so the capacity chooses the review tier.
    h.own.set(pseudonym, goodHistory(h.clock.now()));
    h.signals.set(pseudonym, ['member-b', 'member-c'].map((m, i) => held(p.pseudonym, m, i, 'repayment.on_time', onTime, h.clock.now())));
  });
  afterAll(async () => h.close());

  const evaluate = async (capacityMinor: number) => {
    h.capacity.set(pseudonym, capacityMinor);
    const res = await h.call('POST', '/admin/v1/decisions', { subject: { id: ID } });
    expect(res.status).toBe(201);
    return (await res.json()) as Record<string, any>;
  };
  const act = async (reviewId: string, action: 'approve' | 'reject', role: string, actor: string) => {
    const res = await h.call('POST', `/admin/v1/reviews/${reviewId}/${action}`, { role, actor, comment: `${action} by ${actor}` });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('takes effect automatically up to CNY 50,000', async () => {
    const d = await evaluate(2_000_000);
    expect(d).toMatchObject({ grade: 'A', status: 'active', reviewChain: [], reviews: [], inForce: true });
    expect(d.limit.jointLimitMinor).toBe(2_000_000);
    // Joint VIP (grade A, good standing at this member and two others) is shared with the grade.
    expect(d.vip).toMatchObject({ tier: 'silver' });
    expect(h.published.map((p) => [p.type, p.data])).toEqual([
      ['grade.assigned', expect.objectContaining({ grade: 'A' })],
      ['vip.status', expect.objectContaining({ tier: 'silver' })],
    ]);
  });

  it('above it needs a risk analyst then a finance approver, in order, by two people', async () => {
    const auto = await h.module.service.effective(pseudonym);
    const d = await evaluate(6_000_000);
    expect(d).toMatchObject({ status: 'under_review', reviewChain: ['risk_analyst', 'finance_approver'], inForce: false });
    const review = d.reviews[0];
    expect(review).toMatchObject({ kind: 'limit', state: 'pending', step: 0, nextRole: 'risk_analyst' });
    expect((await h.module.service.effective(pseudonym))?.id).toBe(auto!.id);
    const sharedBefore = h.published.length;

    const wrong = await act(review.id, 'approve', 'finance_approver', 'bob');
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ code: 'review-wrong-role', expectedRole: 'risk_analyst' });

    const first = await act(review.id, 'approve', 'risk_analyst', 'alice');
    expect(first).toMatchObject({ status: 200, body: { state: 'pending', step: 1, nextRole: 'finance_approver' } });
    expect((await h.module.service.effective(pseudonym))?.id).toBe(auto!.id);

    const same = await act(review.id, 'approve', 'finance_approver', 'alice');
    expect(same).toMatchObject({ status: 403, body: { code: 'review-same-actor' } });

    const second = await act(review.id, 'approve', 'finance_approver', 'bob');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ state: 'approved', nextRole: null });
    expect(second.body.actions.map((a: { role: string; actor: string }) => `${a.role}:${a.actor}`)).toEqual(['risk_analyst:alice', 'finance_approver:bob']);
    expect(await h.module.service.effective(pseudonym)).toMatchObject({ id: d.id, status: 'active', decision: { status: 'under_review' } });
    // Same grade as the decision it replaces: nothing new to share.
    expect(h.published.length).toBe(sharedBefore);

    const again = await act(review.id, 'reject', 'risk_analyst', 'carol');
    expect(again).toMatchObject({ status: 409, body: { code: 'review-not-pending' } });
    const read = await h.call('GET', `/admin/v1/decisions/${d.id}`);
    expect(await read.json()).toMatchObject({ id: d.id, inForce: true, reviews: [{ state: 'approved' }] });
  });

  it('a rejection keeps the previous decision in force', async () => {
    const before = await h.module.service.effective(pseudonym);
    const d = await evaluate(7_000_000);
    const r = await act(d.reviews[0].id, 'reject', 'risk_analyst', 'alice');
    expect(r).toMatchObject({ status: 200, body: { state: 'rejected' } });
    expect((await h.module.service.effective(pseudonym))?.id).toBe(before!.id);
    expect(before!.decision.limit.jointLimitMinor).toBe(6_000_000);
  });

  it('a newer decision supersedes a pending limit review', async () => {
    const d = await evaluate(6_500_000);
    await evaluate(1_000_000);
    const rev = await h.call('GET', `/admin/v1/reviews/${d.reviews[0].id}`);
    expect(await rev.json()).toMatchObject({ state: 'superseded' });
    expect((await h.module.service.effective(pseudonym))?.decision.limit.jointLimitMinor).toBe(1_000_000);
  });

  it('a subject may ask for human review of an automated decision; rejecting it overturns the decision', async () => {
    const previous = await h.module.service.effective(pseudonym);
    const d = await evaluate(3_000_000);
    const res = await h.call('POST', `/admin/v1/decisions/${d.id}/human-review`, { channel: 'app', reason: 'my income rose' });
    expect(res.status).toBe(201);
    const req = (await res.json()) as Record<string, any>;
    expect(req).toMatchObject({ decisionId: d.id, channel: 'app', review: { kind: 'human-review', chain: ['risk_analyst'], state: 'pending' } });
    const dup = await h.call('POST', `/admin/v1/decisions/${d.id}/human-review`, { channel: 'phone' });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ code: 'review-already-requested', reviewId: req.review.id });
    expect((await h.call('POST', '/admin/v1/decisions/dec_missing/human-review', { channel: 'app' })).status).toBe(404);

    const pending = await h.call('GET', '/admin/v1/reviews?state=pending');
    expect(((await pending.json()) as { reviews: Array<{ id: string }> }).reviews.map((r) => r.id)).toContain(req.review.id);

    expect((await h.module.service.effective(pseudonym))?.id).toBe(d.id);
    expect((await act(req.review.id, 'reject', 'risk_analyst', 'dave')).status).toBe(200);
    expect((await h.module.service.effective(pseudonym))?.id).toBe(previous!.id);
  });

  it('lists reviews in bounded pages', async () => {
    const all = await h.call('GET', '/admin/v1/reviews?state=approved&limit=200');
    const approved = ((await all.json()) as { reviews: unknown[] }).reviews.length;
    await evaluate(8_000_000);
    await h.call('POST', `/admin/v1/decisions/${(await h.module.service.effective(pseudonym))!.id}/human-review`, { channel: 'web' });
    const seen: string[] = [];
    let url = '/admin/v1/reviews?state=pending&limit=1';
    for (let i = 0; i < 5; i++) {
      const page = (await (await h.call('GET', url)).json()) as { reviews: Array<{ id: string }>; next: string | null };
      expect(page.reviews.length).toBeLessThanOrEqual(1);
      seen.push(...page.reviews.map((r) => r.id));
      if (!page.next) break;
      url = `/admin/v1/reviews?state=pending&limit=1&cursor=${page.next}`;
    }
    expect(seen.length).toBe(2);
    expect(new Set(seen).size).toBe(2);
    expect(approved).toBe(1);
    expect((await h.call('GET', '/admin/v1/reviews?limit=500')).status).toBe(400);
    expect((await h.call('GET', '/admin/v1/reviews?cursor=!!')).status).toBe(400);
  });
});
