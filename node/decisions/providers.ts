/**
 * Input ports of the decisions module (issue 7 §1): the member's own standardized history and external scores
 * come from other modules (node/imports, node/external); the composition root connects them.
 */
import type { ExternalScores, OwnHistorySummary } from '../../scoring';

/** The member's own history about a subject, summarised for scoring (docs/scoring.md §1). */
export interface OwnHistoryProvider {
  /** The summary at `asOf`, or null when this member has no relationship with the subject. */
  summary(pseudonym: string, asOf: Date): Promise<OwnHistorySummary | null>;
  /** Assessed repayment capacity in minor units, or null when unknown (the policy then derives it from spend). */
  capacity?(pseudonym: string): Promise<number | null>;
}

/** External credit scores for a subject (issue 6), each `ok` or `unavailable` with a reason. */
export interface ExternalScoresProvider {
  /**
   * `identifiers` are provider-facing account links the back office passes with a request (an Alipay
   * auth token or user id, a WeChat openid, the name on the ID); never stored by the decisions module.
   */
  scores(pseudonym: string, asOf: Date, identifiers?: ProviderIdentifiers): Promise<ExternalScores>;
}

/** Provider-facing identifiers of a subject, supplied per request. */
export interface ProviderIdentifiers {
  name?: string;
  alipayUserId?: string;
  alipayAuthToken?: string;
  wechatOpenid?: string;
}

/** Own history when no import module is connected: no relationship known. */
export const noOwnHistory: OwnHistoryProvider = { summary: async () => null, capacity: async () => null };

/** External scores when no provider is configured: every result `unavailable` with reason `not-configured`. */
export const unconfiguredExternalScores: ExternalScoresProvider = {
  scores: async () => ({
    sesameScore: { status: 'unavailable', provider: 'sesame', reason: 'not-configured' },
    sesameAdmittance: { status: 'unavailable', provider: 'sesame', reason: 'not-configured' },
    wechatPayScore: { status: 'unavailable', provider: 'wechat-pay-score', reason: 'not-configured' },
  }),
};
