/**
 * Storage of the ledger (tables in node/store/schema/merchant-ledger.ts). Every function runs in the caller's
 * transaction; the line row lock ({@link lockLine}) serializes all changes to one customer's line.
 */
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../../store/database';
import { merchantAuthorizations, merchantLedgerEntries, merchantLines, memberRecords } from '../../store/schema';

/** A drizzle transaction on the node database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction. */
export type Executor = Db | Tx;

export type LineRow = typeof merchantLines.$inferSelect;
export type AuthorizationRow = typeof merchantAuthorizations.$inferSelect;
export type EntryKind = 'hold' | 'release' | 'capture' | 'expiry' | 'repayment';
export type EntrySource = 'merchant' | 'admin' | 'import' | 'job';

/** Creates the line row if needed and locks it (`SELECT ... FOR UPDATE`) until the transaction ends. */
export async function lockLine(tx: Tx, subject: string, currency: string, now: Date): Promise<LineRow> {
  const lock = () => tx.select().from(merchantLines).where(eq(merchantLines.subject, subject)).for('update');
  const [existing] = await lock();
  if (existing) return existing;
  await tx.insert(merchantLines).values({ subject, currency, outstandingMinor: 0, version: 0, updatedAt: now }).onConflictDoNothing();
  const [row] = await lock();
  if (!row) throw new Error('line row vanished after insert');
  return row;
}

/** Applies a change to the locked line and bumps its version. */
export async function updateLine(tx: Tx, line: LineRow, set: Partial<Pick<LineRow, 'outstandingMinor' | 'currency' | 'seenDecisionId' | 'seenLimitMinor' | 'seenStatus'>>, now: Date): Promise<void> {
  await tx.update(merchantLines).set({ ...set, version: line.version + 1, updatedAt: now }).where(eq(merchantLines.subject, line.subject));
}

/**
 * In one statement: the held sum that counts at `now` (state `held`, not past its expiry) and how many captured authorizations are
 * not fully credited yet (when 0, there is no imported repayment to look for).
 */
export async function lineTotals(ex: Executor, subject: string, now: Date): Promise<{ held: number; openCaptures: number }> {
  const a = merchantAuthorizations;
  const [row] = await ex
    .select({
      held: sql<string | null>`sum(${a.amountMinor}) filter (where ${a.state} = 'held' and ${a.expiresAt} > ${now})`,
      open: sql<string>`count(*) filter (where ${a.state} = 'captured' and greatest(${a.repaidAdminMinor}, ${a.repaidImportMinor}) < ${a.capturedMinor})`,
    })
    .from(a)
    .where(and(eq(a.subject, subject), inArray(a.state, ['held', 'captured'])));
  return { held: Number(row?.held ?? 0), openCaptures: Number(row?.open ?? 0) };
}

/**
 * A consistent read of a line without locking (one statement, one snapshot): outstanding, the held sum that counts
 * at `now`, and how many captures are not fully credited. Null when no merchant has used the line yet.
 */
export async function lineSnapshot(ex: Executor, subject: string, now: Date): Promise<{ outstanding: number; held: number; openCaptures: number } | null> {
  const a = merchantAuthorizations;
  const [row] = await ex
    .select({
      outstanding: merchantLines.outstandingMinor,
      held: sql<string | null>`(select sum(${a.amountMinor}) from ${a} where ${a.subject} = ${subject} and ${a.state} = 'held' and ${a.expiresAt} > ${now})`,
      open: sql<string>`(select count(*) from ${a} where ${a.subject} = ${subject} and ${a.state} = 'captured' and greatest(${a.repaidAdminMinor}, ${a.repaidImportMinor}) < ${a.capturedMinor})`,
    })
    .from(merchantLines)
    .where(eq(merchantLines.subject, subject));
  return row ? { outstanding: row.outstanding, held: Number(row.held ?? 0), openCaptures: Number(row.open) } : null;
}

