import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionChanges } from '../../../../scoring/decide/changes';
import { gradeAssignedData, vipStatusData } from '../../../../scoring/decide/signals';
import { decide, decideBatch, inputsDigest } from '../../../../scoring/decide/decide';
import { FEATURE_CATALOGUE } from '../../../../scoring/features/catalogue';
import type { ScoringInputs } from '../../../../scoring/features/inputs';
import { loadOnnxModel, type ScoringModel } from '../../../../scoring/model/load';
import { defaultPolicy } from '../../../../scoring/policy/load';
import { externalModel, smallTrained } from '../../../fixtures/scoring/models';
import { SYNTH_AS_OF, syntheticSubjects } from '../../../fixtures/scoring/synthetic';

const policy = defaultPolicy();
const asOf = SYNTH_AS_OF;
let scorecard: ScoringModel;
let external: ScoringModel;

beforeAll(async () => {
  const a = await loadOnnxModel(smallTrained().result.onnxBytes);
  const b = await loadOnnxModel(externalModel());
  if (!a.ok || !b.ok) throw new Error('model load failed');
  scorecard = a.value;
  external = b.value;
});
afterAll(async () => { await scorecard.release(); await external.release(); });

const subjects = syntheticSubjects(40, 99).map((s) => s.inputs);
const withFraud = (s: ScoringInputs): ScoringInputs => ({
  ...s,
  signals: [...s.signals, { issuer: 'm4', type: 'fraud.confirmed', data: { category: 'identity_theft', confirmation: 'court', asOf: '2026-09' }, issuedAt: '2026-10-01T00:00:00Z', expiresAt: '2031-10-01T00:00:00Z', logIndex: 7777 }],
});

describe('decide', () => {
  it('produces a complete decision record with exact scorecard reasons and evidence', async () => {
    const d = await decide(subjects[0]!, { model: scorecard, policy, asOf });
    expect(d.schema).toBe('decision/v1');
    expect(d.versions).toEqual({ catalogue: '1', model: 'test-scorecard-1', modelSha256: scorecard.sha256, policy: policy.policyVersion });
    expect(d.inputsDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(d.pd).toBeGreaterThan(0);
    expect(d.pd).toBeLessThan(1);
    expect(['S', 'A', 'B', 'C', 'D']).toContain(d.grade);
    expect(d.reasons.model.method).toBe('scorecard_exact');
    expect(d.reasons.model.factors.length).toBeGreaterThan(0);
    expect(d.reasons.model.factors.length).toBeLessThanOrEqual(policy.explanations.topFactors);
    for (const f of d.reasons.model.factors) {
      expect(f.code).toBe(`F_${f.feature.toUpperCase()}`);
      expect(f.direction).toBe(f.contribution > 0 ? 'raises_risk' : 'lowers_risk');
      expect(f.zh).toMatch(/风险/);
    }
    expect(d.evidence.signals.map((s) => s.logIndex).sort()).toEqual(subjects[0]!.signals.map((s) => s.logIndex).sort());
    expect(d.evidence.external.map((e) => e.source)).toEqual(['sesameScore', 'sesameAdmittance', 'wechatPayScore']);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d); // storable as JSON as is
  });

  it('digests inputs canonically: same inputs same digest, any change a new one', () => {
    const s = subjects[1]!;
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as unknown as ScoringInputs;
    expect(inputsDigest(reordered, asOf)).toBe(inputsDigest(s, asOf));
    expect(inputsDigest({ ...s, capacityMinor: 1 }, asOf)).not.toBe(inputsDigest(s, asOf));
    expect(inputsDigest(s, new Date(asOf.getTime() + 1000))).not.toBe(inputsDigest(s, asOf));
  });

  it('batch results equal single decisions', async () => {
    const batch = await decideBatch(subjects.slice(0, 10), { model: scorecard, policy, asOf });
    for (let i = 0; i < 10; i++) expect(batch[i]).toEqual(await decide(subjects[i]!, { model: scorecard, policy, asOf }));
  });

  it('confirmed fraud at any member gives grade D, no limit, frozen, with the fraud signal as evidence', async () => {
    const d = await decide(withFraud(subjects[2]!), { model: scorecard, policy, asOf });
    expect(d).toMatchObject({ grade: 'D', status: 'frozen', vip: null, reviewChain: [] });
    expect(d.limit.jointLimitMinor).toBe(0);
    expect(d.reasons.rules.map((r) => r.code)).toContain('RULE_FRAUD_CONFIRMED');
    expect(d.evidence.signals).toContainEqual({ issuer: 'm4', logIndex: 7777, type: 'fraud.confirmed' });
  });

  it('an externally produced model changes decisions and is explained by baseline substitution', async () => {
    const subj: ScoringInputs = { ...subjects[3]!, own: { ...subjects[3]!.own!, currentDaysPastDue: 20, maxDaysPastDue12m: 20 } };
    const a = await decide(subj, { model: scorecard, policy, asOf });
    const b = await decide(subj, { model: external, policy, asOf });
    expect(b.versions.model).toBe('external-lr-1');
    expect(b.pd).not.toBeCloseTo(a.pd, 3);
    expect(b.reasons.model.method).toBe('baseline_substitution');
    const ref = new Float32Array(FEATURE_CATALOGUE.map((f) => f.reference));
    expect(b.reasons.model.baselinePd).toBeCloseTo((await external.predict(ref, 1))[0]!, 9);
    const dpd = b.reasons.model.factors.find((f) => f.feature === 'own_current_dpd');
    expect(dpd?.direction).toBe('raises_risk');
    expect(dpd!.contribution).toBeCloseTo(0.08 * 20, 4); // linear model: substitution is exact per feature
    const batch = await decideBatch(subjects.slice(0, 5), { model: external, policy, asOf });
    for (let i = 0; i < 5; i++) expect(batch[i]).toEqual(await decide(subjects[i]!, { model: external, policy, asOf }));
  });
});

