/**
 * State changes that are not a merchant's request: holds expiring (issue 8 §4 "holds expire by themselves") and the
 * decision in force changing under a line (webhooks `line.frozen`, `limit.changed`, issue 8 §6). Also the merchant
 * view of an authorization.
 */
import { eq } from 'drizzle-orm';
import type { InForceDecision } from '../../decisions/service';
import type { Logger } from '../../observability/logger';
import type { Db } from '../../store/database';
import { merchantAuthorizations, merchantLines } from '../../store/schema';
import type { WebhookEventSink } from '../webhooks/events';
import type { LedgerMetrics } from './metrics';
import { appendEntry, authorizationOf, dueExpiries, linesAfter, lockLine, merchantsOf, updateLine, type AuthorizationRow, type LineRow, type Tx } from './store';

/** An authorization as the merchant API returns it (openapi `LedgerAuthorization`). */
export interface AuthorizationView {
  id: string;
  state: 'held' | 'captured' | 'released' | 'expired';
  amountMinor: number;
  currency: string;
  capturedMinor: number;
  merchantReference: string;
  createdAt: string;
  expiresAt: string;
  capturedAt: string | null;
  releasedAt: string | null;
  expiredAt: string | null;
}

/** The merchant view; a hold past its expiry reads as `expired` even before the expiry job marked it. */
export function authorizationView(a: AuthorizationRow, now: Date): AuthorizationView {
  const lapsed = a.state === 'held' && a.expiresAt.getTime() <= now.getTime();
  return {
    id: a.id,
    state: lapsed ? 'expired' : (a.state as AuthorizationView['state']),
    amountMinor: a.amountMinor,
    currency: a.currency,
    capturedMinor: a.capturedMinor,
    merchantReference: a.merchantReference,
    createdAt: a.createdAt.toISOString(),
    expiresAt: a.expiresAt.toISOString(),
    capturedAt: a.capturedAt?.toISOString() ?? null,
    releasedAt: a.releasedAt?.toISOString() ?? null,
    expiredAt: lapsed ? a.expiresAt.toISOString() : (a.expiredAt?.toISOString() ?? null),
  };
}

/** Marks a locked, lapsed hold `expired` (at its expiry instant), appends the `expiry` entry and queues the webhook. */
export async function expireLocked(tx: Tx, events: WebhookEventSink, a: AuthorizationRow, now: Date): Promise<void> {
  await tx.update(merchantAuthorizations).set({ state: 'expired', expiredAt: a.expiresAt }).where(eq(merchantAuthorizations.id, a.id));
  await appendEntry(tx, { subject: a.subject, authorizationId: a.id, kind: 'expiry', amountMinor: a.amountMinor, currency: a.currency, source: 'job', at: now });
  await events.enqueue(tx, {
    type: 'authorization.expired',
    clientId: a.clientId,
    consentId: null,
    data: { authorizationId: a.id, merchantReference: a.merchantReference, amountMinor: a.amountMinor, currency: a.currency, expiredAt: a.expiresAt.toISOString() },
    occurredAt: now,
  });
}

/** What a line remembers of the decision it last saw. */
export type SeenPatch = Pick<LineRow, 'seenDecisionId' | 'seenLimitMinor' | 'seenStatus'>;

/**
 * Compares the decision in force with the one the locked line last saw; queues `line.frozen` when the line became
 * frozen and `limit.changed` when the limit changed or a frozen line became active again, to every merchant with an
 * authorization on the customer (delivered only while that merchant's consent is active). The first sighting sets
 * the baseline without events. Returns the patch to store, or null when nothing changed.
 */
export async function observeDecision(tx: Tx, events: WebhookEventSink, line: LineRow, d: InForceDecision, now: Date): Promise<SeenPatch | null> {
  if (line.seenDecisionId === d.id) return null;
  const limitMinor = d.decision.limit.jointLimitMinor;
  const patch: SeenPatch = { seenDecisionId: d.id, seenLimitMinor: limitMinor, seenStatus: d.status };
  if (line.seenDecisionId === null) return patch;
  const types: ('line.frozen' | 'limit.changed')[] = [];
  if (d.status === 'frozen' && line.seenStatus !== 'frozen') types.push('line.frozen');
  if (limitMinor !== line.seenLimitMinor || (line.seenStatus === 'frozen' && d.status === 'active')) types.push('limit.changed');
  if (types.length === 0) return patch;
  const data = {
    subject: line.subject, decisionId: d.id, currency: d.decision.limit.currency, status: d.status, limitMinor,
    previousStatus: line.seenStatus, previousLimitMinor: line.seenLimitMinor,
  };
  for (const m of await merchantsOf(tx, line.subject)) {
    for (const type of types) await events.enqueue(tx, { type, clientId: m.clientId, consentId: m.consentId, data, occurredAt: now });
  }
  return patch;
}

/** Dependencies of the two jobs. */
interface JobDeps {
  db: Db;
  events: WebhookEventSink;
  metrics: LedgerMetrics;
  logger: Logger;
  now: () => Date;
  /** The service's per-line queue. */
  serial: <T>(key: string, fn: () => Promise<T>) => Promise<T>;
}

/** Expires up to `limit` lapsed holds, each in its own transaction under the line lock; returns how many. */
export async function expireDue(deps: JobDeps, limit: number): Promise<number> {
  const due = await dueExpiries(deps.db, deps.now(), limit);
  let n = 0;
  for (const { id, subject, currency } of due) {
    const done = await deps.serial(subject, () => deps.db.transaction(async (tx) => {
      const now = deps.now();
      await lockLine(tx, subject, currency, now);
      const a = await authorizationOf(tx, id, null, true);
      if (!a || a.state !== 'held' || a.expiresAt.getTime() > now.getTime()) return false;
      await expireLocked(tx, deps.events, a, now);
      return true;
    }));
    if (done) {
      n++;
      deps.metrics.transitions.inc({ kind: 'expiry' });
    }
  }
  if (n > 0) deps.logger.info({ expired: n }, 'expired lapsed holds');
  return n;
}

/** Walks every line (in batches) and records decision changes; returns how many lines changed. */
export async function watchLines(deps: JobDeps & { inForce: (subject: string, now: Date) => Promise<InForceDecision | null> }, batch: number): Promise<number> {
  let cursor = '';
  let changed = 0;
  for (;;) {
    const rows = await linesAfter(deps.db, cursor, batch);
    for (const row of rows) {
      const d = await deps.inForce(row.subject, deps.now());
      if (!d || d.id === row.seenDecisionId) continue;
      await deps.serial(row.subject, () => deps.db.transaction(async (tx) => {
        const now = deps.now();
        const [line] = await tx.select().from(merchantLines).where(eq(merchantLines.subject, row.subject)).for('update');
        const patch = line ? await observeDecision(tx, deps.events, line, d, now) : null;
        if (line && patch) {
          await updateLine(tx, line, patch, now);
          changed++;
        }
      }));
    }
    if (rows.length < batch) return changed;
    cursor = rows[rows.length - 1]!.subject;
  }
}
