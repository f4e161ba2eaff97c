/**
 * `decide` (issue 7 §6): features -> model -> policy -> explanation, as a pure (async: onnxruntime) function
 * of its arguments. The result is the immutable record the node stores. `decideBatch` scores many subjects
 * with one model call (re-scoring jobs).
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { CATALOGUE_VERSION } from '../features/catalogue';
import { computeFeatures, type FeatureVector } from '../features/compute';
import type { ScoringInputs } from '../features/inputs';
import type { ScoringModel } from '../model/load';
import { scorecardBaselineLogit, scorecardContributions } from '../model/scorecard';
import { applyPolicy, type Alert, type DecisionStatus } from '../policy/apply';
import { policyFacts } from '../policy/facts';
import type { LimitBreakdown } from '../policy/limit';
import type { RuleReason } from '../policy/rule-texts';
import type { Grade, Policy } from '../policy/schema';
import type { VipGrant } from '../policy/vip';
import { logit, sigmoid, substitutionRows, topFactors, type Explanation } from '../explain/factors';
import { buildEvidence, type Evidence } from '../explain/evidence';

/** What a decision depends on besides the subject's inputs. */
export interface DecisionContext {
  model: ScoringModel;
  policy: Policy;
  /** The decision instant (the caller's clock). */
  asOf: Date;
}

/** A decision record (schema `decision/v1`). */
export interface Decision {
  schema: 'decision/v1';
  subject: string;
  asOf: string;
  /** Hex SHA-256 of the RFC 8785 canonical JSON of `{ asOf, inputs }`. */
  inputsDigest: string;
  versions: { catalogue: string; model: string; modelSha256: string; policy: string };
  features: { names: string[]; values: number[]; missing: string[] };
  pd: number;
  /** Grade from the PD alone, and the final grade after hard rules. */
  modelGrade: Grade;
  grade: Grade;
  service: { zh: string; en: string };
  vip: VipGrant | null;
  limit: LimitBreakdown;
  status: DecisionStatus;
  alerts: Alert[];
  reasons: { model: Explanation; rules: RuleReason[] };
  evidence: Evidence;
  /** Roles that must approve, in order ([] = takes effect automatically). */
  reviewChain: string[];
}

/** Digest of the inputs of a decision. */
export function inputsDigest(inputs: ScoringInputs, asOf: Date): string {
  const text = canonicalize({ asOf: asOf.toISOString(), inputs });
  if (text === undefined) throw new Error('inputs are not JSON-serialisable');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

async function explainAll(model: ScoringModel, fvs: FeatureVector[], pds: Float64Array, topN: number): Promise<Explanation[]> {
  const sc = model.scorecard;
  if (sc) {
    const baselinePd = sigmoid(scorecardBaselineLogit(sc));
    return fvs.map((fv) => ({ method: 'scorecard_exact', baselinePd, factors: topFactors(scorecardContributions(sc, fv.values), fv.values, fv.missing, topN) }));
  }
  const F = model.featureNames.length;
  const per = F + 1;
  const out: Explanation[] = [];
  // Substitution rows are F + 1 per subject: bound memory by explaining SUBSTITUTION_CHUNK subjects per inference.
  for (let start = 0; start < fvs.length; start += SUBSTITUTION_CHUNK) {
    const part = fvs.slice(start, start + SUBSTITUTION_CHUNK);
    const rows = new Float32Array(part.length * per * F);
    part.forEach((fv, i) => substitutionRows(fv.values, rows, i * per * F));
    const sub = await model.predict(rows, part.length * per);
    part.forEach((fv, i) => {
      const z = logit(pds[start + i]!);
      const contrib = new Float64Array(F);
      for (let j = 0; j < F; j++) contrib[j] = z - logit(sub[i * per + 1 + j]!);
      out.push({ method: 'baseline_substitution', baselinePd: sub[i * per]!, factors: topFactors(contrib, fv.values, fv.missing, topN) });
    });
  }
  return out;
}

/** Subjects explained per substitution inference call (memory bound: SUBSTITUTION_CHUNK x (F + 1) rows). */
export const SUBSTITUTION_CHUNK = 2_000;

/** Upper bound on subjects per batch call. */
export const MAX_BATCH = 1_000_000;

/** Decide many subjects at one instant with one model (one inference call). */
export async function decideBatch(all: readonly ScoringInputs[], ctx: DecisionContext): Promise<Decision[]> {
  if (all.length > MAX_BATCH) throw new RangeError(`batch of ${all.length} exceeds ${MAX_BATCH}`);
  const { model, policy, asOf } = ctx;
  const F = model.featureNames.length;
  const fvs = all.map((inp) => computeFeatures(inp, asOf));
  const batch = new Float32Array(all.length * F);
  fvs.forEach((fv, i) => batch.set(fv.values, i * F));
  const pds = await model.predict(batch, all.length);
  const explanations = await explainAll(model, fvs, pds, policy.explanations.topFactors);
  const asOfIso = asOf.toISOString();
  return all.map((inputs, i) => {
    const fv = fvs[i]!;
    const pd = pds[i]!;
    const out = applyPolicy(pd, policyFacts(inputs, fv.consortium), policy, asOf);
    return {
      schema: 'decision/v1',
      subject: inputs.subject,
      asOf: asOfIso,
      inputsDigest: inputsDigest(inputs, asOf),
      versions: { catalogue: CATALOGUE_VERSION, model: model.modelVersion, modelSha256: model.sha256, policy: policy.policyVersion },
      features: { names: [...fv.names], values: Array.from(fv.values), missing: fv.names.filter((_, j) => fv.missing[j] === 1) },
      pd,
      modelGrade: out.modelGrade,
      grade: out.grade,
      service: out.service,
      vip: out.vip,
      limit: out.limit,
      status: out.status,
      alerts: out.alerts,
      reasons: { model: explanations[i]!, rules: out.rules },
      evidence: buildEvidence(fv.consortium.evidence, fv.consortium.ignored, inputs.external),
      reviewChain: out.reviewChain,
    };
  });
}

/** Decide one subject. */
export async function decide(inputs: ScoringInputs, ctx: DecisionContext): Promise<Decision> {
  const [d] = await decideBatch([inputs], ctx);
  return d!;
}
