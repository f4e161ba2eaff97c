import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../../../scoring/features/catalogue';
import { loadOnnxModel } from '../../../../scoring/model/load';
import { scorecardContributions, scorecardBaselineLogit, scorecardLogit, scorecardPd } from '../../../../scoring/model/scorecard';
import { compareModels, evaluate } from '../../../../scoring/eval/evaluate';
import { consortiumUplift, OWN_FEATURES } from '../../../../scoring/eval/uplift';
import { binOf, fitBins } from '../../../../scoring/train/binning';
import { fitLogistic } from '../../../../scoring/train/logistic';
import { seededSplit } from '../../../../scoring/train/rng';
import { trainScorecard } from '../../../../scoring/train/train';
import { smallTrained } from '../../../fixtures/scoring/models';

describe('binning', () => {
  it('bins are half-open and NaN falls in bin 0', () => {
    expect([binOf(-1, [0, 10]), binOf(0, [0, 10]), binOf(9.9, [0, 10]), binOf(10, [0, 10]), binOf(Number.NaN, [0, 10])]).toEqual([0, 1, 1, 2, 0]);
  });

  it('produces bad rates monotone in the bin order and WoE signs that follow them', () => {
    const n = 2000;
    const xs = new Float32Array(n);
    const ys = new Uint8Array(n);
    for (let i = 0; i < n; i++) { xs[i] = i % 100; ys[i] = (i * 7919) % 100 < xs[i]! / 2 ? 1 : 0; }
    const b = fitBins(xs, ys, { maxBins: 8, minBinShare: 0.05 });
    expect(b.edges.length).toBeGreaterThan(1);
    const rates = b.counts.map((c, i) => b.bads[i]! / c);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeGreaterThanOrEqual(rates[i - 1]!);
    expect(b.woe[0]!).toBeLessThan(0);
    expect(b.woe[b.woe.length - 1]!).toBeGreaterThan(0);
    expect(b.counts.every((c) => c >= 0.05 * n)).toBe(true);
    expect(b.iv).toBeGreaterThan(0.1);
  });

  it('gives a constant feature a single bin', () => {
    const b = fitBins(new Float32Array(50).fill(3), new Uint8Array(50).map((_, i) => i % 2), { maxBins: 8, minBinShare: 0.05 });
    expect(b.edges).toEqual([]);
    expect(b.woe).toHaveLength(1);
  });
});

