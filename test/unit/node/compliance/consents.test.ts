import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsentReceipts } from '../../../../node/compliance/consents';
import type { Database } from '../../../../node/store/database';
import { drivers, testKey, warmPglite } from '../audit/support';
import { insertConsent } from './fixture';

const now = () => new Date('2026-06-01T00:00:00Z');

describe.each(drivers())('consent search on $name', ({ open }) => {
  beforeAll(warmPglite);
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });
  async function seeded(): Promise<Database> {
    const o = await open();
    dispose = o.dispose;
    for (let i = 0; i < 7; i++) {
      await insertConsent(o.database, { id: `cns_${i}`, subject: i < 5 ? 'pA' : 'pB', purpose: i % 2 ? 'merchant-limit' : 'signal-sharing', recipients: i % 2 ? [`mch_${i}`] : ['consortium:c1'], grantedAt: `2026-0${i + 1}-01T00:00:00Z`.replace('2026-07', '2026-05'), expiresAt: i === 3 ? '2026-05-15T00:00:00Z' : '2027-01-01T00:00:00Z', ...(i === 2 ? { withdrawnAt: '2026-04-01T00:00:00Z' } : {}) });
    }
    return o.database;
  }

  it('filters by subject, purpose, recipient and state', async () => {
    const r = createConsentReceipts({ db: (await seeded()).db, signingKey: await testKey(3), now });
    const ids = async (q: Parameters<typeof r.search>[0]) => {
      const res = await r.search(q);
      if (!res.ok) throw new Error(res.message);
      return res.items.map((i) => i.id).sort();
    };
    expect(await ids({ subject: 'pA', limit: 50 })).toEqual(['cns_0', 'cns_1', 'cns_2', 'cns_3', 'cns_4']);
    expect(await ids({ subject: 'pA', purpose: 'merchant-limit', limit: 50 })).toEqual(['cns_1', 'cns_3']);
    expect(await ids({ recipient: 'mch_5', limit: 50 })).toEqual(['cns_5']);
    expect(await ids({ state: 'withdrawn', limit: 50 })).toEqual(['cns_2']);
    expect(await ids({ state: 'expired', limit: 50 })).toEqual(['cns_3']);
    expect(await ids({ subject: 'pA', state: 'given', limit: 50 })).toEqual(['cns_0', 'cns_1', 'cns_4']);
    expect(await ids({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z'), limit: 50 })).toEqual(['cns_2', 'cns_3']);
    expect((await r.stats()).find((s) => s.purpose === 'signal-sharing' && s.state === 'withdrawn')?.count).toBe(1);
  });

  it('pages newest first with a cursor and refuses wide ranges and forged cursors', async () => {
    const r = createConsentReceipts({ db: (await seeded()).db, signingKey: await testKey(3), now });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await r.search({ limit: 3, ...(cursor ? { cursor } : {}) });
      if (!page.ok) throw new Error(page.message);
      seen.push(...page.items.map((i) => i.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(await r.search({ from: new Date('2019-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z'), limit: 5 })).toMatchObject({ ok: false, code: 'validation-failed' });
    expect(await r.search({ cursor: 'bm9wZQ', limit: 5 })).toMatchObject({ ok: false, code: 'validation-failed' });
    expect(await r.receipt('cns_missing')).toBeNull();
    expect((await r.receipt('cns_1'))?.receipt.recipients).toEqual(['mch_1']);
  });
});
