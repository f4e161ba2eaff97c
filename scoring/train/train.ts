/**
 * `trainScorecard` (issue 7 §3): seeded train/hold-out split, monotone quantile binning, WoE, L2 logistic
 * regression by IRLS, export to ONNX, and a report with AUC, KS, Gini and bad rates at fixed approval rates.
 * Deterministic: the same rows and options give byte-identical ONNX.
 */
import { FEATURE_NAMES } from '../features/catalogue';
import { computeMetrics, type Metrics } from '../eval/metrics';
import { scorecardPd, type Scorecard } from '../model/scorecard';
import { binOf, fitBins, type FeatureBins } from './binning';
import { scorecardToOnnx } from './export-onnx';
import { fitLogistic } from './logistic';
import { seededSplit } from './rng';

/** One labelled training row: features in catalogue order, label 1 = defaulted. */
export interface TrainingRow {
  features: Float32Array;
  label: 0 | 1;
}

/** Training options (all have defaults). */
export interface TrainOptions {
  modelVersion: string;
  seed?: number;
  holdoutFraction?: number;
  maxBins?: number;
  minBinShare?: number;
  l2?: number;
  /** Use only these features (others get coefficient 0 but stay in the input, so the contract holds). */
  useFeatures?: readonly string[];
  /** Approval rates for the bad-rate metric. */
  approvalRates?: readonly number[];
  /** Feature names in column order; defaults to the catalogue. */
  featureNames?: readonly string[];
}

/** Per-feature training summary. */
export interface FeatureReport {
  name: string;
  bins: number;
  iv: number;
  coef: number;
}

/** What training reports. */
export interface TrainingReport {
  modelVersion: string;
  seed: number;
  nTrain: number;
  nHoldout: number;
  converged: boolean;
  iterations: number;
  train: Metrics;
  holdout: Metrics;
  features: FeatureReport[];
}

/** The training result. */
export interface TrainResult {
  onnxBytes: Uint8Array;
  scorecard: Scorecard;
  report: TrainingReport;
  /** Row indices of the hold-out set (for comparisons on the same customers). */
  holdoutIndices: Uint32Array;
}

function fitActive(W: Float64Array, n: number, F: number, active: number[], ys: Uint8Array, l2: number) {
  const p = active.length;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) active.forEach((j, a) => { X[i * p + a] = W[i * F + j]!; });
  return fitLogistic(X, n, p, ys, { l2, maxIter: 50, tol: 1e-9 });
}

/** Upper bound on training rows. */
export const MAX_TRAINING_ROWS = 5_000_000;

/** Fit a WoE scorecard on labelled rows and export it as ONNX. */
export function trainScorecard(rows: readonly TrainingRow[], opts: TrainOptions): TrainResult {
  const names = [...(opts.featureNames ?? FEATURE_NAMES)];
  const F = names.length;
  if (rows.length < 20 || rows.length > MAX_TRAINING_ROWS) throw new RangeError(`need 20..${MAX_TRAINING_ROWS} rows, got ${rows.length}`);
  rows.forEach((r, i) => {
    if (r.features.length !== F) throw new RangeError(`row ${i} has ${r.features.length} features, expected ${F}`);
    if (r.label !== 0 && r.label !== 1) throw new RangeError(`row ${i} label must be 0 or 1`);
  });
  const seed = opts.seed ?? 20261123;
  const approvalRates = opts.approvalRates ?? [0.5, 0.7, 0.9];
  const use = new Set(opts.useFeatures ?? names);
  const { train, holdout } = seededSplit(rows.length, opts.holdoutFraction ?? 0.3, seed);
  const n = train.length;
  const ys = new Uint8Array(n);
  train.forEach((r, i) => { ys[i] = rows[r]!.label; });
  const bins: FeatureBins[] = names.map((name, j) => {
    const xs = new Float32Array(n);
    train.forEach((r, i) => { xs[i] = rows[r]!.features[j]!; });
    if (!use.has(name)) return { edges: [], woe: [0], counts: [n], bads: [0], iv: 0 };
    return fitBins(xs, ys, { maxBins: opts.maxBins ?? 8, minBinShare: opts.minBinShare ?? 0.05 });
  });
  // WoE design matrix (all binned features), column means = explanation baselines.
  const W = new Float64Array(n * F);
  const baselineWoe = new Array<number>(F).fill(0);
  train.forEach((r, i) => {
    bins.forEach((b, j) => {
      const w = b.woe[binOf(rows[r]!.features[j]!, b.edges)]!;
      W[i * F + j] = w;
      baselineWoe[j]! += w / n;
    });
  });
  // Fit; a negative coefficient on WoE (collinearity) reverses a feature's meaning, so drop the most
  // negative one and refit until all coefficients are >= 0 (standard scorecard practice).
  let active = bins.map((b, j) => (b.edges.length > 0 ? j : -1)).filter((j) => j >= 0);
  let fit = fitActive(W, n, F, active, ys, opts.l2 ?? 1e-3);
  for (;;) {
    const worst = fit.coef.reduce((m, c, a) => (c < (fit.coef[m] ?? 0) ? a : m), -1);
    if (worst < 0 || fit.coef[worst]! >= 0) break;
    active = active.filter((_, a) => a !== worst);
    fit = fitActive(W, n, F, active, ys, opts.l2 ?? 1e-3);
  }
  const coef = new Array<number>(F).fill(0);
  active.forEach((j, a) => { coef[j] = fit.coef[a]!; });
  const scorecard: Scorecard = {
    format: 'scorecard/v1',
    featureNames: names,
    bins: bins.map((b) => ({ edges: b.edges, woe: b.woe })),
    intercept: fit.intercept,
    coef,
    baselineWoe,
  };
  const metricsOf = (idx: Uint32Array): Metrics => {
    const s = Array.from(idx, (r) => scorecardPd(scorecard, rows[r]!.features));
    return computeMetrics(s, Array.from(idx, (r) => rows[r]!.label), approvalRates);
  };
  const report: TrainingReport = {
    modelVersion: opts.modelVersion, seed, nTrain: n, nHoldout: holdout.length,
    converged: fit.converged, iterations: fit.iterations,
    train: metricsOf(train), holdout: metricsOf(holdout),
    features: names.map((name, j) => ({ name, bins: bins[j]!.woe.length, iv: bins[j]!.iv, coef: coef[j]! })),
  };
  const onnxBytes = scorecardToOnnx(scorecard, {
    modelVersion: opts.modelVersion,
    metadata: { training_seed: String(seed), training_rows: String(rows.length) },
  });
  return { onnxBytes, scorecard, report, holdoutIndices: holdout };
}
