/**
 * The training and evaluation pipelines behind `model train` and `model evaluate` (issue 7 §3 and "Decision
 * quality"): a seeded synthetic consortium population, the WoE scorecard trainer, and the own-only vs consortium
 * comparison on the same hold-out customers.
 */
import { consortiumUplift, evaluate, trainScorecard, type ComparisonReport, type EvaluationReport, type ScoringModel, type TrainingReport } from '../../../scoring';
import { POPULATION_AS_OF, syntheticPopulation } from './population';
import { trainingRows } from './rows';

/** Defaults of the shipped model (models/default/README.md). */
export const DEFAULT_TRAIN = { seed: 20261123, subjects: 20_000, modelVersion: 'consortium-scorecard-1' } as const;

/** Trains the scorecard on the synthetic population; deterministic for the same options. */
export function trainDefaultModel(opts: { seed?: number; subjects?: number; modelVersion?: string } = {}): { onnxBytes: Uint8Array; report: TrainingReport } {
  const seed = opts.seed ?? DEFAULT_TRAIN.seed;
  const rows = trainingRows(syntheticPopulation(opts.subjects ?? DEFAULT_TRAIN.subjects, seed), POPULATION_AS_OF);
  const r = trainScorecard(rows, { modelVersion: opts.modelVersion ?? DEFAULT_TRAIN.modelVersion, seed });
  return { onnxBytes: r.onnxBytes, report: r.report };
}

/** What `model evaluate` reports. */
export interface EvaluationSummary {
  seed: number;
  subjects: number;
  holdout: number;
  /** The installed model on the hold-out customers. */
  installed: EvaluationReport;
  /** Own-data-only scorecard (baseline) vs consortium scorecard (candidate), trained and compared on the same split. */
  uplift: ComparisonReport;
}

/** Evaluates `model` and the own-only vs consortium comparison on the same hold-out of a seeded population. */
export async function evaluateOnPopulation(model: ScoringModel, opts: { seed?: number; subjects?: number } = {}): Promise<EvaluationSummary> {
  const seed = opts.seed ?? DEFAULT_TRAIN.seed;
  const subjects = opts.subjects ?? DEFAULT_TRAIN.subjects;
  const rows = trainingRows(syntheticPopulation(subjects, seed), POPULATION_AS_OF);
  const uplift = await consortiumUplift(rows, { modelVersion: 'evaluate', seed });
  const holdout = Array.from(uplift.consortium.holdoutIndices, (i) => rows[i]!);
  return { seed, subjects, holdout: holdout.length, installed: await evaluate(model, holdout), uplift: uplift.comparison };
}
