/**
 * Structural input types for scoring (issue 7 §1). The node maps its storage rows to these; scoring never
 * reads storage itself. All amounts are integer minor units (fen for CNY); all instants are ISO-8601 strings.
 */

/** (a) The deciding member's own standardized history about the subject (docs/data-standard.md). */
export interface OwnHistorySummary {
  /** Date of the most recent order, or null when the subject never ordered. */
  lastOrderAt: string | null;
  /** Date of the first relationship event (first order or account opening), or null. */
  firstSeenAt: string | null;
  /** Orders in the 12 months before `asOf`. */
  orderCount12m: number;
  /** Order amount in the 12 months before `asOf`, minor units. */
  orderAmount12mMinor: number;
  /** Instalments repaid on time in the 12 months before `asOf`. */
  onTimeCount12m: number;
  /** Instalments due in the 12 months before `asOf` (denominator for the on-time ratio); 0 = no credit history. */
  dueCount12m: number;
  /** Worst days past due reached in the 12 months before `asOf`. */
  maxDaysPastDue12m: number;
  /** Days past due right now (0 = current). */
  currentDaysPastDue: number;
  /** Own credit line, minor units, or null when there is none. */
  creditLimitMinor: number | null;
  /** Balance drawn on the own credit line, minor units (0 when none). */
  creditBalanceMinor: number;
  /** Refunded orders / orders, 12 months; null when there were no orders. */
  refundRate12m: number | null;
  /** Disputed (chargeback / complaint) orders / orders, 12 months; null when there were no orders. */
  disputeRate12m: number | null;
}

/**
 * (b) A consortium signal as scoring sees it: one verified log entry of any member (including our own),
 * already filtered by the caller to entries that are NOT withdrawn (consent.withdrawn) and NOT retracted.
 * Scoring drops those whose `expiresAt` <= asOf itself. `data` is the type's payload (docs/protocol.md §3);
 * it is parsed defensively: an unreadable payload contributes nothing and is reported in `ignoredSignals`.
 */
export interface ConsortiumSignalView {
  /** Member id of the issuer. */
  issuer: string;
  /** Signal type, e.g. `repayment.overdue`. */
  type: string;
  /** The type's payload. */
  data: unknown;
  issuedAt: string;
  expiresAt: string;
  /** Index of the entry in the issuer's log (evidence reference). */
  logIndex: number;
}

/** Result of one external score query; `unavailable` when not consented, not queried, or the provider failed. */
export type ExternalResult<T> =
  | { status: 'ok'; value: T; provider: string; queriedAt: string; reference: string }
  | { status: 'unavailable'; provider: string; reason: string };

/** (c) External scores. */
export interface ExternalScores {
  /** Sesame (Zhima) credit score 350..950, or null when the provider answered "N/A" (no score). */
  sesameScore: ExternalResult<number | null>;
  /** Sesame admittance decision for the scenario: true = admitted. */
  sesameAdmittance: ExternalResult<boolean>;
  /** WeChat Pay Score service eligibility: true = eligible. */
  wechatPayScore: ExternalResult<boolean>;
}

/** Everything one decision needs about a subject. */
export interface ScoringInputs {
  /** The pseudonym the decision is about (never a raw identifier). */
  subject: string;
  /** Our own member id; signals with `issuer === self` are our own and do not count as "other members". */
  self: string;
  /** Own history, or null when we have no relationship with the subject yet. */
  own: OwnHistorySummary | null;
  signals: ConsortiumSignalView[];
  external: ExternalScores;
  /**
   * Repayment capacity assessed by the member (e.g. verified monthly income x policy months), minor units;
   * null = unknown, then the policy derives capacity from own 12-month order amount.
   */
  capacityMinor: number | null;
}
