/**
 * Turns a fetch result into what a joint decision consumes: the normalized
 * score, or a stable reason code explaining its absence (issue 6 §6: decisions
 * turn "unavailable" into a reason code, never an error).
 */
import type { ExternalScore, ExternalScoreErrorCode } from './provider';
import type { FetchScoreResult } from './service';

/** Reason codes a decision records when a provider contributes nothing. */
export type ExternalScoreReason =
  | 'external_score_unavailable'
  | 'external_score_no_consent'
  | 'external_score_not_assessable'
  | 'external_score_rejected'
  | 'external_score_misconfigured';

/** One provider's contribution to a decision. */
export interface ExternalScoreInput {
  readonly provider: string;
  readonly score: ExternalScore | null;
  readonly reason: ExternalScoreReason | null;
  /** The failure code behind `reason`, for the decision's audit trail. */
  readonly code: ExternalScoreErrorCode | null;
}

const REASONS: Record<ExternalScoreErrorCode, ExternalScoreReason> = {
  unavailable: 'external_score_unavailable',
  consent_missing: 'external_score_no_consent',
  not_assessable: 'external_score_not_assessable',
  missing_identifier: 'external_score_not_assessable',
  provider_business_error: 'external_score_rejected',
  request_rejected: 'external_score_rejected',
  bad_signature: 'external_score_rejected',
  invalid_response: 'external_score_rejected',
  provider_auth_error: 'external_score_misconfigured',
  unknown_provider: 'external_score_misconfigured',
};

/** Map a result for `provider` to its decision input. */
export function toDecisionInput(provider: string, result: FetchScoreResult): ExternalScoreInput {
  if (result.ok) return { provider, score: result.score, reason: null, code: null };
  return { provider, score: null, reason: REASONS[result.code], code: result.code };
}
