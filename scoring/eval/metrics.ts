/**
 * Discrimination metrics for probability-of-default scores (issue 7 §3): AUC (Mann-Whitney, ties count
 * one half), KS (largest gap between the cumulative score distributions of bads and goods), Gini (= 2 AUC - 1),
 * and the bad rate among the approved when a fixed share of applicants with the lowest PD is approved.
 * A higher score means riskier. Labels: 1 = bad (default), 0 = good.
 */

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): { bads: number; goods: number } {
  if (scores.length !== labels.length) throw new RangeError('scores and labels differ in length');
  let bads = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`label ${i} is not 0 or 1`);
    if (!Number.isFinite(scores[i]!)) throw new RangeError(`score ${i} is not finite`);
    bads += y;
  }
  return { bads, goods: labels.length - bads };
}

function order(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]! || a - b);
}

/** Area under the ROC curve; NaN when one class is absent. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { bads, goods } = check(scores, labels);
  if (bads === 0 || goods === 0) return Number.NaN;
  const idx = order(scores);
  let rankSumBad = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[idx[k]!] === 1) rankSumBad += avgRank;
    i = j + 1;
  }
  return (rankSumBad - (bads * (bads + 1)) / 2) / (bads * goods);
}

/** Kolmogorov-Smirnov statistic in [0, 1]; NaN when one class is absent. Tied scores move together. */
export function ks(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { bads, goods } = check(scores, labels);
  if (bads === 0 || goods === 0) return Number.NaN;
  const idx = order(scores);
  let cb = 0, cg = 0, best = 0;
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j < idx.length && scores[idx[j]!] === scores[idx[i]!]) {
      if (labels[idx[j]!] === 1) cb++; else cg++;
      j++;
    }
    best = Math.max(best, Math.abs(cb / bads - cg / goods));
    i = j;
  }
  return best;
}

/** Gini coefficient (accuracy ratio) = 2 AUC - 1. */
export function gini(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  return 2 * auc(scores, labels) - 1;
}

/**
 * Bad rate among the approved when the `approvalRate` share (0..1] of rows with the lowest scores is approved
 * (round(rate x n) rows; ties broken by row order, so the figure is deterministic).
 */
export function badRateAtApproval(scores: ArrayLike<number>, labels: ArrayLike<number>, approvalRate: number): number {
  check(scores, labels);
  if (!(approvalRate > 0 && approvalRate <= 1)) throw new RangeError('approvalRate must be in (0, 1]');
  const k = Math.max(1, Math.round(approvalRate * scores.length));
  const idx = order(scores);
  let b = 0;
  for (let i = 0; i < k; i++) b += labels[idx[i]!]!;
  return b / k;
}

/** All metrics of one score set. */
export interface Metrics {
  n: number;
  badRate: number;
  auc: number;
  ks: number;
  gini: number;
  /** Bad rate among the approved, keyed by approval rate as a string (e.g. "0.7"). */
  badRateAtApproval: Record<string, number>;
}

/** Compute {@link Metrics} at the given approval rates. */
export function computeMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, approvalRates: readonly number[]): Metrics {
  const { bads } = check(scores, labels);
  const a = auc(scores, labels);
  const byRate: Record<string, number> = {};
  for (const r of approvalRates) byRate[String(r)] = badRateAtApproval(scores, labels, r);
  return { n: scores.length, badRate: bads / Math.max(1, scores.length), auc: a, ks: ks(scores, labels), gini: 2 * a - 1, badRateAtApproval: byRate };
}
