/**
 * One storage contract for the external scores cache and provenance store, run against every driver
 * (PGlite and PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CachedOutcome, ProvenanceRecord } from '../../../../adapters/external/index';
import { createDbProvenanceStore, createDbScoreCache, provenanceId } from '../../../../node/external/store';
import type { Database } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';

const record = (over: Partial<ProvenanceRecord> = {}): ProvenanceRecord => ({
  v: 1,
  provider: 'zhima',
  kind: 'alipay-zhima',
  operation: 'zhima.credit.score.get',
  consentId: 'cns_1',
  subjectPseudonym: 'pseudo-a',
  requestedAt: '2026-11-23T10:00:00.000Z',
  receivedAt: '2026-11-23T10:00:00.250Z',
  reference: 'ZM0001',
  requestParams: { app_id: '2021000000000001', auth_token: '[redacted]' },
  // Irregular spacing and non-ASCII text: stored and read back byte for byte.
  response: { status: 200, body: '{"zhima_credit_score_get_response":{"code":"10000", "msg":"Success","note":"芝麻 \\"q\\"","zm_score":"720"},"sign":"c2ln"}', headers: {} },
  signature: { scheme: 'alipay-rsa2', value: 'c2ln', keyId: null },
  ...over,
});

const outcome = (score: number): CachedOutcome => ({
  ok: true,
  score: { provider: 'zhima', score, scale: { min: 350, max: 950 }, eligible: null, asOf: '2026-11-23T10:00:00.250Z', reference: 'ZM0001' },
  provenance: record(),
});

/** Registers the contract suite for a driver; `open` returns a fresh, empty database. */
export function describeExternalStoreContract(name: string, open: () => Promise<{ database: Database; dispose: () => Promise<void> }>) {
  describe(`external scores storage on ${name}`, () => {
    let database: Database;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ database, dispose } = await open());
      await runMigrations(database);
    });
    afterAll(async () => dispose());

    it('caches per provider and subject, never returns expired entries, and deletes by subject', async () => {
      const cache = createDbScoreCache(database.db);
      const at = new Date('2026-11-23T10:00:00Z');
      await cache.set('zhima', 'pseudo-a', { outcome: outcome(700), expiresAt: '2026-11-23T11:00:00.000Z' });
      await cache.set('zhima', 'pseudo-a', { outcome: outcome(710), expiresAt: '2026-11-23T11:00:00.000Z' });
      await cache.set('payscore', 'pseudo-a', { outcome: outcome(720), expiresAt: '2026-11-23T10:30:00.000Z' });
      await cache.set('zhima', 'pseudo-b', { outcome: outcome(730), expiresAt: '2026-11-23T11:00:00.000Z' });
      const hit = await cache.get('zhima', 'pseudo-a', at);
      expect(hit).toEqual({ outcome: outcome(710), expiresAt: '2026-11-23T11:00:00.000Z' });
      expect(await cache.get('zhima', 'pseudo-c', at)).toBeUndefined();
      expect(await cache.get('payscore', 'pseudo-a', new Date('2026-11-23T10:30:00Z'))).toBeUndefined();
      expect(await cache.get('payscore', 'pseudo-a', at)).toBeUndefined();
      await cache.set('payscore', 'pseudo-a', { outcome: outcome(720), expiresAt: '2026-11-23T10:30:00.000Z' });
      await cache.delete('pseudo-a', 'payscore');
      expect(await cache.get('payscore', 'pseudo-a', at)).toBeUndefined();
      expect(await cache.get('zhima', 'pseudo-a', at)).toBeDefined();
      await cache.delete('pseudo-a');
      expect(await cache.get('zhima', 'pseudo-a', at)).toBeUndefined();
      expect((await cache.get('zhima', 'pseudo-b', at))?.outcome).toEqual(outcome(730));
    });

    it('keeps provenance with the raw response exactly, once per record', async () => {
      const store = createDbProvenanceStore(database.db);
      const r = record();
      await store.save(r);
      await store.save(r);
      const id = provenanceId(r);
      expect(id).toMatch(/^exp_[0-9a-f]{32}$/);
      expect(provenanceId(record({ reference: 'ZM0002' }))).not.toBe(id);
      const got = await store.get(id);
      expect(got).toEqual({
        id,
        provider: 'zhima',
        subjectPseudonym: 'pseudo-a',
        consentId: 'cns_1',
        reference: 'ZM0001',
        requestedAt: r.requestedAt,
        receivedAt: r.receivedAt,
        record: r,
      });
      expect(got?.record?.response.body).toBe(r.response.body);
      expect(await store.get(`exp_${'f'.repeat(32)}`)).toBeNull();
    });
  });
}
