import { and, desc, eq, gt, gte, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { ConsentRecord } from '../consent/record';
import type { Db } from '../store/database';
import { consents } from '../store/schema';
import { buildReceipt, consentTimeline, signReceipt, type ConsentSource, type ReceiptState, type SignedReceipt } from './receipt';

/** Most consents per page. */
export const MAX_CONSENT_PAGE = 100;
/** Widest `from`..`to` range accepted (5 years and a month: the longest consent plus slack). */
export const MAX_CONSENT_RANGE_MS = (5 * 365 + 31) * 24 * 3600 * 1000;

/** Filters of a consent search (the subject already pseudonymized). */
export interface ConsentQuery {
  subject?: string;
  purpose?: string;
  recipient?: string;
  /** `given` = active now. */
  state?: ReceiptState;
  /** Granted at or after / before. */
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/** One consent in search results. */
export interface ConsentSummary {
  id: string;
  subject: string;
  purpose: string;
  recipients: string[];
  dataCategories: string[];
  automatedDecision: boolean;
  state: ReceiptState;
  grantedAt: string;
  expiresAt: string;
  withdrawnAt: string | null;
  events: { state: ReceiptState; at: string; detail?: string }[];
}

type Row = typeof consents.$inferSelect;

function source(r: Row, kid: string): ConsentSource {
  return { id: r.id, ref: r.ref, record: r.record as ConsentRecord, signature: r.signature, signatureKid: kid, withdrawnAt: r.withdrawnAt, withdrawalSignalId: r.withdrawalSignalId };
}

function encodeCursor(r: Row): string {
  return Buffer.from(`${r.grantedAt.toISOString()}|${r.id}`).toString('base64url');
}

/** Decodes a search cursor; null when malformed. */
export function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\|(cns_[A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!m || Number.isNaN(Date.parse(m[1]!))) return null;
  return { at: new Date(m[1]!), id: m[2]! };
}

/** Consent search and signed receipts (issue 9 §2). */
export interface ConsentReceipts {
  search(q: ConsentQuery): Promise<{ ok: true; items: ConsentSummary[]; nextCursor: string | null } | { ok: false; code: 'validation-failed'; message: string }>;
  receipt(id: string): Promise<SignedReceipt | null>;
  /** Every consent of one subject (for subject reports), newest first, bounded. */
  ofSubject(subject: string, limit?: number): Promise<ConsentSummary[]>;
  /** Counts by purpose and state, for dashboards. */
  stats(): Promise<{ purpose: string; state: ReceiptState; count: number }[]>;
}

/** Creates the consent search and receipt service; receipts are signed with `signingKey` (the node's signal key). */
export function createConsentReceipts(deps: { db: Db; signingKey: { kid: string; secretKey: Uint8Array }; now: () => Date }): ConsentReceipts {
  const summary = (r: Row): ConsentSummary => {
    const rec = r.record as ConsentRecord;
    const t = consentTimeline(source(r, deps.signingKey.kid), deps.now());
    return {
      id: r.id, subject: r.subject, purpose: r.purpose, recipients: rec.recipients, dataCategories: rec.dataCategories, automatedDecision: rec.automatedDecision,
      state: t.state, grantedAt: rec.grantedAt, expiresAt: rec.expiresAt, withdrawnAt: r.withdrawnAt?.toISOString() ?? null, events: t.events,
    };
  };
  const stateFilter = (s: ReceiptState, at: Date): SQL | undefined =>
    s === 'withdrawn' ? isNotNull(consents.withdrawnAt) : s === 'expired' ? and(isNull(consents.withdrawnAt), lte(consents.expiresAt, at)) : and(isNull(consents.withdrawnAt), gt(consents.expiresAt, at));

  return {
    async search(q) {
      if (q.from && q.to && q.to.getTime() - q.from.getTime() > MAX_CONSENT_RANGE_MS) return { ok: false, code: 'validation-failed', message: 'the from..to range may span at most 5 years and 31 days; narrow it' };
      if (q.from && q.to && q.to < q.from) return { ok: false, code: 'validation-failed', message: 'to must not be before from' };
      const cur = q.cursor ? decodeCursor(q.cursor) : null;
      if (q.cursor && !cur) return { ok: false, code: 'validation-failed', message: 'cursor is malformed; use nextCursor from the previous page' };
      const limit = Math.max(1, Math.min(MAX_CONSENT_PAGE, q.limit));
      const where = and(
        q.subject ? eq(consents.subject, q.subject) : undefined,
        q.purpose ? eq(consents.purpose, q.purpose) : undefined,
        q.recipient ? sql`${consents.record}->'recipients' @> ${JSON.stringify([q.recipient])}::jsonb` : undefined,
        q.state ? stateFilter(q.state, deps.now()) : undefined,
        q.from ? gte(consents.grantedAt, q.from) : undefined,
        q.to ? lt(consents.grantedAt, q.to) : undefined,
        cur ? or(lt(consents.grantedAt, cur.at), and(eq(consents.grantedAt, cur.at), lt(consents.id, cur.id))) : undefined,
      );
      const rows = await deps.db.select().from(consents).where(where).orderBy(desc(consents.grantedAt), desc(consents.id)).limit(limit + 1);
      const page = rows.slice(0, limit);
      return { ok: true, items: page.map(summary), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
    },
    async receipt(id) {
      const rows = await deps.db.select().from(consents).where(eq(consents.id, id));
      const r = rows[0];
      return r ? signReceipt(buildReceipt(source(r, deps.signingKey.kid), deps.now()), deps.signingKey) : null;
    },
    async ofSubject(subject, limit = 500) {
      const rows = await deps.db.select().from(consents).where(eq(consents.subject, subject)).orderBy(desc(consents.grantedAt), desc(consents.id)).limit(limit);
      return rows.map(summary);
    },
    async stats() {
      const at = deps.now();
      const state = sql<string>`case when ${consents.withdrawnAt} is not null then 'withdrawn' when ${consents.expiresAt} <= ${at.toISOString()}::timestamptz then 'expired' else 'given' end`;
      const rows = await deps.db.select({ purpose: consents.purpose, state, count: sql<string | number>`count(*)` }).from(consents).groupBy(sql.raw('1'), sql.raw('2'));
      return rows.map((r) => ({ purpose: r.purpose, state: r.state as ReceiptState, count: Number(r.count) }));
    },
  };
}
