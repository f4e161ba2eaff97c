import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error code the HTTP surfaces can return, with its status and title. Clients switch on `code`
 * (also the last segment of `type`); the table is the one place that maps codes to statuses.
 */
export const problemCatalog = {
  'bad-request': { status: 400, title: 'The request is malformed' },
  'validation-failed': { status: 400, title: 'The request failed validation' },
  'unauthorized': { status: 401, title: 'Authentication is required' },
  'forbidden': { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this resource' },
  'conflict': { status: 409, title: 'The request conflicts with the current state' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'subject-invalid': { status: 422, title: 'The subject identifier is invalid' },
  'signal-invalid': { status: 422, title: 'The signal is invalid' },
  'consent-required': { status: 409, title: 'No active consent covers this use' },
  'consent-not-found': { status: 404, title: 'No such consent' },
  'consent-withdrawn': { status: 409, title: 'The consent is already withdrawn' },
  'not-joined': { status: 409, title: 'This node has not joined a consortium' },
  'roster-invalid': { status: 422, title: 'The roster is malformed' },
  'roster-untrusted': { status: 422, title: 'The roster is not signed by a trusted governance key' },
  'roster-not-newer': { status: 409, title: 'The roster is not newer than the one in force' },
  'roster-wrong-consortium': { status: 422, title: 'The roster is for another consortium' },
  // External credit scores (issue 6, node/external/routes.ts).
  'external-scores-not-configured': { status: 409, title: 'No external score provider is configured' },
  'external-provider-not-found': { status: 404, title: 'No such external score provider' },
  'external-identifier-missing': { status: 422, title: 'The subject lacks an identifier the provider requires' },
  'provider-unavailable': { status: 503, title: 'The external score provider is unavailable' },
  'provider-error': { status: 502, title: 'The external score provider answered with a business error' },
  'provider-auth-failed': { status: 502, title: 'The external score provider rejected our credentials or the user authorization' },
  'provider-rejected-request': { status: 502, title: 'The external score provider rejected the request' },
  'provider-bad-signature': { status: 502, title: 'The external score provider answer failed signature verification' },
  'provider-invalid-response': { status: 502, title: 'The external score provider answer was not understood' },
  'provenance-not-found': { status: 404, title: 'No such provenance record' },
  'import-not-found': { status: 404, title: 'No such import' },
  'import-mapping-not-found': { status: 404, title: 'No mapping of that name in the node directory' },
  'import-mapping-invalid': { status: 422, title: 'The mapping is invalid' },
  'import-file-unmatched': { status: 422, title: 'No section of the mapping matches the file name' },
  'import-not-finished': { status: 409, title: 'The import has not finished yet' },
  // Joint decisions and review (issue 7, node/decisions/routes.ts).
  'decision-not-found': { status: 404, title: 'No such decision' },
  'model-unavailable': { status: 503, title: 'No scoring model is installed' },
  'review-not-found': { status: 404, title: 'No such review task' },
  'review-not-pending': { status: 409, title: 'The review task is no longer pending' },
  'review-wrong-role': { status: 403, title: 'This review step needs another role' },
  'review-same-actor': { status: 403, title: 'The same person may not act on two steps of a review' },
  'review-already-requested': { status: 409, title: 'A human review of this decision is already pending' },
  // Partner merchants: access (issue 8, node/merchant/access).
  'invalid-token': { status: 401, title: 'The access token is invalid, expired or of a revoked client' },
  'insufficient-scope': { status: 403, title: 'The access token lacks the scope this operation needs' },
  'quota-exceeded': { status: 429, title: 'The daily request quota is used up' },
  'client-not-found': { status: 404, title: 'No such merchant client' },
  'client-revoked': { status: 409, title: 'The merchant client is revoked' },
  'consent-recipient-unknown': { status: 422, title: 'A merchant-limit consent must name a registered, active merchant client as its only recipient' },
  'consent-token-invalid': { status: 422, title: 'The consent token is invalid' },
  'consent-token-expired': { status: 422, title: 'The consent token or its consent has expired' },
  'consent-token-wrong-merchant': { status: 403, title: 'The consent token was issued to another merchant' },
  'no-decision': { status: 409, title: 'The member has no decision in force for this customer' },
  'idempotency-key-required': { status: 400, title: 'This operation needs an Idempotency-Key header' },
  'idempotency-key-invalid': { status: 400, title: 'The Idempotency-Key header is malformed' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used for a different request' },
  'idempotency-in-progress': { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  // Partner merchants: ledger and webhooks (issue 8, node/merchant/ledger, node/merchant/webhooks).
  'line-frozen': { status: 409, title: "The customer's line is frozen or under review and takes no new holds" },
  'currency-mismatch': { status: 422, title: "The currency is not the currency of the customer's line" },
  'insufficient-available': { status: 409, title: 'The amount exceeds the available amount of the joint limit' },
  'authorization-not-found': { status: 404, title: 'No such authorization' },
  'authorization-expired': { status: 409, title: 'The hold has expired' },
  'authorization-not-held': { status: 409, title: 'The authorization is already captured or released' },
  'capture-exceeds-hold': { status: 422, title: 'The capture amount exceeds the held amount' },
  'line-not-found': { status: 404, title: 'No merchant line for this customer' },
  'repayment-exceeds-outstanding': { status: 409, title: 'The repayment exceeds the outstanding amount' },
  'repayment-reference-conflict': { status: 409, title: 'The repayment reference was used for a different repayment' },
  'webhook-endpoint-not-found': { status: 404, title: 'No such webhook endpoint' },
  'webhook-endpoint-limit': { status: 409, title: 'The client has the maximum number of webhook endpoints' },
  // Compliance: audit, receipts, subject reports, retention (issue 9, node/audit, node/compliance).
  'audit-entry-not-found': { status: 404, title: 'No audit entry at that index' },
  // Compliance: officers and console (issue 9, node/officers, node/console).
  'officer-login-failed': { status: 401, title: 'Wrong username or password' },
  'officer-login-rate-limited': { status: 429, title: 'Too many failed sign-ins; try again later' },
  'officer-session-invalid': { status: 401, title: 'No valid officer session' },
  'officer-session-expired': { status: 401, title: 'The officer session has expired' },
  'officer-role-required': { status: 403, title: 'This needs another officer role' },
  'officer-read-only': { status: 403, title: 'Officers can read but not change business data' },
  'officer-admin-forbidden': { status: 403, title: 'Officers cannot use the admin API' },
  'officer-csrf-failed': { status: 403, title: 'The form token is missing or wrong; reload the page' },
  'officer-username-invalid': { status: 422, title: 'The officer username is invalid' },
  'officer-role-invalid': { status: 422, title: 'The officer role is invalid' },
  'officer-password-weak': { status: 422, title: 'The password is too weak' },
  'officer-username-taken': { status: 409, title: 'An officer with that username exists' },
  'officer-not-found': { status: 404, title: 'No such officer' },
  'internal': { status: 500, title: 'Internal error' },
  'not-ready': { status: 503, title: 'The node is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalog;

/** The `type` URI of a problem code (RFC 9457 section 3.1.1); stable across releases. */
export const problemType = (code: string) => `urn:consortium-node:problem:${code}`;

/** RFC 9457 problem details, with the stable `code` extension member. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** Builds the problem body for `code`; `extra` adds extension members (for example `errors`). */
export function problem(code: ProblemCode, detail?: string, extra: Record<string, unknown> = {}): Problem {
  const { status, title } = problemCatalog[code];
  return { type: problemType(code), title, status, code, ...(detail ? { detail } : {}), ...extra };
}

/** Sends a problem+json response; `instance` is the request id so operators can find the log line. */
export function sendProblem(c: Context, p: Problem, headers: Record<string, string> = {}): Response {
  const requestId = c.get('requestId') as string | undefined;
  const body = JSON.stringify({ ...p, ...(requestId ? { instance: `urn:request:${requestId}` } : {}) });
  return c.body(body, p.status as ContentfulStatusCode, { 'content-type': 'application/problem+json', ...headers });
}

/** An error that route code throws to answer with a specific problem. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
  }
}
