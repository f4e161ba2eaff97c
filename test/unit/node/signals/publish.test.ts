import { afterEach, describe, expect, it } from 'vitest';
import { residentId, createPrng } from '../../../../adapters/member/synth';
import { importStack } from '../imports/fixture';

const now = () => new Date('2026-11-01T00:00:00Z');
const overdue = { product: 'bnpl', bucket: 'M2', amountBand: '1k-5k', asOf: '2026-10' };

describe('publish service: several signals at once', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('checks consents once, appends the valid signals in order in one step, and answers each signal and subject', async () => {
    const st = await importStack('m-publish', now);
    close = st.close;
    const id = residentId(createPrng('publish'));
    const resolved = await st.subjects.resolve(id);
    if (!resolved.ok) throw new Error(resolved.message);
    const subject = resolved.pseudonym;

    const [refused] = await st.publish.publishForSubjects([{ subject, signals: [{ type: 'repayment.overdue', data: overdue }] }]);
    expect(refused).toMatchObject({ ok: false, code: 'consent-required', purpose: 'signal-sharing' });
    expect(st.network.appended).toHaveLength(0);

    const consent = await st.grant(id);
    const appendCalls: number[] = [];
    const append = st.network.log.append.bind(st.network.log);
    st.network.log.append = async (signals) => {
      appendCalls.push(signals.length);
      return append(signals);
    };
    const res = (await st.publish.publishForSubjects([{ subject, signals: [
      { type: 'repayment.overdue', data: overdue },
      { type: 'repayment.overdue', data: { ...overdue, bucket: 'M9' } },
      { type: 'repayment.overdue', data: { ...overdue, bucket: 'M3' }, expiresAt: '2027-06-01T00:00:00Z' },
    ] }]))[0]!;
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

    // many subjects at once: one consent query, one append; a subject without consent is answered on its own
    const rng = createPrng('publish-many');
    const others = [residentId(rng), residentId(rng), residentId(rng)];
    const pseudonyms = [];
    for (const raw of others) {
      const r = await st.subjects.resolve(raw);
      if (!r.ok) throw new Error(r.message);
      pseudonyms.push(r.pseudonym);
    }
    await st.grant(others[0]!);
    await st.grant(others[2]!);
    const answers = await st.publish.publishForSubjects([
      { subject: pseudonyms[0]!, signals: [{ type: 'repayment.overdue', data: overdue }, { type: 'repayment.overdue', data: { ...overdue, bucket: 'M4+' } }] },
      { subject: pseudonyms[1]!, signals: [{ type: 'repayment.overdue', data: overdue }] },
      { subject: pseudonyms[2]!, signals: [{ type: 'repayment.overdue', data: { ...overdue, bucket: 'M1' } }] },
    ]);
    expect(appendCalls).toEqual([2, 1, 3]);
    expect(answers.map((a) => a.ok)).toEqual([true, false, true]);
    expect(answers[1]).toMatchObject({ ok: false, code: 'consent-required' });
    const indexes = answers.flatMap((a) => (a.ok ? a.results.map((r) => (r.ok ? r.signal.index : -1)) : []));
    expect(indexes).toEqual([3, 4, 5]);
    expect(st.network.appended.slice(3).map((x) => [x.body.subject.value, (x.body.data as { bucket: string }).bucket])).toEqual([
      [pseudonyms[0]!.value, 'M2'], [pseudonyms[0]!.value, 'M4+'], [pseudonyms[2]!.value, 'M1'],
    ]);
  });
});
