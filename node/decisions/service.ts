/**
 * The decisions service (issue 7 §6): evaluates subjects with the active model and the policy, stores every
 * decision immutably, routes limits that need review, shares decisions in force, and raises early-warning events
 * when a re-evaluation drops the grade, freezes the credit line or loses the VIP tier.
 */
import type { ProviderIdentifiers } from './providers';
import { decide, decideBatch, decisionChanges, type Decision, type Policy } from '../../scoring';
import type { Logger } from '../observability/logger';
import { failure, type DecisionFailure } from './errors';
import { newId } from './ids';
import { gatherInputs, type InputSources } from './inputs';
import type { DecisionMetrics } from './metrics';
import type { ModelSource } from './models';
import type { DecisionRepository, EarlyWarningEvent, ReviewTask, StoredDecision } from './repository';
import { createReviewActions, type ReviewActions } from './reviews';
import { shareDecision, type ShareDeps } from './share';
import type { AuditSink } from '../compliance/contracts';

/** Dependencies of {@link createDecisionService}. */
export interface DecisionServiceDeps extends InputSources {
  repo: DecisionRepository;
  models: ModelSource;
  policy: Policy;
  publish: ShareDeps['publish'];
  logger: Logger;
  metrics: DecisionMetrics;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** Roles that answer a subject's request for human review (default `['risk_analyst']`). */
  humanReviewChain?: string[];
  /** Records `decision.made` and `review.action` (issue 9 audit log). */
  audit?: AuditSink;
}

/** A subject pseudonym; the key id is needed to share signals and is looked up from held signals when absent. */
export type SubjectRef = string | { kid: string; value: string };

/** A decision with where it stands. */
export interface DecisionRecord extends StoredDecision {
  /** True when this is the decision in force for the subject. */
  inForce: boolean;
  reviews: ReviewTask[];
}

/**
 * The decision in force. `status` is what applies now: a decision stored as `under_review` whose limit review was
 * approved is `active` (the stored record itself never changes).
 */
export interface InForceDecision extends StoredDecision {
  status: 'active' | 'frozen';
}

/** The service API. */
export interface DecisionService extends ReviewActions {
  /** Evaluates a subject now; `reason` is stored as the trigger (`request`, `signals`, ...). */
  evaluate(subject: SubjectRef, opts: { reason: string; identifiers?: ProviderIdentifiers }): Promise<{ ok: true; record: DecisionRecord; events: EarlyWarningEvent[] } | DecisionFailure>;
  get(id: string): Promise<DecisionRecord | null>;
  /** The decision in force for a subject (the partner-merchant API reads this), or null. */
  effective(pseudonym: string): Promise<InForceDecision | null>;
  /** Early-warning events of a subject, oldest first. */
  events(pseudonym: string, limit?: number): Promise<EarlyWarningEvent[]>;
  /** Re-evaluates those of `pseudonyms` that already have a decision (new signals arrived). */
  onSignalsApplied(pseudonyms: readonly string[]): Promise<void>;
}

/** Trigger values used as metric labels as they are; any other reason is counted as `other` (bounded cardinality). */
const KNOWN_TRIGGERS = new Set(['request', 'signals', 'review', 'batch']);

/** At most this many subjects are re-evaluated per `onSignalsApplied` call chunk. */
const REEVALUATE_CHUNK = 200;

