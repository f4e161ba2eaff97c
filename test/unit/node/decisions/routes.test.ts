import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, goodHistory, held, type Harness } from './harness';

const onTime = { product: 'bnpl', window: '24m', instalments: '12-23', onTimeRatio: 'all', asOf: '2026-10' };
let phone = 0;
const nextPhone = () => `+86139001390${String(phone++).padStart(2, '0')}`;

describe('POST /admin/v1/decisions: rules case by case', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  /** Registers a subject with `setup` and evaluates it through the route. */
  async function decideFor(setup: (p: { kid: string; value: string }) => void) {
    const id = nextPhone();
    const p = h.subjects.pseudonymOf(id);
    if (!p.ok) throw new Error(p.message);
    setup(p.pseudonym);
    const res = await h.call('POST', '/admin/v1/decisions', { subject: { id } });
    expect(res.status).toBe(201);
    return { pseudonym: p.pseudonym, d: (await res.json()) as Record<string, any> };
  }

  it('requires the admin token and validates the body', async () => {
    expect((await h.call('POST', '/admin/v1/decisions', { subject: { id: '+8613900139000' } }, false)).status).toBe(401);
    expect((await h.call('GET', '/admin/v1/reviews', undefined, false)).status).toBe(401);
    const bad = await h.call('POST', '/admin/v1/decisions', { subject: { id: '' }, extra: 1 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'validation-failed' });
    const invalid = await h.call('POST', '/admin/v1/decisions', { subject: { id: 'not-an-id' } });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ code: 'subject-invalid' });
    const missing = await h.call('GET', '/admin/v1/decisions/dec_nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'decision-not-found' });
    const long = await h.call('GET', `/admin/v1/decisions/dec_${'x'.repeat(300)}`);
    expect(long.status).toBe(404);
    expect(((await long.json()) as { detail: string }).detail.length).toBeLessThan(120);
    const noReview = await h.call('POST', '/admin/v1/reviews/rev_nope/approve', { role: 'risk_analyst', actor: 'a' });
    expect(noReview.status).toBe(404);
    expect(await noReview.json()).toMatchObject({ code: 'review-not-found' });
  });

  it('confirmed fraud at another member: grade D, no limit, frozen, with the signal as evidence', async () => {
    const { d, pseudonym } = await decideFor((p) => {
      h.own.set(p.value, goodHistory(h.clock.now()));
      h.signals.set(p.value, [held(p, 'member-b', 41, 'fraud.confirmed', { category: 'first_party', confirmation: 'investigation', asOf: '2026-10' }, h.clock.now())]);
    });
    expect(d).toMatchObject({ schema: 'decision/v1', subject: pseudonym.value, grade: 'D', status: 'frozen', vip: null, inForce: true, trigger: 'request' });
    expect(d.limit.jointLimitMinor).toBe(0);
    expect(d.alerts.map((a: { code: string }) => a.code)).toContain('FRAUD_CONFIRMED');
    expect(d.reasons.rules.map((r: { code: string }) => r.code)).toContain('RULE_FRAUD_CONFIRMED');
    expect(d.evidence.signals).toContainEqual(expect.objectContaining({ issuer: 'member-b', logIndex: 41, type: 'fraud.confirmed' }));
    expect(d.evidence.external.every((e: { status: string; reason: string }) => e.status === 'unavailable' && e.reason === 'not-configured')).toBe(true);
    expect((await h.module.service.effective(pseudonym.value))?.id).toBe(d.id);
  });

  it('an active M2 overdue elsewhere caps the grade at C', async () => {
    const { d } = await decideFor((p) => {
      h.own.set(p.value, goodHistory(h.clock.now()));
      h.signals.set(p.value, [
        held(p, 'member-b', 3, 'repayment.overdue', { product: 'bnpl', bucket: 'M2', amountBand: '1k-5k', asOf: '2026-10' }, h.clock.now()),
        held(p, 'member-c', 0, 'repayment.on_time', onTime, h.clock.now()),
        held(p, 'member-d', 0, 'repayment.on_time', onTime, h.clock.now()),
      ]);
    });
    expect(['S', 'A', 'B']).toContain(d.modelGrade);
    expect(d.grade).toBe('C');
    expect(d.reasons.rules.map((r: { code: string }) => r.code)).toContain('RULE_OVERDUE_GRADE_CAP');
  });

  it.each([
    ['8 days past due: early warning, line stays open', 8, 'EARLY_WARNING_OVERDUE', 'active'],
    ['45 days past due: credit line frozen', 45, 'CREDIT_LINE_FROZEN', 'frozen'],
  ])('own overdue, %s', async (_name, dpd, alert, status) => {
    const { d } = await decideFor((p) => h.own.set(p.value, goodHistory(h.clock.now(), { currentDaysPastDue: dpd, maxDaysPastDue12m: dpd })));
    expect(d.alerts.map((a: { code: string }) => a.code)).toContain(alert);
    expect(d.status).toBe(status);
    if (status === 'frozen') expect(d.limit.jointLimitMinor).toBe(0);
  });

  it('explains in Chinese and English and shares grade.assigned only with consent', async () => {
    const { d, pseudonym } = await decideFor((p) => h.own.set(p.value, goodHistory(h.clock.now())));
    expect(d.reasons.model.method).toBe('scorecard_exact');
    expect(d.reasons.model.factors.length).toBeGreaterThan(0);
    for (const f of d.reasons.model.factors) {
      expect(f.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(f.en).toMatch(/[a-z]/i);
    }
    expect(d.versions).toMatchObject({ catalogue: '1', model: 'consortium-scorecard-1', policy: expect.any(String) });
    expect(h.published).toContainEqual({ subject: pseudonym.value, type: 'grade.assigned', data: expect.objectContaining({ grade: d.grade, model: 'consortium-scorecard-1' }) });

    const before = h.published.length;
    await decideFor((p) => {
      h.noConsent.add(p.value);
      h.own.set(p.value, goodHistory(h.clock.now()));
    });
    expect(h.published.length).toBe(before);
    expect(await h.metrics.registry.getSingleMetricAsString('consortium_decision_signals_shared_total')).toMatch(/outcome="consent-missing"[^\n]* 1/);
  });

  it('answers 503 model-unavailable when no model is installed', async () => {
    const bare = await createHarness({ defaultModelsDir: mkdtempSync(join(tmpdir(), 'no-models-')), database: h.database });
    try {
      const res = await bare.call('POST', '/admin/v1/decisions', { subject: { id: '+8613900139999' } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'model-unavailable' });
    } finally {
      await bare.close();
    }
  });

  it('GET /admin/v1/decisions/{id} returns the stored decision unchanged', async () => {
    const { d } = await decideFor((p) => h.own.set(p.value, goodHistory(h.clock.now())));
    const res = await h.call('GET', `/admin/v1/decisions/${d.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(d);
  });
});

