/**
 * Signal derivation (docs/data-standard.md §7.2): a pure function from one subject's standard
 * records and a date to the signals the member should currently share about that subject, using
 * the protocol's catalogue and band helpers (docs/protocol.md §3.3-3.5).
 */
import {
  amountBand, countBand, formatTimestamp, maxExpiry, onTimeRatioBand, overdueBucket, utilizationBand,
  ON_TIME_WINDOWS, OVERDUE_BUCKETS, type OverdueBucket, type SignalData, type SignalType,
} from '../../../protocol/signals';
import type { CreditLine, EntityName, FraudCase, Installment } from '../standard/entities';
import type { SubjectRecords } from './group';

/** A signal the member should be sharing (before envelope, pseudonym and signature are added). */
export type DesiredSignal = {
  [T in SignalType]: {
    /** Stable derivation key: the same fact always yields the same key (e.g. `repayment.overdue:CL-1`). */
    key: string;
    type: T;
    data: SignalData<T>;
    /** Protocol timestamp: the latest expiry the type allows from `data.asOf`. */
    expiresAt: string;
    /** What must change for a republication: the data without the moving `asOf` of ongoing states. */
    fingerprint: string;
  };
}[SignalType];

/**
 * Entities whose records can change what {@link deriveSignals} returns for a subject: the ones it
 * reads (credit lines, installments, refunds, fraud cases) and customers, which attribute records to
 * the subject (§7.1). A change to any other entity (orders, disputes, violations) leaves the derived
 * signals as they were, so it need not queue the subject for derivation.
 */
export const SIGNAL_SOURCE_ENTITIES: ReadonlySet<EntityName> = new Set<EntityName>(['customer', 'creditLine', 'installment', 'refund', 'fraudCase']);

/** Member policy for refund abuse (refunds without return in the trailing 12 months). */
export interface RefundAbusePolicy { low: number; medium: number; high: number }
/** Default policy: 3 incidents low, 6 medium, 12 high. */
export const DEFAULT_REFUND_ABUSE_POLICY: RefundAbusePolicy = { low: 3, medium: 6, high: 12 };

/** Options of {@link deriveSignals}. */
export interface DeriveOptions { refundAbuse?: RefundAbusePolicy }

const DAY = 86_400_000;
const WINDOW_MONTHS: Record<(typeof ON_TIME_WINDOWS)[number], number> = { '3m': 3, '6m': 6, '12m': 12, '24m': 24 };
const PRODUCT = { bnpl: 'bnpl', installment_loan: 'consumer_installment', revolving: 'credit_card' } as const;
const FRAUD_CATEGORY = {
  identity_theft: 'identity_theft', account_takeover: 'account_takeover', first_party: 'first_party',
  synthetic_identity: 'synthetic_identity', payment_fraud: 'payment_fraud', collusion: 'first_party',
} as const;

const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const outstanding = (i: Installment) => (i.status === 'waived' ? 0 : Math.max(0, i.amountDue - i.amountPaid));
/** Whole days an installment was paid after its due date (0 when on time), from the paid instant's UTC date. */
const daysLate = (i: Installment) => (i.paidAt ? Math.max(0, Math.floor((dayMs(i.paidAt.slice(0, 10)) - dayMs(i.dueDate)) / DAY)) : 0);
const worse = (a: OverdueBucket, b: OverdueBucket) => (OVERDUE_BUCKETS.indexOf(a) >= OVERDUE_BUCKETS.indexOf(b) ? a : b);

function make<T extends SignalType>(key: string, type: T, data: SignalData<T>, fingerprint: unknown, nowMs: number): DesiredSignal | undefined {
  const expires = maxExpiry(type, nowMs, data);
  if (expires <= nowMs) return undefined;
  return { key, type, data, expiresAt: formatTimestamp(expires), fingerprint: `${type}|${JSON.stringify(fingerprint)}` } as DesiredSignal;
}

function lineSignals(line: CreditLine, installments: Installment[], nowMs: number): (DesiredSignal | undefined)[] {
  const out: (DesiredSignal | undefined)[] = [];
  const product = PRODUCT[line.product];
  const asOf = month(nowMs);
  const cny = line.currency === 'CNY';
  if (cny && (line.status === 'active' || line.status === 'frozen')) {
    const ratio = line.limit === 0 ? (line.balance === 0 ? 0 : 2) : line.balance / line.limit;
    const data = { product, limitBand: amountBand(line.limit), utilizationBand: utilizationBand(ratio), asOf };
    out.push(make(`credit.line:${line.creditLineRef}`, 'credit.line', data, { ...data, asOf: undefined }, nowMs));
  }
  const today = dayMs(new Date(nowMs).toISOString().slice(0, 10));
  const overdue = installments.filter((i) => outstanding(i) > 0 && dayMs(i.dueDate) < today);
  if (overdue.length && cny) {
    const dpd = Math.max(...overdue.map((i) => Math.floor((today - dayMs(i.dueDate)) / DAY)));
    const amount = overdue.reduce((s, i) => s + outstanding(i), 0);
    const data = { product, bucket: overdueBucket(dpd)!, amountBand: amountBand(amount), asOf };
    out.push(make(`repayment.overdue:${line.creditLineRef}`, 'repayment.overdue', data, { ...data, asOf: undefined }, nowMs));
  } else {
    const late = installments.filter((i) => outstanding(i) === 0 && i.paidAt && daysLate(i) > 0);
    if (late.length) {
      const worst = late.map((i) => overdueBucket(daysLate(i))!).reduce(worse);
      const curedAt = Math.max(...late.map((i) => Date.parse(i.paidAt!)));
      const data = { product, worstBucket: worst, method: 'paid_in_full' as const, asOf: month(curedAt) };
      out.push(make(`repayment.cured:${line.creditLineRef}`, 'repayment.cured', data, data, nowMs));
    }
  }
  return out;
}

