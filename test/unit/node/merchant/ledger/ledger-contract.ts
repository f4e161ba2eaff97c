/** The ledger's rules and attacks (issue 8 §4), run against PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../../../node/store/database';
import { runMigrations } from '../../../../../node/store/migrate';
import { memberRecords, merchantAuthorizations, merchantLedgerEntries } from '../../../../../node/store/schema';
import { decision, ledgerHarness, subject, T0, type LedgerHarness } from './harness';

type Json = Record<string, any>;
const body = async (r: Response) => (await r.json()) as Json;

/** Registers the suite for one driver. */
export function describeLedgerContract(name: string, open: () => Promise<{ database: Database; dispose: () => Promise<void> }>) {
  describe(`merchant ledger on ${name}`, () => {
    let h: LedgerHarness;
    let database: Database;
    let dispose: () => Promise<void>;
    let n = 0;
    /** A fresh customer with a decision in force of `limit`. */
    const customer = (limit = 10_000, status: 'active' | 'frozen' = 'active') => {
      const s = subject(`${name}-${n++}`);
      h.decisions.set(s, decision(`dec-${n}`, s, limit, status));
      return s;
    };
    const hold = (client: string, s: string, amountMinor: unknown, extra: Json = {}) =>
      h.merchant(client, 'POST', '/v1/authorizations', { consentToken: h.token(client, s), amountMinor, currency: 'CNY', merchantReference: 'order-1', ...extra });
    const held = async (client: string, s: string, amount: number, extra: Json = {}) => {
      const r = await hold(client, s, amount, extra);
      expect(r.status).toBe(201);
      return body(r);
    };

    beforeAll(async () => {
      const o = await open();
      await runMigrations(o.database);
      database = o.database;
      dispose = o.dispose;
      h = await ledgerHarness(database, { baseBackoffMs: 1000 });
    });
    afterAll(async () => dispose());

    it('places a hold, logs the use of the consent and lowers the available amount', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 2500);
      expect(a).toMatchObject({ state: 'held', amountMinor: 2500, currency: 'CNY', capturedMinor: 0, merchantReference: 'order-1' });
      expect(a.id).toMatch(/^az_[A-Za-z0-9_-]{22}$/);
      expect(a.expiresAt).toBe(new Date(T0 + 7 * 86_400_000).toISOString());
      expect(await h.ledger.line(s)).toMatchObject({ limitMinor: 10_000, heldMinor: 2500, outstandingMinor: 0, availableMinor: 7500, status: 'active' });
      expect(h.queries.at(-1)).toMatchObject({ clientId: 'm1', subject: s, consentId: 'cns-m1', action: 'authorization.create', outcome: 'ok', purpose: 'merchant-limit' });
    });

    it.each([
      ['negative', -100],
      ['zero', 0],
      ['non-integer', 10.5],
      ['huge', 1e13],
      ['unsafe', 2 ** 60],
      ['a string', '100'],
      ['missing', undefined],
    ])('refuses a %s amount with validation-failed and holds nothing', async (_, amount) => {
      const s = customer();
      const r = await hold('m1', s, amount);
      expect(r.status).toBe(400);
      expect((await body(r)).code).toBe('validation-failed');
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0, availableMinor: 10_000 });
    });

    it.each([
      ['a wrong currency', { currency: 'USD' }, 422, 'currency-mismatch'],
      ['a malformed currency', { currency: 'cny' }, 400, 'validation-failed'],
      ['an unknown property', { tip: 1 }, 400, 'validation-failed'],
      ['a too short hold', { expiresIn: 10 }, 400, 'validation-failed'],
      ['a hold ending in the past', { expiresAt: new Date(T0 - 1000).toISOString() }, 400, 'validation-failed'],
      ['a hold beyond 30 days', { expiresAt: new Date(T0 + 31 * 86_400_000).toISOString() }, 400, 'validation-failed'],
      ['both expiresIn and expiresAt', { expiresIn: 600, expiresAt: new Date(T0 + 600_000).toISOString() }, 400, 'validation-failed'],
    ])('refuses %s', async (_, extra, status, code) => {
      const s = customer();
      const r = await hold('m1', s, 100, extra);
      expect([r.status, (await body(r)).code]).toEqual([status, code]);
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0 });
    });

    it('refuses malformed JSON and a missing or wrong scope', async () => {
      const s = customer();
      const bad = await h.merchant('m1', 'POST', '/v1/authorizations', '{"consentToken":');
      expect((await body(bad)).code).toBe('bad-request');
      const scope = await h.app.request('/v1/authorizations', { method: 'POST', headers: { authorization: 'Bearer read:m1', 'content-type': 'application/json' }, body: '{}' });
      expect([scope.status, (await body(scope)).code]).toEqual([403, 'insufficient-scope']);
      const none = await h.app.request('/v1/authorizations/az_AAAAAAAAAAAAAAAAAAAAAA');
      expect(none.status).toBe(401);
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0 });
    });

    it('refuses consent tokens of another merchant or withdrawn consents', async () => {
      const s = customer();
      const other = await h.merchant('m1', 'POST', '/v1/authorizations', { consentToken: h.token('m2', s), amountMinor: 100, currency: 'CNY', merchantReference: 'x' });
      expect([other.status, (await body(other)).code]).toEqual([403, 'consent-token-wrong-merchant']);
      h.consents.set('cns-gone', 'withdrawn');
      const gone = await h.merchant('m1', 'POST', '/v1/authorizations', { consentToken: h.token('m1', s, 'cns-gone'), amountMinor: 100, currency: 'CNY', merchantReference: 'x' });
      expect((await body(gone)).code).toBe('consent-withdrawn');
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0 });
    });

    it('never lets holds exceed the limit and says what is available', async () => {
      const s = customer(10_000);
      await held('m1', s, 6000);
      const r = await hold('m2', s, 4001);
      expect(r.status).toBe(409);
      expect(await body(r)).toMatchObject({ code: 'insufficient-available', availableMinor: 4000 });
      await held('m2', s, 4000);
      expect((await body(await hold('m1', s, 1))).code).toBe('insufficient-available');
    });

    it('refuses holds on a frozen line, without a decision, or with a stale decision', async () => {
      const frozen = customer(10_000, 'frozen');
      expect([(await hold('m1', frozen, 100)).status]).toEqual([409]);
      expect((await body(await hold('m1', frozen, 100))).code).toBe('line-frozen');
      expect((await body(await hold('m1', subject('nobody'), 100))).code).toBe('no-decision');
      const stale = subject(`${name}-stale`);
      h.decisions.set(stale, decision('dec-stale', stale, 10_000, 'active', new Date(T0 - 31 * 86_400_000)));
      expect((await body(await hold('m1', stale, 100))).code).toBe('no-decision');
      expect(await h.ledger.line(frozen)).toMatchObject({ status: 'frozen', availableMinor: 0 });
    });

    it('captures in full once; a second capture or a release afterwards changes nothing', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 4000);
      const c = await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`);
      expect(c.status).toBe(200);
      expect(await body(c)).toMatchObject({ state: 'captured', capturedMinor: 4000 });
      for (const [path, payload] of [['capture', {}], ['capture', { amountMinor: 1 }], ['release', undefined]] as const) {
        const again = await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/${path}`, payload);
        expect([again.status, (await body(again)).code]).toEqual([409, 'authorization-not-held']);
      }
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0, outstandingMinor: 4000, availableMinor: 6000 });
      expect(h.queries.at(-1)).toMatchObject({ action: 'authorization.capture', subject: s });
    });

    it('captures partially and releases the remainder', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 5000);
      const c = await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`, { amountMinor: 3000 });
      expect(await body(c)).toMatchObject({ state: 'captured', capturedMinor: 3000, amountMinor: 5000 });
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0, outstandingMinor: 3000, availableMinor: 7000 });
      const entries = await database.db.select().from(merchantLedgerEntries).where(eq(merchantLedgerEntries.authorizationId, a.id)).orderBy(merchantLedgerEntries.seq);
      expect(entries.map((e) => [e.kind, e.amountMinor])).toEqual([['hold', 5000], ['capture', 3000], ['release', 2000]]);
    });

    it('refuses a capture above the hold and keeps the hold', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 5000);
      const r = await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`, { amountMinor: 5001 });
      expect([r.status, (await body(r)).code]).toEqual([422, 'capture-exceeds-hold']);
      for (const bad of [0, -5, 1.5]) expect((await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`, { amountMinor: bad })).status).toBe(400);
      expect(await body(await h.merchant('m1', 'GET', `/v1/authorizations/${a.id}`))).toMatchObject({ state: 'held', capturedMinor: 0 });
    });

    it('releases a hold; capture after release is refused', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 5000);
      expect(await body(await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/release`))).toMatchObject({ state: 'released' });
      const c = await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`);
      expect((await body(c)).code).toBe('authorization-not-held');
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0, outstandingMinor: 0, availableMinor: 10_000 });
    });

    it('lets holds lapse at their expiry even before the job runs; capture after expiry is refused', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 8000, { expiresIn: 60 });
      h.clock.t += 61_000;
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 0, availableMinor: 10_000 });
      expect(await body(await h.merchant('m1', 'GET', `/v1/authorizations/${a.id}`))).toMatchObject({ state: 'expired', expiredAt: a.expiresAt });
      await held('m2', s, 10_000);
      const c = await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`);
      expect([c.status, (await body(c)).code]).toEqual([409, 'authorization-expired']);
      const [row] = await database.db.select().from(merchantAuthorizations).where(eq(merchantAuthorizations.id, a.id));
      expect(row).toMatchObject({ state: 'expired', capturedMinor: 0 });
      h.clock.t = T0;
    });

    it('the expiry job marks lapsed holds expired, once', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 1000, { expiresIn: 120 });
      expect(await h.ledger.line(s)).toMatchObject({ heldMinor: 1000 });
      h.clock.t += 121_000;
      expect(await h.ledger.service.expireDue()).toBeGreaterThanOrEqual(1);
      expect(await h.ledger.service.expireDue()).toBe(0);
      expect(await body(await h.merchant('m1', 'GET', `/v1/authorizations/${a.id}`))).toMatchObject({ state: 'expired' });
      const kinds = await database.db.select({ kind: merchantLedgerEntries.kind }).from(merchantLedgerEntries).where(eq(merchantLedgerEntries.authorizationId, a.id)).orderBy(merchantLedgerEntries.seq);
      expect(kinds.map((k) => k.kind)).toEqual(['hold', 'expiry']);
      h.clock.t = T0;
    });

    it("answers another merchant's authorization id exactly like an unknown one", async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 1000);
      const strip = (j: Json) => ({ ...j, instance: undefined });
      const unknown = await h.merchant('m2', 'GET', '/v1/authorizations/az_AAAAAAAAAAAAAAAAAAAAAA');
      const unknownBody = strip(await body(unknown));
      for (const [method, path] of [['GET', ''], ['POST', '/capture'], ['POST', '/release']] as const) {
        const r = await h.merchant('m2', method, `/v1/authorizations/${a.id}${path}`);
        expect(r.status).toBe(404);
        expect(strip(await body(r))).toEqual(unknownBody);
      }
      expect((await h.merchant('m2', 'GET', '/v1/authorizations/not-an-id')).status).toBe(404);
      expect(await body(await h.merchant('m1', 'GET', `/v1/authorizations/${a.id}`))).toMatchObject({ state: 'held' });
    });

    it('records repayments: restores the available amount, replays by reference, refuses overpayment', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 5000);
      await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`);
      const pay = (amountMinor: number, reference: string, extra: Json = {}) => h.admin('POST', '/admin/v1/repayments', { subject: { pseudonym: s }, amountMinor, currency: 'CNY', reference, ...extra });
      const r = await pay(2000, 'rp-1');
      expect(r.status).toBe(201);
      expect(await body(r)).toMatchObject({ amountMinor: 2000, appliedMinor: 2000, outstandingMinor: 3000, allocations: [{ authorizationId: a.id, amountMinor: 2000 }] });
      expect(await h.ledger.line(s)).toMatchObject({ outstandingMinor: 3000, availableMinor: 7000 });
      const replay = await pay(2000, 'rp-1');
      expect(replay.status).toBe(200);
      expect((await body(await pay(2100, 'rp-1'))).code).toBe('repayment-reference-conflict');
      expect(await body(await pay(3001, 'rp-2'))).toMatchObject({ code: 'repayment-exceeds-outstanding', outstandingMinor: 3000 });
      expect((await body(await pay(100, 'rp-3', { currency: 'USD' }))).code).toBe('currency-mismatch');
      expect((await body(await pay(0, 'rp-4'))).code).toBe('validation-failed');
      expect((await h.admin('POST', '/admin/v1/repayments', { subject: { pseudonym: subject('no-line') }, amountMinor: 1, currency: 'CNY', reference: 'x' })).status).toBe(404);
      expect((await h.app.request('/admin/v1/repayments', { method: 'POST' })).status).toBe(401);
      expect(await h.ledger.line(s)).toMatchObject({ outstandingMinor: 3000 });
    });

    it('names the customer of a repayment by raw id (pseudonymized) and shows the line to the member', async () => {
      const s = subject('tel:+8613900001111');
      h.decisions.set(s, decision('dec-raw', s, 10_000));
      const a = await held('m1', s, 3000);
      await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`);
      const r = await h.admin('POST', '/admin/v1/repayments', { subject: { id: 'tel:+8613900001111' }, amountMinor: 1000, currency: 'CNY', reference: 'raw-1' });
      expect(await body(r)).toMatchObject({ subject: s, appliedMinor: 1000, outstandingMinor: 2000 });
      const bad = await h.admin('POST', '/admin/v1/repayments', { subject: { id: 'not-an-id' }, amountMinor: 1, currency: 'CNY', reference: 'raw-2' });
      expect([bad.status, (await body(bad)).code]).toEqual([422, 'subject-invalid']);
      expect(await body(await h.admin('GET', `/admin/v1/lines/${s}`))).toMatchObject({ subject: s, limitMinor: 10_000, heldMinor: 0, outstandingMinor: 2000, availableMinor: 8000, status: 'active' });
      expect((await h.admin('GET', `/admin/v1/lines/${subject('undecided')}`)).status).toBe(404);
      expect((await h.app.request(`/admin/v1/lines/${s}`)).status).toBe(401);
    });

    it('counts repayments that arrive through the import and the admin API once', async () => {
      const s = customer(10_000);
      const a = await held('m1', s, 5000);
      await h.merchant('m1', 'POST', `/v1/authorizations/${a.id}/capture`);
      await database.db.insert(memberRecords).values({
        key: `installment:${a.id}#1`, entity: 'installment', subject: s, customerRef: 'c-1', hash: 'h', importId: 'imp-1', updatedAt: new Date(T0),
        data: { creditLineRef: 'CL-1', installmentNo: 1, orderRef: a.id, dueDate: '2026-12-23', amountDue: 2500, amountPaid: 1500, currency: 'CNY', status: 'partially_paid' },
      });
      expect(await h.ledger.line(s)).toMatchObject({ outstandingMinor: 3500, availableMinor: 6500 });
      const dup = await h.admin('POST', '/admin/v1/repayments', { subject: { pseudonym: s }, amountMinor: 1000, currency: 'CNY', reference: 'same-money', authorizationId: a.id });
      expect(await body(dup)).toMatchObject({ appliedMinor: 0, outstandingMinor: 3500 });
      const more = await h.admin('POST', '/admin/v1/repayments', { subject: { pseudonym: s }, amountMinor: 1000, currency: 'CNY', reference: 'new-money', authorizationId: a.id });
      expect(await body(more)).toMatchObject({ appliedMinor: 500, outstandingMinor: 3000 });
      await database.db.update(memberRecords).set({ data: sql`jsonb_set(${memberRecords.data}::jsonb, '{amountPaid}', '2500')::json` }).where(eq(memberRecords.key, `installment:${a.id}#1`));
      expect(await h.ledger.line(s)).toMatchObject({ outstandingMinor: 2500 });
      await held('m1', s, 100);
      const repaid = await database.db.select({ kind: merchantLedgerEntries.kind, source: merchantLedgerEntries.source, amount: merchantLedgerEntries.amountMinor }).from(merchantLedgerEntries).where(eq(merchantLedgerEntries.authorizationId, a.id)).orderBy(merchantLedgerEntries.seq);
      expect(repaid.filter((e) => e.kind === 'repayment').map((e) => [e.source, e.amount])).toEqual([['import', 1500], ['admin', 500], ['import', 500]]);
      expect(await h.ledger.line(s)).toMatchObject({ outstandingMinor: 2500, heldMinor: 100, availableMinor: 7400 });
    });

    it('200 concurrent holds racing for one limit never overspend it (4 ledger instances: only the row lock serializes them)', async () => {
      const s = customer(100_000);
      const nodes = [h, ...(await Promise.all([1, 2, 3].map(() => ledgerHarness(database))))];
      for (const other of nodes) other.decisions.set(s, h.decisions.get(s)!);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => {
          const client = `race-${i % 7}`;
          return nodes[i % nodes.length]!.merchant(client, 'POST', '/v1/authorizations', { consentToken: h.token(client, s), amountMinor: 700, currency: 'CNY', merchantReference: `r-${i}` });
        }),
      );
      const accepted = results.filter((r) => r.status === 201).length;
      const refused = await Promise.all(results.filter((r) => r.status !== 201).map(body));
      expect(refused.filter((p) => p.code !== 'insufficient-available')).toEqual([]);
      const [sum] = await database.db.select({ total: sql<string>`coalesce(sum(${merchantAuthorizations.amountMinor}), 0)` }).from(merchantAuthorizations).where(eq(merchantAuthorizations.subject, s));
      expect(Number(sum!.total)).toBe(accepted * 700);
      expect(accepted * 700).toBeLessThanOrEqual(100_000);
      expect(accepted).toBe(Math.floor(100_000 / 700));
    });
  });
}
