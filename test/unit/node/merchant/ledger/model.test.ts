/**
 * Random sequences of holds, captures, releases, repayments and clock steps on one customer, checked against a
 * simple model after every step: the line's held and outstanding amounts match the model, holds + outstanding
 * never exceed the limit, and the append-only entries explain the outstanding balance.
 */
import fc from 'fast-check';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../../node/store/database';
import { merchantLedgerEntries } from '../../../../../node/store/schema';
import { migratedPglite } from '../../../../support/pglite';
import { decision, ledgerHarness, subject, T0, type LedgerHarness } from './harness';

const LIMIT = 10_000;

type Op =
  | { kind: 'hold'; amount: number; ttl: number }
  | { kind: 'capture'; pick: number; part: number | null }
  | { kind: 'release'; pick: number }
  | { kind: 'repay'; amount: number }
  | { kind: 'wait'; seconds: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 6000 }), ttl: fc.integer({ min: 60, max: 600 }) }),
  fc.record({ kind: fc.constant('capture' as const), pick: fc.nat(), part: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }) }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('repay' as const), amount: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 400 }) }),
);

interface ModelAuth { id: string; amount: number; expiresAt: number; state: 'held' | 'captured' | 'released' }

describe('ledger model check (PGlite)', () => {
  let database: Database;
  let h: LedgerHarness;
  let run = 0;
  beforeAll(async () => {
    database = await migratedPglite();
    h = await ledgerHarness(database);
  });
  afterAll(async () => database.close());

  it('matches the model and keeps holds + outstanding within the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const s = subject(`model-${run++}`);
        h.decisions.set(s, decision(`dec-m${run}`, s, LIMIT));
        h.clock.t = T0;
        const auths: ModelAuth[] = [];
        let outstanding = 0;
        let repayRef = 0;
        const live = (a: ModelAuth) => a.state === 'held' && a.expiresAt > h.clock.t;
        const heldNow = () => auths.filter(live).reduce((x, a) => x + a.amount, 0);
        for (const o of ops) {
          if (o.kind === 'wait') h.clock.t += o.seconds * 1000;
          else if (o.kind === 'hold') {
            const fits = heldNow() + outstanding + o.amount <= LIMIT;
            const r = await h.ledger.service.hold({ clientId: 'm', subject: s, consentId: 'c', amountMinor: o.amount, currency: 'CNY', merchantReference: 'x', expiresAt: new Date(h.clock.t + o.ttl * 1000) });
            expect(r.ok).toBe(fits);
            if (r.ok) auths.push({ id: r.authorization.id, amount: o.amount, expiresAt: h.clock.t + o.ttl * 1000, state: 'held' });
          } else if (o.kind === 'capture' || o.kind === 'release') {
            const a = auths[o.pick % Math.max(1, auths.length)];
            if (!a) continue;
            const amount = o.kind === 'capture' && o.part !== null ? Math.max(1, Math.floor((a.amount * o.part) / 100)) : a.amount;
            const r = o.kind === 'capture' ? await h.ledger.service.capture('m', a.id, amount) : await h.ledger.service.release('m', a.id);
            expect(r.ok).toBe(live(a));
            if (!r.ok) expect(r.code).toBe(a.state === 'held' ? 'authorization-expired' : 'authorization-not-held');
            if (r.ok && o.kind === 'capture') outstanding += amount;
            if (r.ok) a.state = o.kind === 'capture' ? 'captured' : 'released';
          } else {
            const r = await h.ledger.service.repay({ subject: s, reference: `r${repayRef++}`, amountMinor: o.amount, currency: 'CNY' });
            const lineExists = auths.length > 0;
            expect(r.ok).toBe(lineExists && o.amount <= outstanding);
            if (r.ok) outstanding -= o.amount;
          }
          const line = (await h.ledger.line(s))!;
          expect({ held: line.heldMinor, outstanding: line.outstandingMinor }).toEqual({ held: heldNow(), outstanding });
          expect(line.heldMinor + line.outstandingMinor).toBeLessThanOrEqual(LIMIT);
          expect(line.availableMinor).toBe(LIMIT - heldNow() - outstanding);
        }
        const entries = await database.db.select().from(merchantLedgerEntries).where(eq(merchantLedgerEntries.subject, s));
        const sum = (k: string) => entries.filter((e) => e.kind === k).reduce((x, e) => x + e.amountMinor, 0);
        expect(sum('capture') - sum('repayment')).toBe(outstanding);
      }),
      { numRuns: 12, seed: 42 },
    );
  });
});
