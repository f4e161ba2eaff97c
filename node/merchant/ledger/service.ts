/**
 * Authorizations on a customer's joint limit (issue 8 §4). Every change to a line runs in one transaction that
 * first locks the line row (`SELECT ... FOR UPDATE`), so `held + outstanding <= limit` holds under any concurrency:
 * concurrent holds on one customer queue on that lock and each sees the ones before it. Holds past their expiry
 * never count, whether or not the expiry job has marked them yet. A line that is not `active` takes no new hold.
 * Within one process, requests for one line also queue in memory first (serialize.ts), so a hot customer's waiting
 * requests do not each hold a pooled connection; the row lock alone keeps the invariant across processes.
 * Nothing inside a transaction touches the database outside it (PGlite has a single connection).
 */
import { and, eq } from 'drizzle-orm';
import type { DecisionService, InForceDecision } from '../../decisions/service';
import type { Logger } from '../../observability/logger';
import type { Db } from '../../store/database';
import { merchantAuthorizations, merchantLines } from '../../store/schema';
import { DEFAULT_DECISION_VALIDITY_MS, type LineView } from '../contracts';
import type { WebhookEventSink } from '../webhooks/events';
import { ledgerFailure, type LedgerFailure } from './errors';
import { newLedgerId } from './ids';
import { keyedQueue } from './serialize';
import type { LedgerMetrics } from './metrics';
import { credited, recordRepayment, syncImportedRepayments, type RepaymentInput, type RepaymentView } from './repayments';
import { appendEntry, authorizationOf, importedRepaid, lineSnapshot, lineTotals, lockLine, updateLine, type AuthorizationRow, type LineRow, type Tx } from './store';
import { authorizationView, expireDue, expireLocked, observeDecision, watchLines, type AuthorizationView } from './transitions';

/** Settings of the ledger (defaults in brackets). */
export interface LedgerSettings {
  /** A decision older than this is not used for new holds, ms [30 days, as the joint-limit query]. */
  decisionValidityMs?: number;
}

/** Dependencies of {@link createLedgerService}. */
export interface LedgerServiceDeps {
  db: Db;
  decisions: Pick<DecisionService, 'effective'>;
  events: WebhookEventSink;
  metrics: LedgerMetrics;
  logger: Logger;
  now: () => Date;
  random: (n: number) => Uint8Array;
  settings?: LedgerSettings;
}

/** A hold request that passed validation (the consent token already verified). */
export interface HoldInput {
  clientId: string;
  subject: string;
  consentId: string;
  amountMinor: number;
  currency: string;
  merchantReference: string;
  expiresAt: Date;
}

type Result<T> = ({ ok: true } & T) | LedgerFailure;

/** The ledger API. */
export interface LedgerService {
  hold(h: HoldInput): Promise<Result<{ authorization: AuthorizationView }>>;
  /** Captures `amountMinor` (default: the whole hold) once; a partial capture releases the remainder. */
  capture(clientId: string, id: string, amountMinor?: number): Promise<Result<{ authorization: AuthorizationView; consentId: string; subject: string }>>;
  release(clientId: string, id: string): Promise<Result<{ authorization: AuthorizationView; consentId: string; subject: string }>>;
  /** The authorization when it belongs to `clientId`, else null (another client's id reads as absent). */
  get(clientId: string, id: string): Promise<AuthorizationView | null>;
  repay(r: RepaymentInput): Promise<Result<{ repayment: RepaymentView; replayed: boolean }>>;
  /**
   * The line; `known` is the decision in force as the caller reads it (saves reading it again; given as a promise,
   * the line's balances are read while it resolves).
   */
  line(subject: string, known?: InForceDecision | null | Promise<InForceDecision | null>): Promise<LineView | null>;
  /** Marks holds past their expiry as expired and queues `authorization.expired`; returns how many. */
  expireDue(limit?: number): Promise<number>;
  /** Compares each line's last-seen decision with the one in force and queues `line.frozen` / `limit.changed`. */
  watchLines(batch?: number): Promise<number>;
}

