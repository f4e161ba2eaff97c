/**
 * Decision quality (issue 7 "Decision quality"): train an own-data-only scorecard and a consortium scorecard
 * (own data + shared signals + external scores) on the same rows with the same seeded split, and compare them
 * on the same hold-out customers: AUC, KS, Gini and the bad rate at equal approval rates.
 */
import { FEATURE_CATALOGUE, FEATURE_NAMES } from '../features/catalogue';
import { loadOnnxModel } from '../model/load';
import { trainScorecard, type TrainOptions, type TrainingRow, type TrainResult } from '../train/train';
import { compareModels, type ComparisonReport } from './evaluate';

/** Result of {@link consortiumUplift}. */
export interface UpliftResult {
  ownOnly: TrainResult;
  consortium: TrainResult;
  /** baseline = own-only, candidate = consortium, on the shared hold-out rows. */
  comparison: ComparisonReport;
}

/** Names of the features computed from the member's own data only. */
export const OWN_FEATURES: readonly string[] = FEATURE_CATALOGUE.filter((f) => f.source === 'own').map((f) => f.name);

/** Train both models and compare them on the same hold-out rows. */
export async function consortiumUplift(rows: readonly TrainingRow[], opts: TrainOptions): Promise<UpliftResult> {
  const consortium = trainScorecard(rows, { ...opts, useFeatures: opts.useFeatures ?? FEATURE_NAMES });
  const ownOnly = trainScorecard(rows, { ...opts, modelVersion: `${opts.modelVersion}-own-only`, useFeatures: OWN_FEATURES });
  const a = await loadOnnxModel(ownOnly.onnxBytes);
  const b = await loadOnnxModel(consortium.onnxBytes);
  if (!a.ok || !b.ok) throw new Error(`freshly trained model failed its contract: ${(!a.ok ? a.error : !b.ok ? b.error : undefined)?.message}`);
  try {
    const holdout = Array.from(consortium.holdoutIndices, (i) => rows[i]!);
    const comparison = await compareModels(a.value, b.value, holdout, opts.approvalRates);
    return { ownOnly, consortium, comparison };
  } finally {
    await a.value.release();
    await b.value.release();
  }
}
