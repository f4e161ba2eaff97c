import { afterEach, describe, expect, it } from 'vitest';
import { residentId, createPrng } from '../../../../adapters/member/synth';
import { importStack } from '../imports/fixture';

const now = () => new Date('2026-11-01T00:00:00Z');
const overdue = { product: 'bnpl', bucket: 'M2', amountBand: '1k-5k', asOf: '2026-10' };

describe('publish service: several signals about one subject', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('checks the consent once, appends the valid signals in order in one step, and answers each signal', async () => {
    const st = await importStack('m-publish', now);
    close = st.close;
    const id = residentId(createPrng('publish'));
    const resolved = await st.subjects.resolve(id);
    if (!resolved.ok) throw new Error(resolved.message);
    const subject = resolved.pseudonym;

    const refused = await st.publish.publishManyFor(subject, [{ type: 'repayment.overdue', data: overdue }]);
    expect(refused).toMatchObject({ ok: false, code: 'consent-required', purpose: 'signal-sharing' });
    expect(st.network.appended).toHaveLength(0);

    const consent = await st.grant(id);
    const appendCalls: number[] = [];
    const append = st.network.log.append.bind(st.network.log);
    st.network.log.append = async (signals) => {
      appendCalls.push(signals.length);
      return append(signals);
    };
    const res = await st.publish.publishManyFor(subject, [
      { type: 'repayment.overdue', data: overdue },
      { type: 'repayment.overdue', data: { ...overdue, bucket: 'M9' } },
      { type: 'repayment.overdue', data: { ...overdue, bucket: 'M3' }, expiresAt: '2027-06-01T00:00:00Z' },
    ]);
    if (!res.ok) throw new Error(res.message);
    expect(appendCalls).toEqual([2]);
    expect(res.results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(res.results[1]).toMatchObject({ ok: false, code: 'signal-invalid' });
    const [first, , third] = res.results as [{ ok: true; signal: { id: string; index: number; consentId: string; expiresAt: string } }, unknown, { ok: true; signal: { id: string; index: number; expiresAt: string } }];
    expect([first.signal.index, third.signal.index]).toEqual([0, 1]);
    expect(st.network.appended.map((s) => s.body.id)).toEqual([first.signal.id, third.signal.id]);
    expect(st.network.appended.map((s) => (s.body.data as { bucket: string }).bucket)).toEqual(['M2', 'M3']);
    expect(first.signal.consentId).toBe(consent.id);
    expect(third.signal.expiresAt).toBe('2027-06-01T00:00:00Z');

    // publishFor is the one-signal case of the same path
    const one = await st.publish.publishFor(subject, 'repayment.overdue', { ...overdue, bucket: 'M1' });
    expect(one).toMatchObject({ ok: true, signal: { index: 2, consentId: consent.id } });
    expect(appendCalls).toEqual([2, 1]);
  });
});