/** Appends one movement to the ledger. */
export async function appendEntry(
  ex: Executor,
  e: { subject: string; authorizationId: string | null; kind: EntryKind; amountMinor: number; currency: string; source: EntrySource; reference?: string | null; at: Date },
): Promise<void> {
  await ex.insert(merchantLedgerEntries).values({ ...e, reference: e.reference ?? null });
}

/** An authorization by id, only when it belongs to `clientId` (another client's id reads as absent). */
export async function authorizationOf(ex: Executor, id: string, clientId: string | null, lock = false): Promise<AuthorizationRow | null> {
  const where = clientId === null ? eq(merchantAuthorizations.id, id) : and(eq(merchantAuthorizations.id, id), eq(merchantAuthorizations.clientId, clientId));
  const q = ex.select().from(merchantAuthorizations).where(where);
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/**
 * Captured authorizations of a subject, oldest capture first (repayment allocation order). Call it under the line
 * lock: every writer of a subject's authorizations holds that lock, so the rows cannot change underneath.
 */
export async function unpaidCaptures(tx: Tx, subject: string): Promise<AuthorizationRow[]> {
  return tx
    .select()
    .from(merchantAuthorizations)
    .where(and(eq(merchantAuthorizations.subject, subject), eq(merchantAuthorizations.state, 'captured')))
    .orderBy(asc(merchantAuthorizations.capturedAt), asc(merchantAuthorizations.id));
}

/** Holds past their expiry that are still marked `held` (the expiry job's work), oldest first. */
export async function dueExpiries(ex: Executor, now: Date, limit: number): Promise<{ id: string; subject: string; currency: string }[]> {
  return ex
    .select({ id: merchantAuthorizations.id, subject: merchantAuthorizations.subject, currency: merchantAuthorizations.currency })
    .from(merchantAuthorizations)
    .where(and(eq(merchantAuthorizations.state, 'held'), lte(merchantAuthorizations.expiresAt, now)))
    .orderBy(asc(merchantAuthorizations.expiresAt))
    .limit(limit);
}

/** Lines after `cursor` (by subject), for the line-watch job. */
export async function linesAfter(ex: Executor, cursor: string, limit: number): Promise<LineRow[]> {
  return ex.select().from(merchantLines).where(gt(merchantLines.subject, cursor)).orderBy(asc(merchantLines.subject)).limit(limit);
}

/** Merchants (client and consent) that hold or held authorizations on a subject: recipients of line events. */
export async function merchantsOf(ex: Executor, subject: string): Promise<{ clientId: string; consentId: string }[]> {
  return ex
    .selectDistinct({ clientId: merchantAuthorizations.clientId, consentId: merchantAuthorizations.consentId })
    .from(merchantAuthorizations)
    .where(eq(merchantAuthorizations.subject, subject));
}

/**
 * Repaid amounts the import reports per authorization: installments of the subject (table member_records) whose
 * `orderRef` is an authorization id, summed `amountPaid` in the authorization's currency.
 */
export async function importedRepaid(ex: Executor, subject: string, auths: readonly AuthorizationRow[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (auths.length === 0) return out;
  const byId = new Map(auths.map((a) => [a.id, a]));
  const rows = await ex
    .select({ data: memberRecords.data })
    .from(memberRecords)
    .where(and(eq(memberRecords.subject, subject), eq(memberRecords.entity, 'installment'), inArray(sql`${memberRecords.data}->>'orderRef'`, [...byId.keys()])));
  for (const { data } of rows) {
    const d = data as { orderRef?: unknown; amountPaid?: unknown; currency?: unknown };
    const a = typeof d.orderRef === 'string' ? byId.get(d.orderRef) : undefined;
    if (!a || d.currency !== a.currency || typeof d.amountPaid !== 'number' || !Number.isSafeInteger(d.amountPaid) || d.amountPaid < 0) continue;
    out.set(a.id, (out.get(a.id) ?? 0) + d.amountPaid);
  }
  return out;
}
