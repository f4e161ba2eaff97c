/**
 * `evaluate` and `compareModels` (issue 7 §3 and "Decision quality"): metrics of any loaded model on a labelled
 * hold-out set, and a side-by-side comparison of two models on the same rows (e.g. own-data-only vs consortium).
 */
import type { TrainingRow } from '../train/train';
import type { ScoringModel } from '../model/load';
import { computeMetrics, type Metrics } from './metrics';

/** Evaluation report of one model. */
export interface EvaluationReport {
  modelVersion: string;
  modelSha256: string;
  metrics: Metrics;
}

/** Default approval rates for "bad rate at equal approval rate". */
export const DEFAULT_APPROVAL_RATES = [0.5, 0.7, 0.9] as const;

/** Score `holdout` with `model` (one batch) and compute the metrics. */
export async function evaluate(model: ScoringModel, holdout: readonly TrainingRow[], approvalRates: readonly number[] = DEFAULT_APPROVAL_RATES): Promise<EvaluationReport> {
  const F = model.featureNames.length;
  const batch = new Float32Array(holdout.length * F);
  holdout.forEach((r, i) => {
    if (r.features.length !== F) throw new RangeError(`row ${i} has ${r.features.length} features, model expects ${F}`);
    batch.set(r.features, i * F);
  });
  const pd = await model.predict(batch, holdout.length);
  return { modelVersion: model.modelVersion, modelSha256: model.sha256, metrics: computeMetrics(pd, holdout.map((r) => r.label), approvalRates) };
}

/** Two models on the same hold-out rows, with candidate-minus-baseline differences. */
export interface ComparisonReport {
  baseline: EvaluationReport;
  candidate: EvaluationReport;
  delta: {
    auc: number;
    ks: number;
    gini: number;
    /** Candidate bad rate minus baseline bad rate at each approval rate (negative = candidate better). */
    badRateAtApproval: Record<string, number>;
    /** Relative reduction of the bad rate at each approval rate ((base - cand) / base). */
    badRateReduction: Record<string, number>;
  };
}

/** Compare `candidate` against `baseline` on the same rows. */
export async function compareModels(baseline: ScoringModel, candidate: ScoringModel, holdout: readonly TrainingRow[], approvalRates: readonly number[] = DEFAULT_APPROVAL_RATES): Promise<ComparisonReport> {
  const b = await evaluate(baseline, holdout, approvalRates);
  const c = await evaluate(candidate, holdout, approvalRates);
  const badRateAtApproval: Record<string, number> = {};
  const badRateReduction: Record<string, number> = {};
  for (const k of Object.keys(b.metrics.badRateAtApproval)) {
    const bb = b.metrics.badRateAtApproval[k]!;
    const cc = c.metrics.badRateAtApproval[k]!;
    badRateAtApproval[k] = cc - bb;
    badRateReduction[k] = bb > 0 ? (bb - cc) / bb : 0;
  }
  return {
    baseline: b,
    candidate: c,
    delta: { auc: c.metrics.auc - b.metrics.auc, ks: c.metrics.ks - b.metrics.ks, gini: c.metrics.gini - b.metrics.gini, badRateAtApproval, badRateReduction },
  };
}
