/**
 * The credit scorecard model family (issue 7 §3): per-feature bins with weight of evidence (WoE) and a
 * logistic regression over the WoE values.
 *
 *   logit(x) = intercept + sum_j coef_j * woe_j(bin_j(x_j)),   pd = 1 / (1 + exp(-logit))
 *
 * Explanations are exact in logit space against the documented baseline `baselineWoe_j` (the mean WoE of
 * feature j over the training rows): logit(x) = baselineLogit + sum_j contribution_j with
 * contribution_j = coef_j * (woe_j(x_j) - baselineWoe_j).
 */
import { z } from 'zod';

/**
 * Bin index of `x` for ascending `edges`: the number of edges e with x >= e (bins are half-open
 * [edge_k-1, edge_k); NaN falls in bin 0, as in the exported ONNX graph).
 */
export function binOf(x: number, edges: readonly number[]): number {
  let k = 0;
  while (k < edges.length && x >= edges[k]!) k++;
  return k;
}

/** A serialisable scorecard (also embedded in its ONNX model's `metadata_props` as `scorecard`). */
export interface Scorecard {
  format: 'scorecard/v1';
  featureNames: string[];
  /** Per feature: ascending float32 bin edges and one WoE per bin (edges.length + 1 values). */
  bins: Array<{ edges: number[]; woe: number[] }>;
  intercept: number;
  coef: number[];
  baselineWoe: number[];
}

/** zod schema for an embedded scorecard. */
export const ScorecardSchema = z
  .object({
    format: z.literal('scorecard/v1'),
    featureNames: z.array(z.string()).max(1000),
    bins: z.array(z.object({ edges: z.array(z.number()).max(64), woe: z.array(z.number()).max(65) })),
    intercept: z.number(),
    coef: z.array(z.number()),
    baselineWoe: z.array(z.number()),
  })
  .refine(
    (s) => s.bins.length === s.featureNames.length && s.coef.length === s.featureNames.length
      && s.baselineWoe.length === s.featureNames.length && s.bins.every((b) => b.woe.length === b.edges.length + 1),
    { message: 'scorecard arrays do not line up with featureNames' },
  );

/** Logit of one row (`x` in the scorecard's feature order). */
export function scorecardLogit(sc: Scorecard, x: ArrayLike<number>): number {
  let z = sc.intercept;
  for (let j = 0; j < sc.coef.length; j++) {
    const c = sc.coef[j]!;
    if (c !== 0) { const b = sc.bins[j]!; z += c * b.woe[binOf(x[j]!, b.edges)]!; }
  }
  return z;
}

/** Probability of default of one row. */
export function scorecardPd(sc: Scorecard, x: ArrayLike<number>): number {
  return 1 / (1 + Math.exp(-scorecardLogit(sc, x)));
}

/** The logit of a subject whose every feature sits at its baseline WoE. */
export function scorecardBaselineLogit(sc: Scorecard): number {
  return sc.coef.reduce((z, c, j) => z + c * sc.baselineWoe[j]!, sc.intercept);
}

/** Exact per-feature logit contributions against the baseline (they sum to logit - baselineLogit). */
export function scorecardContributions(sc: Scorecard, x: ArrayLike<number>): number[] {
  return sc.coef.map((c, j) => (c === 0 ? 0 : c * (sc.bins[j]!.woe[binOf(x[j]!, sc.bins[j]!.edges)]! - sc.baselineWoe[j]!)));
}
