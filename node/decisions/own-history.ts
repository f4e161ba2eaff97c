/**
 * The member's own history of a subject (issue 7 §1, source a), summarised from the standardized records the
 * imports stored (node/imports, table member_records; personal fields stay sealed and are not read here).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { OwnHistorySummary } from '../../scoring';
import type { Db } from '../store/database';
import { memberRecords } from '../store/schema';
import type { OwnHistoryProvider } from './providers';

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const ENTITIES = ['customer', 'order', 'creditLine', 'installment', 'refund', 'dispute'] as const;

type Rec = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v.length === 10 ? `${v}T23:59:59+08:00` : v) : Number.NaN);

/** Pure: the summary of one subject's records at `asOf`, or null when the member has none. */
export function summarizeOwnHistory(records: { entity: string; data: Rec }[], asOf: Date): OwnHistorySummary | null {
  if (records.length === 0) return null;
  const now = asOf.getTime();
  const by = (e: string) => records.filter((r) => r.entity === e).map((r) => r.data);
  const inYear = (t: number) => t <= now && t > now - YEAR;

  const orders = by('order').filter((o) => o.status !== 'cancelled' && time(o.placedAt) <= now);
  const orders12 = orders.filter((o) => inYear(time(o.placedAt)));
  const placed = orders.map((o) => time(o.placedAt)).filter(Number.isFinite);
  const opened = [...by('customer').map((c) => time(c.registeredAt)), ...by('creditLine').map((l) => time(l.openedAt)), ...placed].filter(Number.isFinite);

  let onTime = 0;
  let due = 0;
  let maxDpd = 0;
  let currentDpd = 0;
  for (const i of by('installment')) {
    const dueAt = time(i.dueDate);
    if (!Number.isFinite(dueAt) || dueAt > now) continue;
    const paidAt = time(i.paidAt);
    const settled = num(i.amountPaid) >= num(i.amountDue) || i.status === 'waived';
    // Calendar days after the due day (a due date is the end of that day, China time).
    const lateDays = Math.max(0, Math.ceil(((settled && Number.isFinite(paidAt) ? paidAt : now) - dueAt) / DAY));
    if (!settled) currentDpd = Math.max(currentDpd, lateDays);
    if (dueAt > now - YEAR) {
      due++;
      if (settled && lateDays === 0) onTime++;
      maxDpd = Math.max(maxDpd, lateDays);
    }
  }

  const lines = by('creditLine').filter((l) => l.status === 'active' || l.status === 'frozen');
  const refunds12 = by('refund').filter((r) => inYear(time(r.requestedAt)) && r.status !== 'rejected').length;
  const disputes12 = by('dispute').filter((d) => inYear(time(d.openedAt)) && (d.type === 'chargeback' || d.type === 'complaint')).length;
  const n = orders12.length;
  return {
    lastOrderAt: placed.length ? new Date(Math.max(...placed)).toISOString() : null,
    firstSeenAt: opened.length ? new Date(Math.min(...opened)).toISOString() : null,
    orderCount12m: n,
    orderAmount12mMinor: orders12.reduce((s, o) => s + num(o.amount), 0),
    onTimeCount12m: onTime,
    dueCount12m: due,
    maxDaysPastDue12m: maxDpd,
    currentDaysPastDue: currentDpd,
    creditLimitMinor: lines.length ? lines.reduce((s, l) => s + num(l.limit), 0) : null,
    creditBalanceMinor: lines.reduce((s, l) => s + num(l.balance), 0),
    refundRate12m: n ? Math.min(1, refunds12 / n) : null,
    disputeRate12m: n ? Math.min(1, disputes12 / n) : null,
  };
}

/** {@link OwnHistoryProvider} over the imported standardized records. */
export function ownHistoryFromRecords(db: Db): OwnHistoryProvider {
  return {
    async summary(pseudonym, asOf) {
      const rows = await db
        .select({ entity: memberRecords.entity, data: memberRecords.data })
        .from(memberRecords)
        .where(and(eq(memberRecords.subject, pseudonym), inArray(memberRecords.entity, [...ENTITIES])));
      return summarizeOwnHistory(rows.map((r) => ({ entity: r.entity, data: r.data as Rec })), asOf);
    },
  };
}
