/**
 * Public surface of the external credit score adapters (issue 6). The node
 * imports from here only.
 */
export type {
  ExternalScore,
  ExternalScoreErrorCode,
  ExternalScoreFailure,
  ExternalScoreSuccess,
  ProbeResult,
  ProvenanceRecord,
  ProviderKind,
  ProviderOutcome,
  ProviderRequest,
  ScoreProvider,
  ScoreScale,
  SignatureScheme,
  SubjectIdentifiers,
  UnavailableCause,
} from './provider';
export { createMemoryScoreCache, type CacheEntry, type CachedOutcome, type ScoreCache } from './cache/cache';
export {
  consentPurpose,
  createExternalScoreService,
  type ConsentCheck,
  type ConsentCheckResult,
  type ExternalScoreService,
  type ExternalScoreServiceDeps,
  type FetchScoreOptions,
  type FetchScoreResult,
  type ProvenanceStore,
  type ProviderEntry,
  type ProviderPolicy,
} from './service';
export {
  externalScoresConfigSchema,
  parseExternalScoresConfig,
  ExternalScoresConfigError,
  type ExternalScoresConfig,
  type ExternalScoresConfigInput,
  type ProviderConfig,
  type KeySource,
} from './config';
export { createProviders, loadProviderPublicKeys, type CreateProvidersDeps } from './factory';
export {
  verifyProvenance,
  parseProvenanceRecord,
  provenanceRecordSchema,
  type ProviderPublicKeys,
  type ProvenanceVerification,
} from './provenance/verify';
export { createHttpTransport, type HttpTransport, type HttpRequest, type HttpResponse } from './shared/http';
export { realSleep, type Sleep } from './resilience/retry';
export type { BreakerState } from './resilience/breaker';
export { ALIPAY_GATEWAY_URL } from './alipay/gateway';
export { WECHATPAY_BASE_URL } from './wechatpay/payscore';
export { toDecisionInput, type ExternalScoreInput, type ExternalScoreReason } from './decision-input';
