/**
 * The merchant query log (issue 8 §7): every look-up or use of a customer's credit by a merchant, with client,
 * subject pseudonym, purpose, consent, action, outcome, request id and time, for compliance review. Each entry is
 * also handed to the audit log when one is wired (event type `merchant.query`).
 *
 * Writes are group-committed: concurrent `record` calls are queued and inserted as one multi-row statement, and
 * each call resolves only once its batch (and its audit event) is committed, so an answer that waits for `record`
 * is never acknowledged with its log entry lost.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { AuditSink } from '../../compliance/contracts';
import type { Db } from '../../store/database';
import { merchantQueryLog } from '../../store/schema';
import type { MerchantQueryLogEntry } from '../contracts';

/** The query log. */
export interface QueryLog {
  /** Resolves once the entry and its audit event are committed. */
  record(entry: MerchantQueryLogEntry): Promise<void>;
  /** Entries about one subject, oldest first, after sequence number `after`. */
  bySubject(subject: string, opts?: { after?: number; limit?: number }): Promise<(MerchantQueryLogEntry & { seq: number })[]>;
}

interface Pending {
  entry: MerchantQueryLogEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Builds the log over `db`; `audit` is optional (the compliance module). At most `maxBatch` rows per insert [500]. */
export function createQueryLog(deps: { db: Db; audit?: Pick<AuditSink, 'record'> | undefined; maxBatch?: number }): QueryLog {
  const maxBatch = deps.maxBatch ?? 500;
  const queue: Pending[] = [];
  let running = false;

  async function run(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          await deps.db.insert(merchantQueryLog).values(
            batch.map(({ entry: e }) => ({ clientId: e.clientId, subject: e.subject, purpose: e.purpose, consentId: e.consentId, action: e.action, outcome: e.outcome, requestId: e.requestId, at: e.at })),
          );
          for (const p of batch) p.resolve();
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      running = false;
    }
  }

  const insert = (entry: MerchantQueryLogEntry) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ entry, resolve, reject });
      if (!running) void run();
    });

  return {
    async record(e) {
      // The row and the audit event are written concurrently (the audit log group-commits too); both must succeed.
      await Promise.all([
        insert(e),
        deps.audit?.record({
          type: 'merchant.query',
          actor: `merchant:${e.clientId}`,
          subject: e.subject,
          detail: { action: e.action, purpose: e.purpose, consentId: e.consentId, outcome: e.outcome, requestId: e.requestId },
        }),
      ]);
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
