/**
 * The merchant query log (issue 8 §7): every look-up or use of a customer's credit by a merchant, with client,
 * subject pseudonym, purpose, consent, action, outcome, request id and time, for compliance review. Each entry is
 * also handed to the audit log when one is wired (event type `merchant.query`).
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { AuditSink } from '../../compliance/contracts';
import type { Db } from '../../store/database';
import { merchantQueryLog } from '../../store/schema';
import type { MerchantQueryLogEntry } from '../contracts';

/** The query log. */
export interface QueryLog {
  record(entry: MerchantQueryLogEntry): Promise<void>;
  /** Entries about one subject, oldest first, after sequence number `after`. */
  bySubject(subject: string, opts?: { after?: number; limit?: number }): Promise<(MerchantQueryLogEntry & { seq: number })[]>;
}

/** Builds the log over `db`; `audit` is optional (the compliance module). */
export function createQueryLog(deps: { db: Db; audit?: Pick<AuditSink, 'record'> | undefined }): QueryLog {
  return {
    async record(e) {
      await deps.db.insert(merchantQueryLog).values({ clientId: e.clientId, subject: e.subject, purpose: e.purpose, consentId: e.consentId, action: e.action, outcome: e.outcome, requestId: e.requestId, at: e.at });
      await deps.audit?.record({
        type: 'merchant.query',
        actor: `merchant:${e.clientId}`,
        subject: e.subject,
        detail: { action: e.action, purpose: e.purpose, consentId: e.consentId, outcome: e.outcome, requestId: e.requestId },
      });
    },
    async bySubject(subject, opts = {}) {
      const rows = await deps.db
        .select()
        .from(merchantQueryLog)
        .where(and(eq(merchantQueryLog.subject, subject), gt(merchantQueryLog.seq, opts.after ?? 0)))
        .orderBy(asc(merchantQueryLog.seq))
        .limit(Math.min(Math.max(1, opts.limit ?? 100), 1000));
      return rows.map((r) => ({ ...r, purpose: 'merchant-limit' as const }));
    },
  };
}
