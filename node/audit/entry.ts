import { canonicalJson, isProtocolError } from '../../protocol';
import type { AuditEvent, AuditEventType } from '../compliance/contracts';

/** Version of the audit entry body format. */
export const AUDIT_ENTRY_VERSION = 1;
/** Largest canonical `detail` accepted, in bytes; larger details are replaced by a note saying so. */
export const MAX_AUDIT_DETAIL_BYTES = 8192;

/** Every audit event type (mirrors `AuditEventType`). */
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = [
  'consent.granted', 'consent.withdrawn', 'signal.published', 'peer.pull-served', 'peer.signals-applied',
  'external-score.fetched', 'decision.made', 'review.action', 'merchant.query', 'merchant.authorization',
  'officer.login', 'officer.login-failed', 'officer.access', 'officer.denied', 'key.rotated', 'roster.applied',
  'export.made', 'retention.swept', 'erasure.executed',
];

/**
 * The leaf body of one audit entry: its bytes (RFC 8785 canonical JSON) are the RFC 6962 leaf. The index is
 * part of the body, so moving an entry to another position changes the leaf and is detected.
 */
export interface AuditEntryBody {
  v: number;
  index: number;
  at: string;
  type: AuditEventType;
  actor: string;
  subject?: string;
  detail: Record<string, unknown>;
}

const RAW_ID = /^(cn-rid|tel):/i;
const RESIDENT_ID = /^\d{17}[\dXx]$/;
const PHONE = /^\+?\d{11,15}$/;

function scrub(v: unknown, depth: number): unknown {
  if (depth > 6) return '[depth-limited]';
  if (typeof v === 'string') return RAW_ID.test(v) || RESIDENT_ID.test(v) || PHONE.test(v) ? '[redacted]' : v.slice(0, 512);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean' || v === null) return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.slice(0, 200).map((x) => scrub(x, depth + 1));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = scrub(x, depth + 1);
    return out;
  }
  return null;
}

/**
 * Normalizes an event's detail into audit-safe JSON: values that look like raw identifiers (normalized
 * `cn-rid:`/`tel:` ids, 18-character resident IDs, phone numbers) are replaced by `[redacted]`, strings and
 * arrays are bounded, and a detail whose canonical form exceeds {@link MAX_AUDIT_DETAIL_BYTES} is replaced.
 */
export function sanitizeDetail(detail: Record<string, unknown> | undefined): Record<string, unknown> {
  const clean = scrub(detail ?? {}, 0) as Record<string, unknown>;
  try {
    const size = Buffer.byteLength(canonicalJson(clean));
    return size <= MAX_AUDIT_DETAIL_BYTES ? clean : { truncated: true, bytes: size };
  } catch (err) {
    if (isProtocolError(err)) return { unserializable: true };
    throw err;
  }
}

/** Builds the canonical body bytes of the entry at `index` for `event` at time `at`. */
export function encodeAuditEntry(index: number, at: Date, event: AuditEvent): { body: AuditEntryBody; bytes: Uint8Array } {
  const body: AuditEntryBody = { v: AUDIT_ENTRY_VERSION, index, at: at.toISOString(), type: event.type, actor: event.actor.slice(0, 200), detail: sanitizeDetail(event.detail) };
  if (event.subject) body.subject = event.subject.slice(0, 200);
  return { body, bytes: new TextEncoder().encode(canonicalJson(body)) };
}

/** Parses stored body bytes; null when they are not a well-formed entry body. */
export function decodeAuditEntry(bytes: Uint8Array): AuditEntryBody | null {
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<AuditEntryBody>;
    if (typeof v !== 'object' || v === null || v.v !== AUDIT_ENTRY_VERSION || !Number.isSafeInteger(v.index)) return null;
    if (typeof v.at !== 'string' || typeof v.type !== 'string' || typeof v.actor !== 'string') return null;
    if (typeof v.detail !== 'object' || v.detail === null) return null;
    return v as AuditEntryBody;
  } catch {
    return null;
  }
}