/** Builds the ledger. */
export function createLedgerService(deps: LedgerServiceDeps): LedgerService {
  const { db } = deps;
  const serial = keyedQueue();
  const validityMs = deps.settings?.decisionValidityMs ?? DEFAULT_DECISION_VALIDITY_MS;
  const inForce = async (subject: string, now: Date): Promise<InForceDecision | null> => {
    const d = await deps.decisions.effective(subject);
    return d && d.createdAt.getTime() + validityMs > now.getTime() ? d : null;
  };

  /** Records a decision change on an existing line at once (webhooks), e.g. when a hold is refused on a frozen line. */
  async function observe(subject: string, d: InForceDecision): Promise<void> {
    await serial(subject, () =>
      db.transaction(async (tx) => {
        const [line] = await tx.select().from(merchantLines).where(eq(merchantLines.subject, subject)).for('update');
        if (!line || line.seenDecisionId === d.id) return;
        const now = deps.now();
        const seen = await observeDecision(tx, deps.events, line, d, now);
        if (seen) await updateLine(tx, line, seen, now);
      }),
    );
  }

  /** Runs `fn` on the locked line of an existing authorization of `clientId`. */
  async function onAuthorization<T>(clientId: string, id: string, fn: (tx: Tx, line: LineRow, a: AuthorizationRow, now: Date) => Promise<T>): Promise<T | LedgerFailure> {
    const pre = await authorizationOf(db, id, clientId);
    if (!pre) return ledgerFailure('authorization-not-found', 'no such authorization');
    return serial(pre.subject, () => db.transaction(async (tx) => {
      const now = deps.now();
      const line = await lockLine(tx, pre.subject, pre.currency, now);
      const a = (await authorizationOf(tx, id, clientId, true))!;
      if (a.state === 'held' && a.expiresAt.getTime() <= now.getTime()) {
        await expireLocked(tx, deps.events, a, now);
        deps.metrics.transitions.inc({ kind: 'expiry' });
        return ledgerFailure('authorization-expired', `the hold expired at ${a.expiresAt.toISOString()}`);
      }
      if (a.state === 'expired') return ledgerFailure('authorization-expired', `the hold expired at ${a.expiresAt.toISOString()}`);
      if (a.state !== 'held') return ledgerFailure('authorization-not-held', `the authorization is already ${a.state}`, { state: a.state });
      return fn(tx, line, a, now);
    }));
  }

  return {
    async hold(h) {
      const now = deps.now();
      const d = await inForce(h.subject, now);
      const fail = (f: LedgerFailure) => {
        deps.metrics.holds.inc({ outcome: f.code });
        return f;
      };
      if (!d) return fail(ledgerFailure('no-decision', 'the member has no decision in force for this customer'));
      if (d.status !== 'active') {
        await observe(h.subject, d);
        return fail(ledgerFailure('line-frozen', `the customer's line is ${d.status}: no new holds`));
      }
      const limit = d.decision.limit;
      if (h.currency !== limit.currency) return fail(ledgerFailure('currency-mismatch', `the customer's limit is in ${limit.currency}`));
      const r = await serial(h.subject, () => db.transaction(async (tx) => {
        const at = deps.now();
        const line = await lockLine(tx, h.subject, limit.currency, at);
        if (line.currency !== limit.currency) return ledgerFailure('currency-mismatch', `the customer's line is kept in ${line.currency}`);
        // Read after the lock is granted: every hold committed before it is counted.
        const { held, openCaptures } = await lineTotals(tx, h.subject, at);
        const outstanding = openCaptures > 0 ? await syncImportedRepayments(tx, line, at) : line.outstandingMinor;
        const seen = await observeDecision(tx, deps.events, line, d, at);
        const available = Math.max(0, limit.jointLimitMinor - held - outstanding);
        if (h.amountMinor > available) {
          if (seen) await updateLine(tx, line, seen, at);
          return ledgerFailure('insufficient-available', `the amount exceeds the available ${available} minor units`, { availableMinor: available });
        }
        const [row] = await tx
          .insert(merchantAuthorizations)
          .values({
            id: newLedgerId('az', deps.random), clientId: h.clientId, subject: h.subject, consentId: h.consentId, decisionId: d.id,
            amountMinor: h.amountMinor, currency: h.currency, merchantReference: h.merchantReference, state: 'held',
            capturedMinor: 0, repaidAdminMinor: 0, repaidImportMinor: 0, createdAt: at, expiresAt: h.expiresAt,
          })
          .returning();
        await appendEntry(tx, { subject: h.subject, authorizationId: row!.id, kind: 'hold', amountMinor: h.amountMinor, currency: h.currency, source: 'merchant', reference: h.merchantReference, at });
        // The hold itself changes nothing on the line row (held is summed from the holds); only a new decision does.
        if (seen) await updateLine(tx, line, seen, at);
        return { ok: true as const, authorization: authorizationView(row!, at) };
      }));
      if (!r.ok) return fail(r);
      deps.metrics.holds.inc({ outcome: 'ok' });
      return r;
    },

    async capture(clientId, id, amountMinor) {
      return onAuthorization(clientId, id, async (tx, line, a, now) => {
        const amount = amountMinor ?? a.amountMinor;
        if (amount > a.amountMinor) return ledgerFailure('capture-exceeds-hold', `the hold is ${a.amountMinor} minor units`, { heldMinor: a.amountMinor });
        const [row] = await tx.update(merchantAuthorizations).set({ state: 'captured', capturedMinor: amount, capturedAt: now }).where(eq(merchantAuthorizations.id, a.id)).returning();
        await appendEntry(tx, { subject: a.subject, authorizationId: a.id, kind: 'capture', amountMinor: amount, currency: a.currency, source: 'merchant', at: now });
        if (amount < a.amountMinor) await appendEntry(tx, { subject: a.subject, authorizationId: a.id, kind: 'release', amountMinor: a.amountMinor - amount, currency: a.currency, source: 'merchant', at: now });
        await updateLine(tx, line, { outstandingMinor: line.outstandingMinor + amount }, now);
        deps.metrics.transitions.inc({ kind: 'capture' });
        return { ok: true as const, authorization: authorizationView(row!, now), consentId: a.consentId, subject: a.subject };
      });
    },

    async release(clientId, id) {
      return onAuthorization(clientId, id, async (tx, _line, a, now) => {
        const [row] = await tx.update(merchantAuthorizations).set({ state: 'released', releasedAt: now }).where(eq(merchantAuthorizations.id, a.id)).returning();
        await appendEntry(tx, { subject: a.subject, authorizationId: a.id, kind: 'release', amountMinor: a.amountMinor, currency: a.currency, source: 'merchant', at: now });
        deps.metrics.transitions.inc({ kind: 'release' });
        return { ok: true as const, authorization: authorizationView(row!, now), consentId: a.consentId, subject: a.subject };
      });
    },

    async get(clientId, id) {
      const a = await authorizationOf(db, id, clientId);
      return a ? authorizationView(a, deps.now()) : null;
    },

    async repay(r) {
      const result = await serial(r.subject, () => db.transaction(async (tx) => {
        const [line] = await tx.select().from(merchantLines).where(eq(merchantLines.subject, r.subject)).for('update');
        if (!line) return ledgerFailure('line-not-found', 'no merchant has placed an authorization for this customer');
        return recordRepayment(tx, line, r, { now: deps.now(), random: deps.random });
      }));
      deps.metrics.repayments.inc({ outcome: result.ok ? (result.replayed ? 'replayed' : 'ok') : result.code });
      return result;
    },

    async line(subject, known) {
      const now = deps.now();
      // The balances do not depend on the decision: both reads run at once.
      const snapshot = lineSnapshot(db, subject, now);
      let d: InForceDecision | null;
      try {
        const k = await known;
        d = k !== undefined && (k === null || k.createdAt.getTime() + validityMs > now.getTime()) ? k : await inForce(subject, now);
      } catch (err) {
        await snapshot.catch(() => null);
        throw err;
      }
      const snap = await snapshot;
      if (!d) return null;
      const held = snap?.held ?? 0;
      const outstanding = snap ? snap.outstanding - (snap.openCaptures > 0 ? await pendingImported(db, subject) : 0) : 0;
      const limitMinor = d.decision.limit.jointLimitMinor;
      const status = d.status;
      const outstandingMinor = Math.max(0, outstanding);
      return {
        subject, decisionId: d.id, currency: d.decision.limit.currency, limitMinor, status,
        heldMinor: held, outstandingMinor,
        availableMinor: status === 'active' ? Math.max(0, limitMinor - held - outstandingMinor) : 0,
      };
    },

    expireDue: (limit = 500) => expireDue({ ...deps, serial }, limit),
    watchLines: (batch = 200) => watchLines({ ...deps, serial, inForce }, batch),
  };
}

/** Repayments the import reports that the ledger has not credited yet (read-only: `line()` takes no lock). */
async function pendingImported(db: Db, subject: string): Promise<number> {
  const open = (await db.select().from(merchantAuthorizations).where(and(eq(merchantAuthorizations.subject, subject), eq(merchantAuthorizations.state, 'captured')))).filter(
    (a) => credited(a) < a.capturedMinor,
  );
  if (open.length === 0) return 0;
  const imported = await importedRepaid(db, subject, open);
  return open.reduce((s, a) => s + credited({ ...a, repaidImportMinor: Math.max(a.repaidImportMinor, imported.get(a.id) ?? 0) }) - credited(a), 0);
}