describe('decisionChanges (early-warning events on re-evaluation)', () => {
  const gold = { tier: 'gold' } as never;
  it.each([
    ['first decision, active', null, { grade: 'B', status: 'active', vip: null }, []],
    ['first decision, frozen', null, { grade: 'C', status: 'frozen', vip: null }, ['CREDIT_LINE_FROZEN']],
    ['grade improves', { grade: 'B', status: 'active', vip: null }, { grade: 'A', status: 'active', vip: null }, []],
    ['grade drops', { grade: 'A', status: 'active', vip: null }, { grade: 'C', status: 'active', vip: null }, ['GRADE_DROP']],
    ['frozen and lost VIP', { grade: 'S', status: 'active', vip: gold }, { grade: 'C', status: 'frozen', vip: null }, ['GRADE_DROP', 'CREDIT_LINE_FROZEN', 'VIP_LOST']],
    ['stays frozen', { grade: 'C', status: 'frozen', vip: null }, { grade: 'C', status: 'frozen', vip: null }, []],
  ] as const)('%s', (_, prev, next, codes) => {
    expect(decisionChanges(prev as never, next as never).map((c) => c.code)).toEqual(codes);
  });
});

describe('signal payloads for peers', () => {
  it.each([['S', 'S'], ['A', 'A'], ['B', 'B'], ['C', 'C'], ['D', 'D']] as const)('grade %s is shared as %s', (g, p) => {
    const d = { grade: g, asOf: '2026-11-01T00:00:00.000Z', versions: { catalogue: '1', model: 'scorecard-2026.11', modelSha256: 'ab'.repeat(32), policy: 'p' } };
    expect(gradeAssignedData(d)).toEqual({ grade: p, model: 'scorecard-2026.11', asOf: '2026-11' });
  });
  it('falls back to the model hash when the version is not a protocol model id', () => {
    const d = { grade: 'B' as const, asOf: '2026-11-01T00:00:00.000Z', versions: { catalogue: '1', model: 'my model/v2', modelSha256: 'cd'.repeat(32), policy: 'p' } };
    expect(gradeAssignedData(d).model).toBe('cdcdcdcdcdcdcdcd');
  });
  it('vip.status only when a tier was granted', () => {
    expect(vipStatusData({ vip: null })).toBeNull();
    const vip = { tier: 'gold', goodStandingMembers: 2, benefits: [], validUntil: 'x', signal: { tier: 'gold', tenure: '1-3y', asOf: '2026-11' } } as const;
    expect(vipStatusData({ vip: { ...vip, benefits: [] } })).toEqual({ tier: 'gold', tenure: '1-3y', asOf: '2026-11' });
  });
});
