import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, goodHistory, held, type Harness } from './harness';

const onTime = { product: 'bnpl', window: '24m', instalments: '12-23', onTimeRatio: 'all', asOf: '2026-10' };

describe('re-evaluation when new signals arrive', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  it('re-evaluates decided subjects only and raises early-warning events on grade drop and freeze', async () => {
    const p = h.subjects.pseudonymOf('+8613600136000');
    const other = h.subjects.pseudonymOf('+8613600136001');
    if (!p.ok || !other.ok) throw new Error('bad test id');
    const s = p.pseudonym;
    h.own.set(s.value, goodHistory(h.clock.now()));
    h.signals.set(s.value, [held(s, 'member-b', 0, 'repayment.on_time', onTime, h.clock.now()), held(s, 'member-c', 0, 'repayment.on_time', onTime, h.clock.now())]);
    const first = await h.module.service.evaluate(s, { reason: 'request' });
    if (!first.ok) throw new Error(first.message);
    expect(first.events).toEqual([]);
    expect(['S', 'A']).toContain(first.record.decision.grade);

    h.clock.advance(60_000);
    h.signals.set(s.value, [
        ...h.signals.get(s.value)!,
      held(s, 'member-b', 7, 'repayment.overdue', { product: 'bnpl', bucket: 'M3', amountBand: '5k-10k', asOf: '2026-11' }, h.clock.now()),
      held(s, 'member-d', 2, 'fraud.confirmed', { category: 'account_takeover', confirmation: 'investigation', asOf: '2026-11' }, h.clock.now()),
    ]);
    h.signals.set(other.pseudonym.value, [held(other.pseudonym, 'member-b', 9, 'repayment.overdue', { product: 'bnpl', bucket: 'M1', amountBand: 'lt1k', asOf: '2026-11' }, h.clock.now())]);
    await h.module.onSignalsApplied([s.value, other.pseudonym.value, s.value]);

    const now = await h.module.service.effective(s.value);
    expect(now).toMatchObject({ trigger: 'signals', decision: { grade: 'D', status: 'frozen' } });
    expect(await h.module.service.effective(other.pseudonym.value)).toBeNull();
    const events = await h.module.service.events(s.value);
    expect(events.map((e) => e.kind).sort()).toEqual(['CREDIT_LINE_FROZEN', 'GRADE_DROP', ...(first.record.decision.vip ? ['VIP_LOST'] : [])].sort());
    for (const e of events) expect(e.decisionIds).toEqual([first.record.id, now!.id]);
    expect(events.find((e) => e.kind === 'GRADE_DROP')?.detail).toMatchObject({ from: first.record.decision.grade, to: 'D', trigger: 'signals' });
    const counter = await h.metrics.registry.getSingleMetricAsString('consortium_decision_early_warnings_total');
    expect(counter).toMatch(/kind="GRADE_DROP"[^\n]* 1/);
    expect(counter).toMatch(/kind="CREDIT_LINE_FROZEN"[^\n]* 1/);
    // The new grade is shared (key id taken from the held signals).
    expect(h.published.filter((x) => x.subject === s.value && x.type === 'grade.assigned').map((x) => (x.data as { grade: string }).grade)).toEqual([first.record.decision.grade, 'D']);
  });

  it('re-evaluates several subjects in one batch; an unchanged one raises nothing and shares nothing', async () => {
    const ids = ['+8613600136002', '+8613600136003'];
    const ps = ids.map((id) => {
      const p = h.subjects.pseudonymOf(id);
      if (!p.ok) throw new Error('bad test id');
      h.own.set(p.pseudonym.value, goodHistory(h.clock.now()));
      h.signals.set(p.pseudonym.value, [held(p.pseudonym, 'member-b', 0, 'repayment.on_time', onTime, h.clock.now())]);
      return p.pseudonym;
    });
    const firsts = [];
    for (const p of ps) firsts.push(await h.module.service.evaluate(p, { reason: 'request' }));
    expect(firsts.every((f) => f.ok)).toBe(true);
    const shared = h.published.length;
    h.clock.advance(60_000);
    await h.module.onSignalsApplied(ps.map((p) => p.value));
    for (const [i, p] of ps.entries()) {
      const now = await h.module.service.effective(p.value);
      expect(now?.trigger).toBe('signals');
      expect(now?.decision.pd).toBeCloseTo((firsts[i] as { record: { decision: { pd: number } } }).record.decision.pd, 12);
      expect(await h.module.service.events(p.value)).toEqual([]);
    }
    expect(h.published.length).toBe(shared);
  });
});
