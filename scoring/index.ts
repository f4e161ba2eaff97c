/**
 * Public API of the scoring layer (docs/scoring.md). Pure: no HTTP, no database, no clock or environment reads;
 * `asOf` and file access come in as parameters. The node composes these.
 */
export { CATALOGUE_VERSION, FEATURE_CATALOGUE, FEATURE_NAMES, FEATURE_COUNT, type FeatureSpec } from './features/catalogue';
export type { ScoringInputs, OwnHistorySummary, ConsortiumSignalView, ExternalScores, ExternalResult } from './features/inputs';
export { computeFeatures, type FeatureVector } from './features/compute';
export { summarizeSignals, type ConsortiumSummary, type SignalEvidence } from './features/consortium';
export { MODEL_ERROR_CODES, type ModelError, type ModelErrorCode, type ModelResult } from './model/errors';
export { loadOnnxModel, type ScoringModel, type LoadOptions } from './model/load';
export { createModelRegistry, type ModelRegistry, type ModelFiles, type InstalledModel, type RegistryState } from './model/registry';
export { createDirModelFiles } from './model/dir-files';
export type { Scorecard } from './model/scorecard';
export { trainScorecard, type TrainingRow, type TrainOptions, type TrainResult, type TrainingReport } from './train/train';
export { mulberry32 } from './train/rng';
export { evaluate, compareModels, type EvaluationReport, type ComparisonReport } from './eval/evaluate';
export { consortiumUplift, OWN_FEATURES, type UpliftResult } from './eval/uplift';
export { auc, ks, gini, badRateAtApproval, computeMetrics, type Metrics } from './eval/metrics';
export { parsePolicy, defaultPolicy, type PolicyResult, type PolicyError } from './policy/load';
export { GRADES, type Grade, type Policy } from './policy/schema';
export { applyPolicy, type PolicyOutcome, type Alert, type DecisionStatus } from './policy/apply';
export type { VipGrant, VipStatusData } from './policy/vip';
export type { LimitBreakdown } from './policy/limit';
export type { RuleReason, RuleCode } from './policy/rule-texts';
export type { Explanation, Factor } from './explain/factors';
export { decide, decideBatch, inputsDigest, type Decision, type DecisionContext } from './decide/decide';
export { decisionChanges, type DecisionChange } from './decide/changes';
export { gradeAssignedData, vipStatusData } from './decide/signals';
export type { Evidence, ExternalEvidence } from './explain/evidence';
