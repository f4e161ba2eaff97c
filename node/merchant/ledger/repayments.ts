/**
 * Repayments restore a line's available amount (issue 8 §4), from two sources that describe the same money:
 * the member's `POST /admin/v1/repayments` and the import (installments whose `orderRef` is an authorization id).
 * Per authorization the ledger credits `min(captured, max(repaid recorded by the admin API, amountPaid the import
 * reports))`, so a repayment that arrives both ways is counted once (docs/api-webhooks.md §6).
 */
import { and, eq } from 'drizzle-orm';
import { merchantAuthorizations, merchantRepayments } from '../../store/schema';
import { ledgerFailure, type LedgerFailure } from './errors';
import { newLedgerId } from './ids';
import { appendEntry, importedRepaid, unpaidCaptures, updateLine, type AuthorizationRow, type LineRow, type Tx } from './store';

/** What is credited against one captured authorization. */
export const credited = (a: Pick<AuthorizationRow, 'capturedMinor' | 'repaidAdminMinor' | 'repaidImportMinor'>) =>
  Math.min(a.capturedMinor, Math.max(a.repaidAdminMinor, a.repaidImportMinor));

/**
 * Brings the imported repayments of the locked line's subject into the ledger: raises `repaidImportMinor` where the
 * import reports more, appends `repayment` entries (source `import`) and lowers the outstanding balance.
 * Returns the line's new outstanding amount.
 */
export async function syncImportedRepayments(tx: Tx, line: LineRow, now: Date): Promise<number> {
  const open = (await unpaidCaptures(tx, line.subject)).filter((a) => credited(a) < a.capturedMinor);
  if (open.length === 0) return line.outstandingMinor;
  const imported = await importedRepaid(tx, line.subject, open);
  let applied = 0;
  for (const a of open) {
    const paid = imported.get(a.id) ?? 0;
    if (paid <= a.repaidImportMinor) continue;
    const delta = credited({ ...a, repaidImportMinor: paid }) - credited(a);
    await tx.update(merchantAuthorizations).set({ repaidImportMinor: paid }).where(eq(merchantAuthorizations.id, a.id));
    if (delta > 0) {
      applied += delta;
      await appendEntry(tx, { subject: line.subject, authorizationId: a.id, kind: 'repayment', amountMinor: delta, currency: a.currency, source: 'import', at: now });
    }
  }
  if (applied === 0) return line.outstandingMinor;
  const outstandingMinor = Math.max(0, line.outstandingMinor - applied);
  await updateLine(tx, line, { outstandingMinor }, now);
  line.version += 1;
  line.outstandingMinor = outstandingMinor;
  return outstandingMinor;
}

/** A repayment as `POST /admin/v1/repayments` returns it. */
export interface RepaymentView {
  id: string;
  subject: string;
  reference: string;
  amountMinor: number;
  currency: string;
  authorizationId: string | null;
  /** How the amount was allocated to captured authorizations (oldest capture first when none was named). */
  allocations: { authorizationId: string; amountMinor: number }[];
  /** What this repayment newly credited: less than `amountMinor` when the import had already reported the money. */
  appliedMinor: number;
  outstandingMinor: number;
  recordedAt: string;
}

/** Input of {@link recordRepayment}. */
export interface RepaymentInput {
  subject: string;
  reference: string;
  amountMinor: number;
  currency: string;
  authorizationId?: string | undefined;
}

/**
 * Records an admin repayment on the locked line. Replaying the same `reference` with the same content returns the
 * first result (`replayed: true`); different content is `repayment-reference-conflict`.
 */
export async function recordRepayment(
  tx: Tx,
  line: LineRow,
  r: RepaymentInput,
  deps: { now: Date; random: (n: number) => Uint8Array },
): Promise<{ ok: true; repayment: RepaymentView; replayed: boolean } | LedgerFailure> {
  const [prior] = await tx.select().from(merchantRepayments).where(and(eq(merchantRepayments.subject, r.subject), eq(merchantRepayments.reference, r.reference)));
  if (prior) {
    const same = prior.amountMinor === r.amountMinor && prior.currency === r.currency && prior.authorizationId === (r.authorizationId ?? null);
    if (!same) return ledgerFailure('repayment-reference-conflict', `reference '${r.reference}' was already used for a different repayment of this customer`);
    const appliedMinor = (prior.allocations as { appliedMinor?: number }[]).reduce((s, x) => s + (x.appliedMinor ?? 0), 0);
    return { ok: true, replayed: true, repayment: view(prior, appliedMinor, line.outstandingMinor) };
  }
  if (r.currency !== line.currency) return ledgerFailure('currency-mismatch', `the customer's line is in ${line.currency}`);
  const outstanding = await syncImportedRepayments(tx, line, deps.now);
  let open = (await unpaidCaptures(tx, r.subject)).filter((a) => a.repaidAdminMinor < a.capturedMinor);
  if (r.authorizationId !== undefined) {
    open = open.filter((a) => a.id === r.authorizationId);
    if (open.length === 0) return ledgerFailure('authorization-not-found', `authorization ${r.authorizationId} is not a captured, unpaid authorization of this customer`);
  }
  const room = open.reduce((s, a) => s + (a.capturedMinor - a.repaidAdminMinor), 0);
  if (r.amountMinor > room) {
    return ledgerFailure('repayment-exceeds-outstanding', `the repayment exceeds what is owed (${room} minor units${r.authorizationId ? ' on that authorization' : ''})`, { outstandingMinor: room });
  }
  let rest = r.amountMinor;
  let applied = 0;
  const allocations: { authorizationId: string; amountMinor: number; appliedMinor: number }[] = [];
  for (const a of open) {
    if (rest === 0) break;
    const take = Math.min(rest, a.capturedMinor - a.repaidAdminMinor);
    rest -= take;
    const next = { ...a, repaidAdminMinor: a.repaidAdminMinor + take };
    const delta = credited(next) - credited(a);
    applied += delta;
    allocations.push({ authorizationId: a.id, amountMinor: take, appliedMinor: delta });
    await tx.update(merchantAuthorizations).set({ repaidAdminMinor: next.repaidAdminMinor }).where(eq(merchantAuthorizations.id, a.id));
    if (delta > 0) await appendEntry(tx, { subject: r.subject, authorizationId: a.id, kind: 'repayment', amountMinor: delta, currency: r.currency, source: 'admin', reference: r.reference, at: deps.now });
  }
  const outstandingMinor = Math.max(0, outstanding - applied);
  if (applied > 0) await updateLine(tx, line, { outstandingMinor }, deps.now);
  const [row] = await tx
    .insert(merchantRepayments)
    .values({ id: newLedgerId('rp', deps.random), subject: r.subject, reference: r.reference, amountMinor: r.amountMinor, currency: r.currency, authorizationId: r.authorizationId ?? null, allocations, recordedAt: deps.now })
    .returning();
  return { ok: true, replayed: false, repayment: view(row!, applied, outstandingMinor) };
}

function view(row: typeof merchantRepayments.$inferSelect, appliedMinor: number, outstandingMinor: number): RepaymentView {
  return {
    id: row.id,
    subject: row.subject,
    reference: row.reference,
    amountMinor: row.amountMinor,
    currency: row.currency,
    authorizationId: row.authorizationId,
    allocations: row.allocations.map((a) => ({ authorizationId: a.authorizationId, amountMinor: a.amountMinor })),
    appliedMinor,
    outstandingMinor,
    recordedAt: row.recordedAt.toISOString(),
  };
}
