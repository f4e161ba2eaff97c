/**
 * The seams between the compliance pieces (issue 9): the tamper-evident audit log and the compliance services
 * (`node/audit`, `node/compliance`) and officer accounts with the console (`node/officers`, `node/console`).
 */
import type { MiddlewareHandler } from 'hono';

/** Kinds of audited events. */
export type AuditEventType =
  | 'consent.granted' | 'consent.withdrawn'
  | 'signal.published' | 'peer.pull-served' | 'peer.signals-applied'
  | 'external-score.fetched' | 'decision.made' | 'review.action'
  | 'merchant.query' | 'merchant.authorization'
  | 'officer.login' | 'officer.login-failed' | 'officer.access' | 'officer.denied'
  | 'key.rotated' | 'roster.applied' | 'export.made'
  | 'retention.swept' | 'erasure.executed';

/** An event to audit. Subjects appear by pseudonym only; `detail` must never hold raw personal data or secrets. */
export interface AuditEvent {
  type: AuditEventType;
  /** Who acted: `admin`, `officer:<name>`, `merchant:<clientId>`, `peer:<memberId>`, `system`. */
  actor: string;
  subject?: string;
  /** Free structured detail (ids, purposes, counts). */
  detail?: Record<string, unknown>;
}

/** Appends audit events (node/audit exports `createAuditLog(deps)` returning an object that satisfies this). */
export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
}

/** A signed-in compliance officer. */
export interface OfficerPrincipal {
  id: string;
  username: string;
  role: 'viewer' | 'auditor';
}

/** Hono environment of officer-authenticated surfaces: `c.get('officer')`. */
export type OfficerEnv = { Variables: { requestId: string; officer: OfficerPrincipal } };

/** What `/compliance/v1/` routes need from officer accounts (node/officers). */
export interface OfficerAccess {
  /** Accepts `Authorization: Bearer <session token>` or the console session cookie; sets `c.get('officer')`; 401 otherwise. */
  authenticate: MiddlewareHandler<OfficerEnv>;
  /** 403 `officer-role-required` (and audited) unless the officer has one of `roles`. */
  requireRole(...roles: OfficerPrincipal['role'][]): MiddlewareHandler<OfficerEnv>;
}
