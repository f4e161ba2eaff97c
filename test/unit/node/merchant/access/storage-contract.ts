/** One storage contract for merchant access tables, run on PGlite and on PostgreSQL. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../../../node/store/database';
import { runMigrations } from '../../../../../node/store/migrate';
import { createClientRepository } from '../../../../../node/merchant/access/clients/repository';
import { createIdempotencyRepository } from '../../../../../node/merchant/access/idempotency/repository';
import { createQueryLog } from '../../../../../node/merchant/access/query-log';
import { loadSigningKeys } from '../../../../../node/merchant/access/tokens/signing-keys';

type Open = () => Promise<{ database: Database; dispose: () => Promise<void> }>;

const at = (s: string) => new Date(`2026-11-23T${s}Z`);
let seed = 1;
const random = (n: number) => new Uint8Array(n).fill(seed++ % 251);

/** Registers the suite for one driver. */
export function describeAccessStorage(name: string, open: Open) {
  describe(`merchant access storage on ${name}`, () => {
    let disposers: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const d of disposers) await d();
      disposers = [];
    });
    const fresh = async () => {
      const o = await open();
      disposers.push(o.dispose);
      await runMigrations(o.database);
      return o.database.db;
    };

    it('stores clients; rotation and revocation keep the first revocation time', async () => {
      const repo = createClientRepository(await fresh());
      const row = { id: `mch_${'a'.repeat(32)}`, name: 'A', scopes: ['limits:read' as const], secretHash: new Uint8Array(32).fill(1), createdAt: at('10:00:00'), rotatedAt: null, revokedAt: null, ratePerSecond: 5, burst: 10, dailyQuota: 100 };
      await repo.insert(row);
      expect(await repo.get(row.id)).toEqual(row);
      const rotated = await repo.rotate(row.id, new Uint8Array(32).fill(2), at('10:01:00'));
      expect(rotated?.secretHash).toEqual(new Uint8Array(32).fill(2));
      expect((await repo.revoke(row.id, at('10:02:00')))?.revokedAt).toEqual(at('10:02:00'));
      expect((await repo.revoke(row.id, at('10:03:00')))?.revokedAt).toEqual(at('10:02:00'));
      expect(await repo.rotate(row.id, new Uint8Array(32), at('10:04:00'))).toBeNull();
      expect(await repo.revoke(`mch_${'b'.repeat(32)}`, at('10:05:00'))).toBeNull();
      expect((await repo.list(10)).map((r) => r.id)).toEqual([row.id]);
    });

    it('lets exactly one of many concurrent claims of an idempotency key win, replays and purges', async () => {
      const repo = createIdempotencyRepository(await fresh());
      const wins = await Promise.all(Array.from({ length: 20 }, () => repo.claim('mch_x', 'k1', 'h1', at('10:00:00'))));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await repo.get('mch_x', 'k1')).toMatchObject({ state: 'in_progress', requestHash: 'h1' });
      expect(await repo.claim('mch_y', 'k1', 'h1', at('10:00:00'))).toBe(true);
      const takeovers = await Promise.all([repo.takeOver('mch_x', 'k1', at('10:00:00'), at('10:05:00')), repo.takeOver('mch_x', 'k1', at('10:00:00'), at('10:05:00'))]);
      expect(takeovers.filter(Boolean)).toHaveLength(1);
      await repo.complete('mch_x', 'k1', { status: 201, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
      expect(await repo.get('mch_x', 'k1')).toMatchObject({ state: 'done', status: 201, responseBody: '{"ok":true}', responseHeaders: { 'content-type': 'application/json' } });
      await repo.release('mch_x', 'k1'); // a done record is not released
      expect(await repo.get('mch_x', 'k1')).not.toBeNull();
      expect(await repo.purge(at('10:01:00'))).toBe(1); // mch_y's record from 10:00
      expect(await repo.get('mch_y', 'k1')).toBeNull();
    });

    it('creates one signing key even when two nodes start at once, and reopens it', async () => {
      const db = await fresh();
      const storageKey = new Uint8Array(32).fill(9);
      const [a, b] = await Promise.all([0, 1].map(() => loadSigningKeys({ db, storageKey, now: () => at('10:00:00'), random })));
      const again = await loadSigningKeys({ db, storageKey, now: () => at('11:00:00'), random });
      expect(again.current.kid).toBe(a!.current.kid);
      expect(again.jwks().keys.map((k) => k.kid)).toContain(b!.current.kid);
      await expect(loadSigningKeys({ db, storageKey: new Uint8Array(32).fill(8), now: () => at('12:00:00'), random })).rejects.toThrow(/storage key/);
    });

    it('keeps the query log by subject in order', async () => {
      const recorded: unknown[] = [];
      const log = createQueryLog({ db: await fresh(), audit: { record: async (e) => void recorded.push(e) } });
      for (const [i, outcome] of ['ok', 'no-decision'].entries()) {
        await log.record({ clientId: 'mch_x', subject: 'subj', consentId: 'cns_1', action: 'joint-limit.query', purpose: 'merchant-limit', outcome, requestId: `r${i}`, at: at(`10:0${i}:00`) });
      }
      const rows = await log.bySubject('subj');
      expect(rows.map((r) => [r.outcome, r.requestId])).toEqual([['ok', 'r0'], ['no-decision', 'r1']]);
      expect(await log.bySubject('subj', { after: rows[0]!.seq })).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ type: 'merchant.query', actor: 'merchant:mch_x', subject: 'subj', detail: { consentId: 'cns_1', outcome: 'ok' } });
    });

    it('group-commits concurrent query-log entries: each call resolves once its row is stored, a failed batch rejects', async () => {
      const db = await fresh();
      const log = createQueryLog({ db, maxBatch: 7 });
      const entry = (i: number) => ({ clientId: 'mch_x', subject: 'many', consentId: 'cns_1', action: 'joint-limit.query', purpose: 'merchant-limit' as const, outcome: 'ok', requestId: `r${i}`, at: at('10:00:00') });
      let stored = 0;
      await Promise.all(Array.from({ length: 40 }, (_, i) => log.record(entry(i)).then(async () => {
        // By the time a call resolves, its own row is readable.
        const rows = await log.bySubject('many', { limit: 1000 });
        expect(rows.map((r) => r.requestId)).toContain(`r${i}`);
        stored++;
      })));
      expect(stored).toBe(40);
      expect(new Set((await log.bySubject('many', { limit: 1000 })).map((r) => r.requestId)).size).toBe(40);
      const failing = createQueryLog({ db, audit: { record: async () => { throw new Error('audit down'); } } });
      await expect(failing.record(entry(99))).rejects.toThrow('audit down');
      const invalid = { ...entry(100), at: new Date(Number.NaN) };
      const [good, bad] = await Promise.allSettled([log.record(entry(101)), log.record(invalid)]);
      expect(good.status).toBe('fulfilled');
      expect(bad.status).toBe('rejected');
      expect((await log.bySubject('many', { limit: 1000 })).map((r) => r.requestId)).not.toContain('r100');
    });
  });
}