describe('logistic regression (IRLS)', () => {
  it('recovers the closed form for one binary feature', () => {
    // x=0: 10 rows, 2 bad; x=1: 10 rows, 6 bad => intercept = logit(0.2), slope = logit(0.6) - logit(0.2)
    const X = new Float64Array(20);
    const y = new Uint8Array(20);
    for (let i = 0; i < 20; i++) { X[i] = i < 10 ? 0 : 1; y[i] = i < 10 ? (i < 2 ? 1 : 0) : (i < 16 ? 1 : 0); }
    const fit = fitLogistic(X, 20, 1, y, { l2: 0, maxIter: 50, tol: 1e-12 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(Math.log(0.2 / 0.8), 8);
    expect(fit.coef[0]!).toBeCloseTo(Math.log(0.6 / 0.4) - Math.log(0.2 / 0.8), 8);
  });
});

describe('seeded split', () => {
  it('is deterministic, disjoint and complete', () => {
    const a = seededSplit(100, 0.3, 42);
    const b = seededSplit(100, 0.3, 42);
    expect(Array.from(a.holdout)).toEqual(Array.from(b.holdout));
    expect(a.holdout.length).toBe(30);
    expect(new Set([...a.train, ...a.holdout]).size).toBe(100);
    expect(Array.from(seededSplit(100, 0.3, 43).holdout)).not.toEqual(Array.from(a.holdout));
  });
});

describe('trainScorecard', () => {
  const { rows, result } = smallTrained();

  it('is deterministic: same rows and options give identical ONNX bytes', () => {
    const again = trainScorecard(rows, { modelVersion: 'test-scorecard-1' });
    expect(Buffer.from(again.onnxBytes).equals(Buffer.from(result.onnxBytes))).toBe(true);
  });

  it('reports hold-out discrimination and non-negative WoE coefficients', () => {
    const r = result.report;
    expect(r.nTrain + r.nHoldout).toBe(rows.length);
    expect(r.converged).toBe(true);
    expect(r.holdout.auc).toBeGreaterThan(0.7);
    expect(r.holdout.ks).toBeGreaterThan(0.3);
    expect(r.holdout.gini).toBeCloseTo(2 * r.holdout.auc - 1, 12);
    expect(r.features.map((f) => f.name)).toEqual(FEATURE_NAMES);
    expect(r.features.every((f) => f.coef >= 0)).toBe(true);
  });

  it('exports ONNX that onnxruntime loads and that reproduces the TS scorecard within 1e-5', async () => {
    const session = await ort.InferenceSession.create(result.onnxBytes);
    const F = FEATURE_NAMES.length;
    const n = 500;
    const batch = new Float32Array(n * F);
    for (let i = 0; i < n; i++) batch.set(rows[i]!.features, i * F);
    const out = await session.run({ features: new ort.Tensor('float32', batch, [n, F]) });
    const probs = out.probabilities!;
    expect(probs.dims).toEqual([n, 2]);
    const d = probs.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      worst = Math.max(worst, Math.abs(d[2 * i + 1]! - scorecardPd(result.scorecard, rows[i]!.features)));
      expect(d[2 * i]! + d[2 * i + 1]!).toBeCloseTo(1, 6);
    }
    expect(worst).toBeLessThan(1e-5);
    await session.release();
  });

  it('has exact explanations: contributions sum to logit minus the baseline logit', () => {
    const sc = result.scorecard;
    for (const r of rows.slice(0, 50)) {
      const sum = scorecardContributions(sc, r.features).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(scorecardLogit(sc, r.features) - scorecardBaselineLogit(sc), 9);
    }
  });

  it('the consortium model beats an own-data-only model on the same hold-out rows', async () => {
    const own = trainScorecard(rows, { modelVersion: 'own-only-1', useFeatures: FEATURE_NAMES.filter((n) => n.startsWith('own_')) });
    expect(own.report.features.filter((f) => !f.name.startsWith('own_')).every((f) => f.coef === 0)).toBe(true);
    const a = await loadOnnxModel(own.onnxBytes);
    const b = await loadOnnxModel(result.onnxBytes);
    if (!a.ok || !b.ok) throw new Error('load failed');
    const holdout = Array.from(result.holdoutIndices, (i) => rows[i]!);
    const cmp = await compareModels(a.value, b.value, holdout);
    expect(cmp.delta.auc).toBeGreaterThan(0.02);
    expect(cmp.delta.ks).toBeGreaterThan(0);
    expect(cmp.delta.badRateAtApproval['0.7']!).toBeLessThan(0);
    const ev = await evaluate(b.value, holdout);
    expect(ev.metrics.auc).toBeCloseTo(result.report.holdout.auc, 4);
    await a.value.release();
    await b.value.release();
  });

  it('consortiumUplift trains both models with the same split and reports the difference', async () => {
    const u = await consortiumUplift(rows, { modelVersion: 'u-1' });
    expect(Array.from(u.ownOnly.holdoutIndices)).toEqual(Array.from(u.consortium.holdoutIndices));
    expect(u.ownOnly.report.features.filter((f) => f.coef !== 0).every((f) => OWN_FEATURES.includes(f.name))).toBe(true);
    expect(u.comparison.baseline.modelVersion).toBe('u-1-own-only');
    expect(u.comparison.candidate.modelVersion).toBe('u-1');
    expect(u.comparison.delta.auc).toBeCloseTo(u.consortium.report.holdout.auc - u.ownOnly.report.holdout.auc, 4);
    expect(u.comparison.delta.badRateReduction['0.7']!).toBeGreaterThan(0);
  });

  it('rejects malformed training input', () => {
    expect(() => trainScorecard(rows.slice(0, 5), { modelVersion: 'x' })).toThrow(RangeError);
    expect(() => trainScorecard([...rows.slice(0, 30), { features: new Float32Array(3), label: 0 }], { modelVersion: 'x' })).toThrow(/features/);
  });
});
