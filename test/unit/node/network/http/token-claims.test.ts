import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../../node/store/database';
import { createTokenClaimer } from '../../../../../node/network/http/token-claims';
import type { Executor } from '../../../../../node/network/store/executor';
import { migratedPglite } from '../../../../support/pglite';

const exp = new Date('2026-11-01T00:05:00Z');

describe('createTokenClaimer (group-committed jti replay check)', () => {
  let database: Database;
  let inserts = 0;
  let db: Executor;
  beforeAll(async () => {
    database = await migratedPglite();
    db = new Proxy(database.db, {
      get(target, prop, receiver) {
        if (prop === 'insert') inserts++;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  });
  afterAll(async () => database.close());

  it('claims concurrent fresh ids with fewer INSERTs than claims, and refuses every replay', async () => {
    const claimer = createTokenClaimer(db);
    inserts = 0;
    const ids = Array.from({ length: 40 }, (_, i) => `beta:jti-${i}`);
    const first = await Promise.all(ids.map((id) => claimer.claim(id, 'beta', exp)));
    expect(first).toEqual(ids.map(() => true));
    expect(inserts).toBeLessThan(ids.length);
    expect(inserts).toBeGreaterThan(0);
    // replays: queued twice in the same round, and claimed again after being committed
    const again = await Promise.all([claimer.claim('beta:new', 'beta', exp), claimer.claim('beta:new', 'beta', exp), claimer.claim(ids[3]!, 'beta', exp)]);
    expect(again).toEqual([true, false, false]);
    // a fresh claimer (e.g. after a restart) sees the committed ids
    expect(await createTokenClaimer(db).claim(ids[0]!, 'beta', exp)).toBe(false);
  });

  it('rejects the claims of a failed INSERT and keeps serving later ones', async () => {
    let fail = true;
    const flaky = new Proxy(database.db, {
      get(target, prop, receiver) {
        if (prop === 'insert' && fail) {
          fail = false;
          return () => {
            throw new Error('database unavailable');
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const claimer = createTokenClaimer(flaky);
    await expect(claimer.claim('beta:flaky-1', 'beta', exp)).rejects.toThrow('database unavailable');
    expect(await claimer.claim('beta:flaky-1', 'beta', exp)).toBe(true);
  });
});
