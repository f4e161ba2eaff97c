import type { DemoCustomer } from './customers';

/** One signal a member states about a customer in the demo. */
export interface DemoSignal {
  member: number;
  customer: number;
  type: string;
  data: Record<string, unknown>;
}

const month = (asOf: Date, back = 0) => {
  const d = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** A realistic mix: credit lines and on-time history for most, an overdue and its cure, refund abuse, a fraud. */
export function demoSignals(customers: DemoCustomer[], asOf: Date): DemoSignal[] {
  const m = month(asOf, 1);
  const out: DemoSignal[] = [];
  customers.forEach((c, ci) => {
    for (const member of c.members) {
      out.push({ member, customer: ci, type: 'credit.line', data: { product: 'bnpl', limitBand: ci === 0 ? '10k-50k' : '5k-10k', utilizationBand: ci === 1 ? '80-100' : 'lt30', asOf: m } });
      if (ci !== 3) out.push({ member, customer: ci, type: 'repayment.on_time', data: { product: 'bnpl', window: '12m', instalments: '6-11', onTimeRatio: ci === 1 && member === 0 ? '50-80' : 'all', asOf: m } });
    }
  });
  // Adverse facts come from members other than the first, so the first member's decisions see them as peers' signals.
  out.push({ member: customers[1]!.members.at(-1)!, customer: 1, type: 'repayment.overdue', data: { product: 'bnpl', bucket: 'M2', amountBand: '1k-5k', asOf: m } });
  out.push({ member: customers[2]!.members.at(-1)!, customer: 2, type: 'refund.abuse', data: { severity: 'medium', incidents: '3-5', amountBand: '1k-5k', asOf: m } });
  out.push({ member: customers[3]!.members.at(-1)!, customer: 3, type: 'fraud.confirmed', data: { category: 'identity_theft', confirmation: 'investigation', asOf: m } });
  return out;
}
