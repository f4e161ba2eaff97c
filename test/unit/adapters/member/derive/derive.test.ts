import { describe, expect, it } from 'vitest';
import { deriveSignals, SIGNAL_SOURCE_ENTITIES, type DesiredSignal } from '../../../../../adapters/member/derive/derive';
import { diffSignals, type PublishedSignal } from '../../../../../adapters/member/derive/diff';
import { emptySubjectRecords, groupBySubject, type SubjectRecords } from '../../../../../adapters/member/derive/group';
import type { Installment } from '../../../../../adapters/member/standard';

const AS_OF = new Date('2025-06-15T00:00:00Z');
const line = { creditLineRef: 'L1', customerRef: 'C1', product: 'bnpl', openedAt: '2024-01-01T00:00:00+08:00', limit: 1_000_000, balance: 600_000, currency: 'CNY', status: 'active' } as const;
const inst = (no: number, dueDate: string, over: Partial<Installment> = {}): Installment => ({
  creditLineRef: 'L1', installmentNo: no, dueDate, amountDue: 200_000, amountPaid: 200_000, currency: 'CNY', status: 'paid',
  paidAt: `${dueDate}T09:00:00+08:00`, ...over,
});
function subject(over: Partial<SubjectRecords>): SubjectRecords {
  return { ...emptySubjectRecords('cn-rid:X'), creditLines: [line], ...over };
}
const byKey = (s: DesiredSignal[]) => Object.fromEntries(s.map((x) => [x.key, x.data]));

describe('deriveSignals', () => {
  it('credit line with limit and utilization bands', () => {
    const s = byKey(deriveSignals(subject({}), AS_OF));
    expect(s['credit.line:L1']).toEqual({ product: 'bnpl', limitBand: '10k-50k', utilizationBand: '50-80', asOf: '2025-06' });
  });

  it('overdue bucket by days past due with the overdue amount band', () => {
    const s = byKey(deriveSignals(subject({
      installments: [
        inst(1, '2025-03-01'),
        inst(2, '2025-04-01', { status: 'overdue', amountPaid: 50_000, paidAt: undefined }),
        inst(3, '2025-05-01', { status: 'overdue', amountPaid: 0, paidAt: undefined }),
        inst(4, '2025-07-01', { status: 'scheduled', amountPaid: 0, paidAt: undefined }),
      ],
    }), AS_OF));
    // 2025-04-01 -> 2025-06-15 = 75 days past due -> M3; outstanding 1500 + 2000 yuan -> 1k-5k
    expect(s['repayment.overdue:L1']).toEqual({ product: 'bnpl', bucket: 'M3', amountBand: '1k-5k', asOf: '2025-06' });
    expect(s['repayment.cured:L1']).toBeUndefined();
  });

  it('cure after late payment, with the worst bucket reached', () => {
    const s = byKey(deriveSignals(subject({
      installments: [inst(1, '2025-01-01', { status: 'paid_late', paidAt: '2025-02-15T10:00:00+08:00' }), inst(2, '2025-02-01')],
    }), AS_OF));
    expect(s['repayment.cured:L1']).toEqual({ product: 'bnpl', worstBucket: 'M2', method: 'paid_in_full', asOf: '2025-02' });
    expect(s['repayment.overdue:L1']).toBeUndefined();
  });

  it('on-time summaries per window', () => {
    const s = byKey(deriveSignals(subject({
      installments: [inst(1, '2024-09-01'), inst(2, '2025-01-01', { status: 'paid_late', paidAt: '2025-01-05T10:00:00+08:00' }), inst(3, '2025-05-01')],
    }), AS_OF));
    expect(s['repayment.on_time:bnpl:3m']).toMatchObject({ instalments: '1-2', onTimeRatio: 'all' });
    expect(s['repayment.on_time:bnpl:12m']).toMatchObject({ window: '12m', instalments: '3-5', onTimeRatio: '50-80' });
  });

  it('refund abuse from refunds without return, per policy', () => {
    const refund = (i: number, withReturn: boolean) => ({
      refundRef: `R${i}`, orderRef: `O${i}`, customerRef: 'C1', requestedAt: `2025-0${i}-10T10:00:00+08:00`, amount: 30_000,
      currency: 'CNY', reason: 'not_received', withReturn, status: 'completed',
    } as const);
    const few = deriveSignals(subject({ creditLines: [], refunds: [refund(1, false), refund(2, false), refund(3, true)] }), AS_OF);
    expect(few).toEqual([]);
    const many = byKey(deriveSignals(subject({ creditLines: [], refunds: [1, 2, 3, 4].map((i) => refund(i, false)) }), AS_OF));
    expect(many['refund.abuse']).toEqual({ severity: 'low', incidents: '3-5', amountBand: '1k-5k', asOf: '2025-04' });
  });

  it('confirmed fraud only, expiring 5 years after the event', () => {
    const fraud = (caseRef: string, status: 'confirmed' | 'dismissed', at: string) =>
      ({ caseRef, customerRef: 'C1', reportedAt: at, type: 'identity_theft', status, confirmedAt: at } as const);
    const out = deriveSignals(subject({
      creditLines: [],
      fraudCases: [fraud('F1', 'confirmed', '2024-03-01T00:00:00+08:00'), fraud('F2', 'dismissed', '2024-03-01T00:00:00+08:00'), fraud('F3', 'confirmed', '2019-01-10T00:00:00+08:00')],
    }), AS_OF);
    expect(out.map((s) => [s.key, s.expiresAt])).toEqual([['fraud.confirmed:F1', '2029-03-01T00:00:00Z']]);
  });

  it('is stable: same records, same output; a later month keeps fingerprints of ongoing states', () => {
    const r = subject({ installments: [inst(1, '2025-06-01', { status: 'overdue', amountPaid: 0, paidAt: undefined })] });
    const a = deriveSignals(r, AS_OF);
    expect(deriveSignals(r, AS_OF)).toEqual(a);
    const b = deriveSignals(r, new Date('2025-06-28T00:00:00Z'));
    expect(b.map((s) => s.fingerprint)).toEqual(a.map((s) => s.fingerprint));
  });
});