function onTimeSignals(lines: CreditLine[], installments: Installment[], nowMs: number): (DesiredSignal | undefined)[] {
  const out: (DesiredSignal | undefined)[] = [];
  const productOf = new Map(lines.map((l) => [l.creditLineRef, PRODUCT[l.product]]));
  const today = dayMs(new Date(nowMs).toISOString().slice(0, 10));
  const now = new Date(nowMs);
  for (const product of new Set(productOf.values())) {
    const due = installments.filter((i) => productOf.get(i.creditLineRef) === product && dayMs(i.dueDate) < today);
    for (const window of ON_TIME_WINDOWS) {
      const from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - WINDOW_MONTHS[window], now.getUTCDate());
      const inWindow = due.filter((i) => dayMs(i.dueDate) >= from && i.status !== 'waived');
      if (!inWindow.length) continue;
      const onTime = inWindow.filter((i) => outstanding(i) === 0 && i.paidAt !== undefined && daysLate(i) === 0).length;
      const data = {
        product, window, instalments: countBand(inWindow.length), onTimeRatio: onTimeRatioBand(onTime, inWindow.length), asOf: month(nowMs),
      };
      out.push(make(`repayment.on_time:${product}:${window}`, 'repayment.on_time', data, { ...data, asOf: undefined }, nowMs));
    }
  }
  return out;
}

function refundAbuse(records: SubjectRecords, policy: RefundAbusePolicy, nowMs: number): DesiredSignal | undefined {
  const since = nowMs - 365 * DAY;
  const incidents = records.refunds.filter(
    (r) => !r.withReturn && (r.status === 'approved' || r.status === 'completed') && r.currency === 'CNY' &&
      Date.parse(r.requestedAt) >= since && Date.parse(r.requestedAt) <= nowMs,
  );
  const n = incidents.length;
  if (n < policy.low) return undefined;
  const severity = n >= policy.high ? 'high' : n >= policy.medium ? 'medium' : 'low';
  const latest = Math.max(...incidents.map((r) => Date.parse(r.requestedAt)));
  const amount = incidents.reduce((s, r) => s + r.amount, 0);
  const data = { severity, incidents: countBand(n), amountBand: amountBand(amount), asOf: month(latest) } as const;
  return make('refund.abuse', 'refund.abuse', data, { ...data, asOf: undefined }, nowMs);
}

function fraud(c: FraudCase, nowMs: number): DesiredSignal | undefined {
  if (c.status !== 'confirmed') return undefined;
  const at = Date.parse(c.confirmedAt ?? c.reportedAt);
  const data = { category: FRAUD_CATEGORY[c.type], confirmation: 'investigation' as const, asOf: month(at) };
  return make(`fraud.confirmed:${c.caseRef}`, 'fraud.confirmed', data, data, nowMs);
}

/**
 * Derives the desired signals of one subject as of `asOf` (§7.2): per credit line `credit.line`
 * (active/frozen lines), `repayment.overdue` (unpaid installments past due: worst bucket, total
 * overdue amount band) or else `repayment.cured` (fully repaid late installments); per product and
 * window `repayment.on_time`; `refund.abuse` (refunds without return in 12 months, member policy);
 * `fraud.confirmed` per confirmed case. Bands cover CNY amounts only. Signals whose lifetime bound
 * has passed at `asOf` (negative: 5 years after the event) are not derived. Output sorted by key.
 */
export function deriveSignals(records: SubjectRecords, asOf: Date, options: DeriveOptions = {}): DesiredSignal[] {
  const nowMs = asOf.getTime();
  if (!Number.isFinite(nowMs)) throw new Error('asOf must be a valid date');
  const byLine = new Map<string, Installment[]>();
  for (const i of records.installments) {
    const list = byLine.get(i.creditLineRef) ?? [];
    list.push(i);
    byLine.set(i.creditLineRef, list);
  }
  const all = [
    ...records.creditLines.flatMap((l) => lineSignals(l, byLine.get(l.creditLineRef) ?? [], nowMs)),
    ...onTimeSignals(records.creditLines, records.installments, nowMs),
    refundAbuse(records, options.refundAbuse ?? DEFAULT_REFUND_ABUSE_POLICY, nowMs),
    ...records.fraudCases.map((c) => fraud(c, nowMs)),
  ];
  return all.filter((s): s is DesiredSignal => s !== undefined).sort((a, b) => (a.key < b.key ? -1 : 1));
}
