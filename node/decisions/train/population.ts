/**
 * A labelled, seeded synthetic consortium population for training and evaluating the shipped default model
 * (issue 7 §3; models/default/README.md). Each subject has a latent risk r ~ N(0, 1); the default label is drawn
 * with P(default) = sigmoid(-2.6 + 1.5 r). The member's own history observes r with heavy noise (sd 1.8), other
 * members' signals with moderate noise (sd 1.0) and external scores with sd 1.2, so shared data carries information
 * the member's own data lacks. Same seed and size -> identical population (mulberry32, no global randomness).
 */
import { mulberry32, type ConsortiumSignalView, type ExternalScores, type OwnHistorySummary, type ScoringInputs } from '../../../scoring';

/** One subject with its ground truth. */
export interface LabelledSubject {
  inputs: ScoringInputs;
  label: 0 | 1;
}

/** The instant the population describes. */
export const POPULATION_AS_OF = new Date('2026-11-01T00:00:00Z');
/** The deciding member of the population. */
export const POPULATION_SELF = 'member-a';
const OTHERS = ['member-b', 'member-c', 'member-d', 'member-e'] as const;
const DAY = 86_400_000;
/** Upper bound on the population size. */
export const MAX_POPULATION = 1_000_000;

const iso = (ms: number) => new Date(ms).toISOString();
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Generates `n` labelled subjects from `seed`. */
export function syntheticPopulation(n: number, seed: number): LabelledSubject[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_POPULATION) throw new RangeError(`population size must be 1..${MAX_POPULATION}`);
  const u = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
  const now = POPULATION_AS_OF.getTime();
  const out: LabelledSubject[] = [];
  for (let i = 0; i < n; i++) {
    const risk = gauss();
    const label: 0 | 1 = u() < 1 / (1 + Math.exp(2.6 - 1.5 * risk)) ? 1 : 0;
    const own = u() < 0.85 ? ownHistory(risk + 1.8 * gauss(), u, now) : null;
    const signals: ConsortiumSignalView[] = [];
    let logIndex = i * 16;
    for (const issuer of OTHERS) {
      if (u() >= 0.55) continue;
      const r = risk + gauss();
      const issuedAt = iso(now - Math.floor(1 + u() * 300) * DAY);
      const expiresAt = iso(now + Math.floor(30 + u() * 700) * DAY);
      const push = (type: string, data: unknown) => signals.push({ issuer, type, data, issuedAt, expiresAt, logIndex: logIndex++ });
      const product = u() < 0.5 ? 'consumer_installment' : 'bnpl';
      push('credit.line', { product, limitBand: r > 0.8 ? '1k-5k' : r > -0.5 ? '5k-10k' : '10k-50k', utilizationBand: r > 1 ? '80-100' : r > 0.2 ? '50-80' : r > -0.7 ? '30-50' : 'lt30', asOf: '2026-10' });
      if (r > 0.9) {
        const bucket = r > 2.4 ? 'M4+' : r > 1.9 ? 'M3' : r > 1.4 ? 'M2' : 'M1';
        push('repayment.overdue', { product, bucket, amountBand: '1k-5k', asOf: '2026-09' });
        if (u() < 0.35) push('repayment.cured', { product, worstBucket: bucket, method: 'paid_in_full', asOf: '2026-10' });
      } else {
        push('repayment.on_time', { product, window: r < -0.8 ? '24m' : r < 0 ? '12m' : '6m', instalments: '6-11', onTimeRatio: r < -0.3 ? 'all' : r < 0.5 ? '95-100' : '80-95', asOf: '2026-10' });
      }
      if (r > 2.2 && u() < 0.4) push('refund.abuse', { severity: 'medium', incidents: '3-5', amountBand: '1k-5k', asOf: '2026-08' });
      if (r > 2.8 && u() < 0.3) push('fraud.confirmed', { category: 'first_party', confirmation: 'investigation', asOf: '2026-07' });
    }
    out.push({
      label,
      inputs: { subject: `synthetic-${seed}-${i}`, self: POPULATION_SELF, own, signals, external: externalScores(risk + 1.2 * gauss(), u, i, now), capacityMinor: u() < 0.3 ? Math.round(u() * 30_000_000) : null },
    });
  }
  return out;
}

function ownHistory(r: number, u: () => number, now: number): OwnHistorySummary {
  const orders = Math.max(0, Math.round(9 - 2.5 * r + 3 * (u() - 0.5)));
  const dpd = Math.max(0, Math.round(r * 14 - 10));
  const due = u() < 0.7 ? 6 : 0;
  return {
    lastOrderAt: orders > 0 ? iso(now - Math.floor(u() * (60 + 40 * Math.max(0, r))) * DAY) : null,
    firstSeenAt: iso(now - Math.floor(30 + u() * 1000) * DAY),
    orderCount12m: orders,
    orderAmount12mMinor: orders * Math.round(40_000 + u() * 300_000),
    onTimeCount12m: due === 0 ? 0 : clamp(Math.round(6 - Math.max(0, r)), 0, 6),
    dueCount12m: due,
    maxDaysPastDue12m: due === 0 ? 0 : dpd + Math.round(u() * 4),
    currentDaysPastDue: due > 0 && u() < 0.35 ? dpd : 0,
    creditLimitMinor: due > 0 ? 1_000_000 : null,
    creditBalanceMinor: due > 0 ? Math.round(1_000_000 * clamp(0.35 + 0.2 * r, 0, 1)) : 0,
    refundRate12m: orders > 0 ? clamp(0.03 + 0.02 * r, 0, 1) : null,
    disputeRate12m: orders > 0 ? clamp(0.004 * r, 0, 1) : null,
  };
}

function externalScores(r: number, u: () => number, i: number, now: number): ExternalScores {
  const queriedAt = iso(now);
  const sesame = Math.round(clamp(660 - 60 * r, 350, 950));
  const has = u() < 0.75;
  return {
    sesameScore: has ? { status: 'ok', value: sesame, provider: 'sesame', queriedAt, reference: `syn-z-${i}` } : { status: 'unavailable', provider: 'sesame', reason: 'no-consent' },
    sesameAdmittance: has ? { status: 'ok', value: sesame >= 600, provider: 'sesame', queriedAt, reference: `syn-za-${i}` } : { status: 'unavailable', provider: 'sesame', reason: 'no-consent' },
    wechatPayScore: u() < 0.8 ? { status: 'ok', value: r < 1, provider: 'wechat-pay-score', queriedAt, reference: `syn-w-${i}` } : { status: 'unavailable', provider: 'wechat-pay-score', reason: 'no-consent' },
  };
}
