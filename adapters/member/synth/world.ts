/**
 * Behaviour of the synthetic consortium (docs/data-standard.md §8.1): each person has one latent
 * creditworthiness z ~ N(0,1) driving repayment, refund abuse and fraud at every member they use.
 */
import { chineseName, mobile, residentId } from './ids';
import type { GroundTruth, SynthRows } from './model';
import type { Prng } from './prng';

const DAY = 86_400_000;
const CST = 8 * 3_600_000;

/** Local (Asia/Shanghai) calendar date `YYYY-MM-DD` of instant `ms`. */
export function localDate(ms: number): string {
  return new Date(ms + CST).toISOString().slice(0, 10);
}

/** Instant of local time `hh:00` on local date `date`. */
function atLocal(date: string, hh: number): number {
  return Date.parse(`${date}T00:00:00Z`) - CST + hh * 3_600_000;
}

/** Adds `n` calendar months to a local date (day clamped to 28). */
function addMonths(date: string, n: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const d = Math.min(Number(date.slice(8, 10)), 28);
  return new Date(Date.UTC(y + Math.floor(m / 12), ((m % 12) + 12) % 12, d)).toISOString().slice(0, 10);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Empty per-member rows. */
export function emptyRows(): SynthRows {
  return { customer: [], creditLine: [], order: [], installment: [], refund: [], fraudCase: [] };
}

/** Generates `customers` people spread over `memberIds`; returns truth and each member's rows. */
export function generateWorld(rng: Prng, memberIds: readonly string[], customers: number, asOfMs: number): { truth: GroundTruth[]; rows: Map<string, SynthRows> } {
  const rows = new Map(memberIds.map((m) => [m, emptyRows()]));
  const counters = new Map(memberIds.map((m) => [m, { c: 0, o: 0, l: 0, r: 0, f: 0 }]));
  const truth: GroundTruth[] = [];
  const seenIds = new Set<string>();
  const lineCounts = new Map<string, number>();
  for (let p = 0; p < customers; p++) {
    let rid = residentId(rng);
    while (seenIds.has(rid)) rid = residentId(rng);
    seenIds.add(rid);
    const z = rng.normal();
    const pd = sigmoid(-2.4 - 1.5 * z);
    const defaulted = rng.chance(pd);
    const abuser = z < -0.8 && rng.chance(0.35);
    const fraud = z < -1.8 && rng.chance(0.4);
    const defaultFrom = asOfMs - rng.range(60, 270) * DAY;
    const phone = mobile(rng);
    const name = chineseName(rng);
    const shops = memberIds.filter(() => rng.chance(0.6));
    if (shops.length === 0) shops.push(rng.pick(memberIds));
    const person: GroundTruth = {
      residentId: rid, subjectId: `cn-rid:${rid}`, creditworthiness: z, defaultProbability: pd, defaulted,
      refundAbuser: abuser, fraud: false, accounts: [],
    };
    const fraudAt = fraud ? rng.pick(shops) : undefined;
    for (const member of shops) {
      const out = rows.get(member)!;
      const n = counters.get(member)!;
      const prefix = member.replace(/\D/g, '') || '0';
      const customerRef = `C${prefix}-${String(++n.c).padStart(6, '0')}`;
      person.accounts.push({ member, customerRef });
      const registeredAt = atLocal(localDate(asOfMs - rng.range(400, 1000) * DAY), rng.range(8, 21));
      const verified = rng.chance(0.8);
      out.customer.push({
        customerRef, subjectId: rid, phone, name, registeredAt,
        channel: rng.pick(['app', 'web', 'mini_program'] as const),
        verificationMethod: verified ? rng.pick(['id_document', 'face_match', 'bank_card'] as const) : 'none',
        verifiedAt: verified ? registeredAt + rng.range(0, 3) * DAY : undefined,
      });
      let line: SynthRows['creditLine'][number] | undefined;
      if (rng.chance(0.55)) {
        const limit = Math.round(Math.max(1000, 8000 + 6000 * z + rng.normal() * 2000) / 100) * 100 * 100;
        line = {
          creditLineRef: `L${prefix}-${String(++n.l).padStart(6, '0')}`, customerRef, product: rng.pick(['bnpl', 'installment_loan'] as const),
          openedAt: registeredAt + rng.range(1, 30) * DAY, limit, balance: 0, currency: 'CNY', status: 'active', closedAt: undefined,
        };
        out.creditLine.push(line);
      }
      const orders = rng.range(1, 6);
      for (let k = 0; k < orders; k++) {
        const placedAt = atLocal(localDate(registeredAt + rng.range(40, 380) * DAY), rng.range(8, 22));
        if (placedAt > asOfMs - DAY) continue;
        const amount = rng.range(20, 3000) * 100 + rng.int(100);
        const bnpl = line !== undefined && rng.chance(0.6);
        const orderRef = `O${prefix}-${String(++n.o).padStart(7, '0')}`;
        const cancelled = !bnpl && rng.chance(0.05);
        const order: SynthRows['order'][number] = {
          orderRef, customerRef, placedAt, amount, currency: 'CNY', status: cancelled ? 'cancelled' : 'completed',
          channel: rng.pick(['app', 'web', 'mini_program'] as const), paymentMethod: bnpl ? 'bnpl' : rng.pick(['card', 'wallet'] as const),
          creditLineRef: bnpl ? line!.creditLineRef : undefined,
        };
        out.order.push(order);
        if (bnpl) addInstallments(rng, out, line!, order, z, defaulted ? defaultFrom : undefined, asOfMs, lineCounts);
        else if (!cancelled && rng.chance(abuser ? 0.7 : 0.05)) {
          const withReturn = !abuser || rng.chance(0.2);
          const requestedAt = placedAt + rng.range(2, 20) * DAY;
          if (requestedAt > asOfMs - 7 * DAY) continue;
          if (withReturn) order.status = 'returned';
          out.refund.push({
            refundRef: `R${prefix}-${String(++n.r).padStart(6, '0')}`, orderRef, customerRef, requestedAt, amount, currency: 'CNY',
            reason: withReturn ? rng.pick(['damaged', 'changed_mind'] as const) : 'not_received', withReturn,
            status: 'completed', completedAt: requestedAt + rng.range(1, 5) * DAY,
          });
        }
      }
      if (member === fraudAt) {
        const reportedAt = asOfMs - rng.range(30, 300) * DAY;
        person.fraud = true;
        out.fraudCase.push({
          caseRef: `F${prefix}-${String(++n.f).padStart(5, '0')}`, customerRef, reportedAt, type: 'first_party',
          status: 'confirmed', confirmedAt: reportedAt + rng.range(5, 25) * DAY, amount: undefined, currency: undefined,
        });
      }
      if (line && line.balance > 0 && defaulted && defaultFrom < asOfMs - 60 * DAY) line.status = 'frozen';
    }
    truth.push(person);
  }
  return { truth, rows };
}

function addInstallments(
  rng: Prng, out: SynthRows, line: SynthRows['creditLine'][number], order: SynthRows['order'][number],
  z: number, defaultFrom: number | undefined, asOfMs: number, lineCounts: Map<string, number>,
): void {
  const count = rng.pick([3, 6, 12]);
  const each = Math.floor(order.amount / count);
  const first = localDate(order.placedAt);
  const today = localDate(asOfMs);
  const pLate = sigmoid(-2.2 - 1.2 * z);
  const base = lineCounts.get(line.creditLineRef) ?? 0;
  lineCounts.set(line.creditLineRef, base + count);
  for (let k = 1; k <= count; k++) {
    const dueDate = addMonths(first, k);
    const amountDue = k === count ? order.amount - each * (count - 1) : each;
    const dueAt = atLocal(dueDate, 10);
    let status: SynthRows['installment'][number]['status'] = 'scheduled';
    let amountPaid = 0;
    let paidAt: number | undefined;
    if (dueDate < today) {
      const stopped = defaultFrom !== undefined && dueAt >= defaultFrom;
      const lateDays = rng.chance(pLate) ? rng.range(1, 45) : 0;
      const payAt = dueAt - (lateDays ? -lateDays : rng.range(0, 3)) * DAY;
      if (stopped || payAt > asOfMs - 3_600_000) {
        status = 'overdue';
        amountPaid = stopped && rng.chance(0.2) ? Math.floor(amountDue / 3) : 0;
      } else {
        status = lateDays ? 'paid_late' : 'paid';
        amountPaid = amountDue;
        paidAt = payAt;
      }
    }
    line.balance += amountDue - amountPaid;
    out.installment.push({
      creditLineRef: line.creditLineRef, installmentNo: base + k, orderRef: order.orderRef, dueDate, amountDue, amountPaid,
      currency: 'CNY', status, paidAt,
    });
  }
}