describe('diffSignals', () => {
  const published = (s: DesiredSignal, id: string): PublishedSignal => ({ key: s.key, fingerprint: s.fingerprint, signalId: id, expiresAt: s.expiresAt });
  const nowMs = AS_OF.getTime();

  it('publishes everything first, nothing on a repeat', () => {
    const desired = deriveSignals(subject({}), AS_OF);
    expect(diffSignals([], desired, nowMs)).toEqual({ publish: desired, retract: [] });
    const pub = desired.map((d, i) => published(d, `sig-${i}-aaaaaaaaaaaaaaaa`));
    expect(diffSignals(pub, desired, nowMs)).toEqual({ publish: [], retract: [] });
  });

  it('a change retracts the replaced signal and publishes the new state; a vanished one is retracted', () => {
    const before = deriveSignals(subject({ installments: [inst(1, '2025-05-01', { status: 'overdue', amountPaid: 0, paidAt: undefined })] }), AS_OF);
    const pub = before.map((d, i) => published(d, `sig-${i}-aaaaaaaaaaaaaaaa`));
    const after = deriveSignals(subject({ installments: [inst(1, '2025-05-01', { status: 'paid_late', paidAt: '2025-06-10T10:00:00+08:00' })] }), AS_OF);
    const d = diffSignals(pub, after, nowMs);
    // paid late is still not on time: the on-time summaries keep their fingerprints and stay published
    expect(d.publish.map((s) => s.key)).toEqual(['repayment.cured:L1']);
    expect(d.retract.map((p) => p.key)).toEqual(['repayment.overdue:L1']);
  });

  it('does not retract signals that already expired', () => {
    const old: PublishedSignal = { key: 'fraud.confirmed:F0', fingerprint: 'x', signalId: 'sig-old-aaaaaaaaaaaaaa', expiresAt: '2025-01-01T00:00:00Z' };
    expect(diffSignals([old], [], nowMs)).toEqual({ publish: [], retract: [] });
  });
});

describe('groupBySubject', () => {
  it('groups records of several customer accounts by subject, installments via their line', () => {
    const g = groupBySubject([
      { entity: 'customer', record: { customerRef: 'C1', subjectId: 'cn-rid:A' } },
      { entity: 'customer', record: { customerRef: 'C2', subjectId: 'cn-rid:A' } },
      { entity: 'customer', record: { customerRef: 'C3', subjectId: 'cn-rid:B' } },
      { entity: 'creditLine', record: { creditLineRef: 'L1', customerRef: 'C2' } },
      { entity: 'installment', record: { creditLineRef: 'L1', installmentNo: 1 } },
      { entity: 'order', record: { orderRef: 'O1', customerRef: 'C3' } },
    ]);
    expect(g.get('cn-rid:A')).toMatchObject({ customers: [{}, {}], creditLines: [{}], installments: [{}], orders: [] });
    expect(g.get('cn-rid:B')?.orders).toHaveLength(1);
  });
});

describe('SIGNAL_SOURCE_ENTITIES', () => {
  it('records of the other entities (orders, disputes, violations) never change the derived signals', () => {
    expect([...SIGNAL_SOURCE_ENTITIES].sort()).toEqual(['creditLine', 'customer', 'fraudCase', 'installment', 'refund']);
    const base = subject({
      installments: [inst(1, '2025-04-01', { status: 'overdue', amountPaid: 0, paidAt: undefined })],
      refunds: [1, 2, 3].map((n) => ({
        refundRef: `R${n}`, orderRef: `O${n}`, customerRef: 'C1', requestedAt: `2025-0${n}-01T10:00:00+08:00`, amount: 10_000, currency: 'CNY',
        reason: 'not_received', withReturn: false, status: 'completed',
      }) as SubjectRecords['refunds'][number]),
    });
    const noisy: SubjectRecords = {
      ...base,
      orders: [{ orderRef: 'O1', customerRef: 'C1', placedAt: '2025-01-01T10:00:00+08:00', amount: 10_000, currency: 'CNY', status: 'returned' }],
      disputes: [{ disputeRef: 'D1', customerRef: 'C1', openedAt: '2025-02-01T10:00:00+08:00', type: 'chargeback', status: 'open' }],
      violations: [{ violationRef: 'V1', customerRef: 'C1', occurredAt: '2025-03-01T10:00:00+08:00', type: 'fake_review', severity: 'high', status: 'upheld' }],
    };
    const derived = deriveSignals(base, AS_OF);
    expect(derived.length).toBeGreaterThan(1);
    expect(deriveSignals(noisy, AS_OF)).toEqual(derived);
  });
});
