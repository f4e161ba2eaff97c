import { describe, expect, it } from 'vitest';
import { summarizeOwnHistory } from '../../../../node/decisions/own-history';

const asOf = new Date('2026-11-23T00:00:00Z');
const rec = (entity: string, data: Record<string, unknown>) => ({ entity, data });

describe('own history summary from standardized records', () => {
  it('is null when the member has no records of the subject', () => {
    expect(summarizeOwnHistory([], asOf)).toBeNull();
  });

  it('summarises orders, repayments, credit lines, refunds and disputes over the last 12 months', () => {
    const s = summarizeOwnHistory(
      [
        rec('customer', { customerRef: 'C1', registeredAt: '2023-05-01T10:00:00+08:00' }),
        rec('order', { orderRef: 'O1', placedAt: '2026-10-01T10:00:00+08:00', amount: 12_000, status: 'completed' }),
        rec('order', { orderRef: 'O2', placedAt: '2026-06-01T10:00:00+08:00', amount: 8_000, status: 'delivered' }),
        rec('order', { orderRef: 'O3', placedAt: '2026-07-01T10:00:00+08:00', amount: 99_999, status: 'cancelled' }),
        rec('order', { orderRef: 'O0', placedAt: '2024-01-01T10:00:00+08:00', amount: 5_000, status: 'completed' }),
        rec('creditLine', { creditLineRef: 'L1', openedAt: '2025-01-01T00:00:00+08:00', limit: 500_000, balance: 120_000, status: 'active' }),
        rec('creditLine', { creditLineRef: 'L0', openedAt: '2022-01-01T00:00:00+08:00', limit: 100_000, balance: 0, status: 'closed' }),
        rec('installment', { dueDate: '2026-08-10', amountDue: 10_000, amountPaid: 10_000, paidAt: '2026-08-09T12:00:00+08:00', status: 'paid' }),
        rec('installment', { dueDate: '2026-09-10', amountDue: 10_000, amountPaid: 10_000, paidAt: '2026-09-25T12:00:00+08:00', status: 'paid_late' }),
        rec('installment', { dueDate: '2026-11-10', amountDue: 10_000, amountPaid: 0, status: 'overdue' }),
        rec('installment', { dueDate: '2026-12-10', amountDue: 10_000, amountPaid: 0, status: 'scheduled' }),
        rec('refund', { requestedAt: '2026-10-05T10:00:00+08:00', status: 'completed' }),
        rec('dispute', { openedAt: '2026-10-06T10:00:00+08:00', type: 'chargeback', status: 'open' }),
      ],
      asOf,
    );
    expect(s).toEqual({
      lastOrderAt: '2026-10-01T02:00:00.000Z',
      firstSeenAt: '2021-12-31T16:00:00.000Z',
      orderCount12m: 2,
      orderAmount12mMinor: 20_000,
      onTimeCount12m: 1,
      dueCount12m: 3,
      maxDaysPastDue12m: 15,
      currentDaysPastDue: 13,
      creditLimitMinor: 500_000,
      creditBalanceMinor: 120_000,
      refundRate12m: 0.5,
      disputeRate12m: 0.5,
    });
  });
});
