import { describe, expect, it } from 'vitest';
import { createMemoryScoreCache, type CacheEntry } from '../../../../../adapters/external/cache/cache';

const entry = (score: number, expiresAt: string): CacheEntry => ({
  expiresAt,
  outcome: {
    ok: true,
    score: { provider: 'p', score, scale: { min: 0, max: 1000 }, eligible: null, asOf: '2026-03-01T00:00:00.000Z', reference: null },
    provenance: {
      v: 1, provider: 'p', kind: 'bureau', operation: 'GET /', consentId: 'c', subjectPseudonym: 's', requestedAt: '2026-03-01T00:00:00.000Z',
      receivedAt: '2026-03-01T00:00:00.000Z', reference: null, requestParams: {}, response: { status: 200, body: '{}', headers: {} },
      signature: { scheme: 'none', value: null, keyId: null },
    },
  },
});

describe('memory score cache', () => {
  it('returns entries until expiresAt, keyed by provider and subject', async () => {
    const c = createMemoryScoreCache();
    await c.set('p', 's1', entry(1, '2026-03-01T01:00:00.000Z'));
    await c.set('q', 's1', entry(2, '2026-03-01T01:00:00.000Z'));
    expect((await c.get('p', 's1', new Date('2026-03-01T00:59:59.999Z')))?.outcome).toMatchObject({ score: { score: 1 } });
    expect(await c.get('p', 's2', new Date('2026-03-01T00:00:00.000Z'))).toBeUndefined();
    expect(await c.get('p', 's1', new Date('2026-03-01T01:00:00.000Z'))).toBeUndefined();
    expect(await c.get('q', 's1', new Date('2026-03-01T00:00:00.000Z'))).toBeDefined();
  });

  it('deletes a subject for one or all providers, and evicts the oldest beyond the bound', async () => {
    const c = createMemoryScoreCache(2);
    const t = new Date('2026-03-01T00:00:00.000Z');
    await c.set('p', 's1', entry(1, '2027-01-01T00:00:00.000Z'));
    await c.set('q', 's1', entry(2, '2027-01-01T00:00:00.000Z'));
    await c.delete('s1', 'p');
    expect(await c.get('p', 's1', t)).toBeUndefined();
    expect(await c.get('q', 's1', t)).toBeDefined();
    await c.set('p', 's2', entry(3, '2027-01-01T00:00:00.000Z'));
    await c.set('p', 's3', entry(4, '2027-01-01T00:00:00.000Z'));
    expect(await c.get('q', 's1', t)).toBeUndefined();
    await c.delete('s3');
    expect(await c.get('p', 's3', t)).toBeUndefined();
    expect(await c.get('p', 's2', t)).toBeDefined();
  });
});