/** Builds the service. */
export function createDecisionService(deps: DecisionServiceDeps): DecisionService {
  const { repo } = deps;
  const share = (subject: { kid: string; value: string } | null, prev: Decision | null, next: StoredDecision) =>
    shareDecision(deps, subject, prev, next.decision, next.id);
  const reviews = createReviewActions({ ...deps, humanReviewChain: deps.humanReviewChain ?? ['risk_analyst'], share });

  const record = async (s: StoredDecision): Promise<DecisionRecord> => {
    const [eff, rs] = await Promise.all([repo.effective(s.subject), repo.reviewsOf(s.id)]);
    return { ...s, inForce: eff?.id === s.id, reviews: rs };
  };

  /** Stores a fresh decision, raises its early-warning events and shares it when in force. */
  async function persist(subject: SubjectRef, kid: string | null, decision: Decision, modelId: string, reason: string, asOf: Date) {
    const value = typeof subject === 'string' ? subject : subject.value;
    const prevInForce = await repo.effective(value);
    const stored: StoredDecision = { id: newId('dec', deps.random), subject: value, createdAt: asOf, trigger: reason.slice(0, 64), modelId, decision };
    const review: ReviewTask | null =
      decision.reviewChain.length > 0
        ? { id: newId('rev', deps.random), decisionId: stored.id, subject: value, kind: 'limit', chain: decision.reviewChain, step: 0, state: 'pending', actions: [], createdAt: asOf, decidedAt: null }
        : null;
    await repo.insertDecision(stored, review);
    await deps.audit?.record({ type: 'decision.made', actor: 'system', subject: value, detail: { decision: stored.id, trigger: stored.trigger, grade: decision.grade, status: decision.status, modelId, review: review?.id ?? null } });
    deps.metrics.decisions.inc({ grade: decision.grade, status: decision.status, trigger: KNOWN_TRIGGERS.has(stored.trigger) ? stored.trigger : 'other' });

    const events: EarlyWarningEvent[] = decisionChanges(prevInForce?.decision ?? null, decision).map((c) => ({
      id: newId('evt', deps.random),
      subject: value,
      kind: c.code,
      decisionIds: prevInForce ? [prevInForce.id, stored.id] : [stored.id],
      detail: { from: c.from, to: c.to, trigger: stored.trigger },
      createdAt: asOf,
    }));
    await repo.insertEvents(events);
    for (const e of events) {
      deps.metrics.earlyWarnings.inc({ kind: e.kind });
      deps.logger.warn({ subject: value, kind: e.kind, from: e.detail.from, to: e.detail.to, decision: stored.id }, 'early warning');
    }
    if (decision.status !== 'under_review') {
      const ref = typeof subject === 'string' ? (kid ? { kid, value } : null) : subject;
      await share(ref, prevInForce?.decision ?? null, stored);
    }
    return { ok: true as const, record: await record(stored), events };
  }

  async function evaluate(subject: SubjectRef, opts: { reason: string; identifiers?: ProviderIdentifiers }) {
    const value = typeof subject === 'string' ? subject : subject.value;
    const active = await deps.models.current();
    if (!active) return failure('model-unavailable', 'no model is installed; run consortium-node model install --dir DIR FILE');
    const asOf = deps.now();
    const { inputs, kid } = await gatherInputs(deps, value, asOf, opts.identifiers);
    const decision = await decide(inputs, { model: active.model, policy: deps.policy, asOf });
    return persist(subject, kid, decision, active.id, opts.reason, asOf);
  }

  /** Re-evaluates several subjects with one model call (decideBatch); stops at the first failure. */
  async function evaluateMany(subjects: readonly string[], reason: string): Promise<DecisionFailure | null> {
    const active = await deps.models.current();
    if (!active) return failure('model-unavailable', 'no model is installed; run consortium-node model install --dir DIR FILE');
    const asOf = deps.now();
    const gathered = await Promise.all(subjects.map((p) => gatherInputs(deps, p, asOf)));
    const decided = await decideBatch(gathered.map((g) => g.inputs), { model: active.model, policy: deps.policy, asOf });
    for (const [i, decision] of decided.entries()) await persist(subjects[i]!, gathered[i]!.kid, decision, active.id, reason, asOf);
    return null;
  }

  return {
    ...reviews,
    evaluate,
    async get(id) {
      const s = await repo.getDecision(id);
      return s ? record(s) : null;
    },
    async effective(pseudonym) {
      const s = await repo.effective(pseudonym);
      return s ? { ...s, status: s.decision.status === 'frozen' ? 'frozen' : 'active' } : null;
    },
    events: (pseudonym, limit = 100) => repo.events(pseudonym, Math.min(Math.max(1, limit), 1000)),
    async onSignalsApplied(pseudonyms) {
      const unique = [...new Set(pseudonyms)];
      for (let i = 0; i < unique.length; i += REEVALUATE_CHUNK) {
        const decided = await repo.decidedSubjects(unique.slice(i, i + REEVALUATE_CHUNK));
        if (decided.length === 0) continue;
        const failed = await evaluateMany(decided, 'signals');
        if (failed) {
          deps.logger.error({ subjects: decided.length, code: failed.code, reason: failed.message }, 're-evaluation after new signals failed');
          return;
        }
      }
    },
  };
}
