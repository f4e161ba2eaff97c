/**
 * Reason codes for model factors (issue 7 §5). Contributions are in logit (log-odds) units against a
 * documented baseline; positive = raises the risk.
 *
 * - `scorecard_exact` (linear scorecards): contribution_j = coef_j x (woe_j(x_j) - baselineWoe_j), where
 *   baselineWoe_j is the mean WoE of feature j over the training rows; the contributions sum exactly to
 *   logit(pd) - baselineLogit.
 * - `baseline_substitution` (any other model): contribution_j = logit(f(x)) - logit(f(x with x_j replaced by the
 *   catalogue reference value of j)); the baseline is f(reference vector). Local, deterministic, model-agnostic
 *   (one extra batch of F + 1 rows per subject); not additive for non-linear models.
 */
import { FEATURE_CATALOGUE } from '../features/catalogue';

/** One explained factor. */
export interface Factor {
  /** Stable reason code: `F_` + upper-case feature name. */
  code: string;
  feature: string;
  value: number;
  /** The value was imputed by the missing-value rule. */
  missing: boolean;
  /** Logit contribution (positive = raises risk). */
  contribution: number;
  direction: 'raises_risk' | 'lowers_risk';
  zh: string;
  en: string;
}

/** The model part of a decision's explanation. */
export interface Explanation {
  method: 'scorecard_exact' | 'baseline_substitution';
  /** PD at the baseline. */
  baselinePd: number;
  /** Top factors by absolute contribution (zero contributions left out). */
  factors: Factor[];
}

const EPS = 1e-7;

/** log-odds of a probability (clamped away from 0 and 1). */
export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

/** Sigmoid. */
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Reason code of a feature. */
export const factorCode = (feature: string): string => `F_${feature.toUpperCase()}`;

/** Turn per-feature contributions into the top-N factors with texts. */
export function topFactors(contrib: ArrayLike<number>, values: ArrayLike<number>, missing: ArrayLike<number>, topN: number): Factor[] {
  const idx = Array.from({ length: contrib.length }, (_, j) => j)
    .filter((j) => Math.abs(contrib[j]!) > 1e-12)
    .sort((a, b) => Math.abs(contrib[b]!) - Math.abs(contrib[a]!) || a - b)
    .slice(0, topN);
  return idx.map((j) => {
    const spec = FEATURE_CATALOGUE[j]!;
    const up = contrib[j]! > 0;
    const shown = Number(values[j]!.toPrecision(6));
    const miss = missing[j] === 1;
    return {
      code: factorCode(spec.name),
      feature: spec.name,
      value: shown,
      missing: miss,
      contribution: contrib[j]!,
      direction: up ? 'raises_risk' : 'lowers_risk',
      zh: `${spec.zh}（${miss ? '缺失，按规则取值' : '取值'} ${shown}）${up ? '提高了风险' : '降低了风险'}`,
      en: `${spec.en} (${miss ? 'missing, imputed' : 'value'} ${shown}) ${up ? 'raises' : 'lowers'} the risk`,
    };
  });
}

/** Rows for baseline substitution of one subject: row 0 = reference vector, row j+1 = x with x_j := reference_j. */
export function substitutionRows(x: Float32Array, out: Float32Array, offset: number): void {
  const F = x.length;
  for (let j = 0; j < F; j++) out[offset + j] = FEATURE_CATALOGUE[j]!.reference;
  for (let r = 0; r < F; r++) {
    const o = offset + (r + 1) * F;
    out.set(x, o);
    out[o + r] = FEATURE_CATALOGUE[r]!.reference;
  }
}
