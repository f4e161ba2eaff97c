/**
 * The decision policy (issue 7 §4): a versioned JSON document validated at load with zod.
 * All money is integer minor units (fen); PD thresholds are probabilities.
 */
import { z } from 'zod';
import type { VIP_TIERS } from '../../protocol/signals/catalogue';

type VipTier = (typeof VIP_TIERS)[number];

/** Consortium grades, best first. */
export const GRADES = ['S', 'A', 'B', 'C', 'D'] as const;
/** A consortium grade. */
export type Grade = (typeof GRADES)[number];

/** VIP tiers a policy may grant (the protocol's `vip.status` tiers except `none`). */
export const POLICY_VIP_TIERS = ['silver', 'gold', 'platinum'] as const satisfies readonly Exclude<VipTier, 'none'>[];

const text = z.strictObject({ zh: z.string().min(1).max(500), en: z.string().min(1).max(500) });
const minor = z.number().int().min(0).max(1e13);
const role = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'role must be snake_case, 1-40 chars');
const gradeSpec = z.strictObject({ maxPd: z.number().min(0).max(1), service: text });
const bucket = z.enum(['M1', 'M2', 'M3', 'M4+']);

/** zod schema of the policy file. */
export const PolicySchema = z
  .strictObject({
    policyVersion: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
    currency: z.literal('CNY'),
    grades: z.strictObject({ S: gradeSpec, A: gradeSpec, B: gradeSpec, C: gradeSpec, D: gradeSpec }),
    vip: z.strictObject({
      validityDays: z.number().int().min(1).max(365),
      tiers: z.array(z.strictObject({
        tier: z.enum(POLICY_VIP_TIERS),
        grades: z.array(z.enum(GRADES)).min(1),
        minGoodStandingMembers: z.number().int().min(1).max(100),
        maxOwnDpd12m: z.number().int().min(0).max(365),
        benefits: z.array(z.strictObject({ code: z.string().regex(/^[a-z0-9_]{1,40}$/), zh: z.string().min(1), en: z.string().min(1) })).min(1),
      })).max(10),
    }),
    limits: z.strictObject({
      baseMinorByGrade: z.strictObject({ S: minor, A: minor, B: minor, C: minor, D: minor }),
      capacityFromSpendBps: z.number().int().min(0).max(100_000),
      noHistoryCapacityMinor: minor,
      exposureWeightBps: z.number().int().min(0).max(10_000),
      capMinor: minor,
      roundDownToMinor: z.number().int().min(1).max(1e9),
    }),
    rules: z.strictObject({
      earlyWarningAboveDpd: z.number().int().min(0).max(365),
      freezeAboveDpd: z.number().int().min(0).max(365),
      gradeCapFromBucket: bucket,
      gradeCapTo: z.enum(GRADES),
      fraudGrade: z.enum(GRADES),
    }),
    review: z.array(z.strictObject({ aboveMinor: minor, chain: z.array(role).min(1).max(10) })).max(10),
    explanations: z.strictObject({ topFactors: z.number().int().min(1).max(20) }),
  })
  .superRefine((p, ctx) => {
    let prev = -1;
    for (const g of GRADES) {
      const v = p.grades[g].maxPd;
      if (v <= prev) ctx.addIssue({ code: 'custom', path: ['grades', g, 'maxPd'], message: `must be greater than the previous grade's maxPd (${prev})` });
      prev = v;
    }
    if (p.grades.D.maxPd !== 1) ctx.addIssue({ code: 'custom', path: ['grades', 'D', 'maxPd'], message: 'must be 1 so that every PD has a grade' });
    if (p.rules.freezeAboveDpd < p.rules.earlyWarningAboveDpd) ctx.addIssue({ code: 'custom', path: ['rules', 'freezeAboveDpd'], message: 'must be >= earlyWarningAboveDpd' });
    let lastAbove = -1;
    p.review.forEach((r, i) => {
      if (r.aboveMinor <= lastAbove) ctx.addIssue({ code: 'custom', path: ['review', i, 'aboveMinor'], message: 'review tiers must be in strictly increasing aboveMinor order' });
      lastAbove = r.aboveMinor;
    });
    const tiers = p.vip.tiers.map((t) => t.tier);
    tiers.forEach((t, i) => { if (tiers.indexOf(t) !== i) ctx.addIssue({ code: 'custom', path: ['vip', 'tiers', i, 'tier'], message: `duplicate tier ${t}` }); });
    const base = p.limits.baseMinorByGrade;
    GRADES.forEach((g, i) => {
      const worse = GRADES[i + 1];
      if (worse && base[worse] > base[g]) ctx.addIssue({ code: 'custom', path: ['limits', 'baseMinorByGrade', worse], message: `must not exceed grade ${g}'s base` });
    });
  });

/** A validated policy. */
export type Policy = z.infer<typeof PolicySchema>;
