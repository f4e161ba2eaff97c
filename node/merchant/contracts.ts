/**
 * The seams between the partner-merchant pieces (issue 8): access control (clients, OAuth2 access tokens, consent
 * tokens, idempotency, rate limits, query log; `node/merchant/access`) and the ledger of authorizations on a
 * customer's joint limit (`node/merchant/ledger`, with merchant webhooks in `node/merchant/webhooks`).
 * The composition root builds access first and hands the ledger the {@link MerchantAccess} it needs.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { InForceDecision } from '../decisions/service';

/**
 * How long a decision is offered to merchants after it was made (30 days): the query reports it as `expiresAt`,
 * and the ledger places no hold on an older decision. One value, so both always agree.
 */
export const DEFAULT_DECISION_VALIDITY_MS = 30 * 24 * 3600 * 1000;

/** Scopes an OAuth2 client may hold. */
export const MERCHANT_SCOPES = ['limits:read', 'authorizations:write'] as const;
export type MerchantScope = (typeof MERCHANT_SCOPES)[number];

/** The authenticated merchant of a `/v1/` request (set by {@link MerchantAccess.authenticate}). */
export interface MerchantPrincipal {
  clientId: string;
  scopes: MerchantScope[];
}

/** Hono environment of the `/v1/` surface: `c.get('merchant')` after authentication. */
export type MerchantEnv = { Variables: { requestId: string; merchant: MerchantPrincipal } };

/** A consent token that checked out: the customer (by pseudonym only) and the consent that covers the use. */
export interface VerifiedConsentToken {
  subject: string;
  consentId: string;
  /** When the token stops working (the earlier of its `exp` and the consent's expiry). */
  expiresAt: Date;
}

/** Why a consent token was refused; each code is in the problem catalogue. */
export type ConsentTokenFailure = {
  ok: false;
  code: 'consent-token-invalid' | 'consent-token-expired' | 'consent-token-wrong-merchant' | 'consent-withdrawn' | 'consent-required';
  message: string;
  /** Set when the token was signed by this node (so the customer is known) but the consent no longer covers the use: log the refusal. */
  subject?: string;
  consentId?: string;
};

/** What the ledger needs from access control. */
export interface MerchantAccess {
  /** Verifies the OAuth2 bearer access token and sets `c.get('merchant')`; 401 problem otherwise. */
  authenticate: MiddlewareHandler<MerchantEnv>;
  /** 403 `insufficient-scope` unless the merchant holds `scope`. Use after `authenticate`. */
  requireScope(scope: MerchantScope): MiddlewareHandler<MerchantEnv>;
  /** Verifies a customer consent token for `clientId` against the live consent (withdrawal takes effect at once). */
  verifyConsentToken(token: string, clientId: string): Promise<({ ok: true } & VerifiedConsentToken) | ConsentTokenFailure>;
  /** Records a look-up or use of a customer's credit (compliance query log). */
  logQuery(entry: MerchantQueryLogEntry): Promise<void>;
}

/** One entry of the merchant query log (who looked at which customer's credit, why, under which consent). */
export interface MerchantQueryLogEntry {
  clientId: string;
  subject: string;
  consentId: string;
  /** `joint-limit.query`, `authorization.create`, ... */
  action: string;
  purpose: 'merchant-limit';
  /** The outcome: `ok` or the problem code returned. */
  outcome: string;
  requestId: string;
  at: Date;
}

/** The customer's line as the ledger sees it, from the decision in force. */
export interface LineView {
  subject: string;
  decisionId: string;
  currency: string;
  /** Joint limit in minor units. */
  limitMinor: number;
  status: 'active' | 'frozen' | 'under_review';
  /** Held (open authorizations) and outstanding (captured, not yet repaid), minor units. */
  heldMinor: number;
  outstandingMinor: number;
  availableMinor: number;
}

/** The built ledger module (node/merchant/ledger/module.ts exports `createLedgerModule(deps): Promise<LedgerModule>`). */
export interface LedgerModule {
  /** `/v1/authorizations*` (merchant) and `/admin/v1/repayments` (member) routes. */
  routes: Hono<any>;
  /** Available amount etc. of a customer's line; null when the customer has no decision in force. */
  line(subject: string, known?: InForceDecision | null | Promise<InForceDecision | null>): Promise<LineView | null>;
  /** Starts background jobs (hold expiry, webhook delivery). */
  start(): void;
  stop(): Promise<void>;
}
