/**
 * The port every external credit score provider implements, and the normalized
 * result / provenance shapes the node stores (issue 6, "provider interface").
 *
 * A provider performs ONE attempt of ONE request; consent gating, caching,
 * retries, the circuit breaker and timeouts live in `service.ts` so every
 * provider gets them identically.
 */

/** Which wire protocol a provider speaks; selects the provenance verifier. */
export type ProviderKind = 'alipay-zhima' | 'wechatpay-payscore' | 'bureau';

/**
 * What the node knows about a subject. Raw identifiers stay on the node: each
 * provider picks only the fields its API requires and never sends the others.
 * `pseudonym` is used for the cache key and consent look-up and is never sent.
 */
export interface SubjectIdentifiers {
  /** Consortium pseudonym (architecture §2). Never sent to a provider. */
  readonly pseudonym: string;
  /** Normalized Chinese resident ID number (18 chars). */
  readonly idNumber?: string;
  /** Legal name, as required by identity-based provider APIs. */
  readonly name?: string;
  /** E.164 mobile number. */
  readonly phone?: string;
  /** Alipay user id (2088...), for `cert_type=ALIPAY_USER_ID`. */
  readonly alipayUserId?: string;
  /** Alipay user authorization token (`auth_token`) from the user's OAuth grant. */
  readonly alipayAuthToken?: string;
  /** WeChat openid of the user under the merchant's appid. */
  readonly wechatOpenid?: string;
}

/** Inclusive numeric range of a provider's score. */
export interface ScoreScale {
  readonly min: number;
  readonly max: number;
}

/** A provider's answer, normalized for decisions. */
export interface ExternalScore {
  /** Configured provider name (also the consent purpose suffix). */
  readonly provider: string;
  /** Numeric score, or null when the provider has none (Pay Score, admittance). */
  readonly score: number | null;
  /** Range of `score`; null when `score` is null. */
  readonly scale: ScoreScale | null;
  /** Eligibility flag (admittance Y/N, Pay Score available), null when not applicable. */
  readonly eligible: boolean | null;
  /** ISO-8601 time the answer was received. */
  readonly asOf: string;
  /** Provider reference for reconciliation (`biz_no`, `Request-ID`, bureau reference). */
  readonly reference: string | null;
}

/** How the raw response was signed. */
export type SignatureScheme = 'alipay-rsa2' | 'wechatpay-rsa2048' | 'none';

/**
 * Everything needed to prove later what a provider answered (issue 6, "consent
 * and provenance"). JSON-serializable; `verifyProvenance` re-checks it offline.
 * Contains no secrets and no raw identifiers (they are redacted in `requestParams`).
 */
export interface ProvenanceRecord {
  readonly v: 1;
  readonly provider: string;
  readonly kind: ProviderKind;
  /** API operation, e.g. `zhima.credit.score.get` or `GET /v3/payscore/user-service-state`. */
  readonly operation: string;
  readonly consentId: string;
  readonly subjectPseudonym: string;
  /** ISO-8601 times the request was sent and the response received. */
  readonly requestedAt: string;
  readonly receivedAt: string;
  /** Provider reference (`biz_no`, `Request-ID`, ...), null when absent. */
  readonly reference: string | null;
  /** Request parameters without secrets; personal identifiers replaced by `[redacted]`. */
  readonly requestParams: Readonly<Record<string, string>>;
  readonly response: {
    readonly status: number;
    /** Raw response body text exactly as received. */
    readonly body: string;
    /** Response headers relevant to verification (lower-case names). */
    readonly headers: Readonly<Record<string, string>>;
  };
  readonly signature: {
    readonly scheme: SignatureScheme;
    /** Base64 signature value, null when unsigned. */
    readonly value: string | null;
    /** Key identifier used (WeChat serial, Alipay cert sn), null when not given. */
    readonly keyId: string | null;
  };
}

/** Stable failure codes. `unavailable` is the one decisions turn into a reason code. */
export type ExternalScoreErrorCode =
  | 'consent_missing'
  | 'missing_identifier'
  | 'not_assessable'
  | 'provider_business_error'
  | 'provider_auth_error'
  | 'request_rejected'
  | 'bad_signature'
  | 'invalid_response'
  | 'unavailable'
  | 'unknown_provider';

/** Why a provider was unavailable. */
export type UnavailableCause = 'timeout' | 'http_status' | 'network' | 'circuit_open' | 'provider_busy';

/** A failed fetch: an expected outcome, never thrown. */
export interface ExternalScoreFailure {
  readonly ok: false;
  readonly code: ExternalScoreErrorCode;
  readonly message: string;
  /** Provider's own code (Alipay `sub_code`, WeChat `code`) when it gave one. */
  readonly providerCode?: string;
  readonly providerMessage?: string;
  readonly cause?: UnavailableCause;
  /** Present when the provider gave a verified (signed) answer, e.g. N/A or a business error. */
  readonly provenance?: ProvenanceRecord;
}

/** A successful fetch. */
export interface ExternalScoreSuccess {
  readonly ok: true;
  readonly score: ExternalScore;
  readonly provenance: ProvenanceRecord;
}

/** Result of one provider attempt. */
export type ProviderOutcome =
  | ExternalScoreSuccess
  | (ExternalScoreFailure & { readonly retryable?: boolean });

/** One request to a provider, made under a specific consent. */
export interface ProviderRequest {
  readonly subject: SubjectIdentifiers;
  /** Id of the consent record that allows this query. */
  readonly consentId: string;
  /**
   * Idempotency key for this logical query (Alipay `transaction_id`). Reused on
   * every retry; a caller retrying later within 24 h may pass the same value.
   */
  readonly requestId: string;
}

/** Result of a configuration check against the provider (or a mock). */
export interface ProbeResult {
  readonly ok: boolean;
  /** Short machine-readable verdict, e.g. `signature_verified`, `request_signature_rejected`. */
  readonly code: string;
  readonly message: string;
}

/** The port: one adapter per provider type. */
export interface ScoreProvider {
  readonly name: string;
  readonly kind: ProviderKind;
  /** True when the provider makes repeating the same request safe (idempotent). */
  readonly retrySafe: boolean;
  /** One attempt. May throw only on transport failure (network, abort); everything else is returned. */
  fetchScore(request: ProviderRequest, signal: AbortSignal): Promise<ProviderOutcome>;
  /** Check credentials and keys against the provider without a real subject (CLI `providers test`). */
  probe(signal: AbortSignal): Promise<ProbeResult>;
}

/** Build a failure value. */
export function failure(
  code: ExternalScoreErrorCode,
  message: string,
  extra: Omit<ExternalScoreFailure, 'ok' | 'code' | 'message'> & { retryable?: boolean } = {},
): ExternalScoreFailure & { retryable?: boolean } {
  return { ok: false, code, message, ...extra };
}
