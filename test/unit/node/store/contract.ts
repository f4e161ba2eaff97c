import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../node/store/database';
import { appliedMigrationCount, runMigrations, shippedMigrationCount } from '../../../../node/store/migrate';
import { createMetaRepository } from '../../../../node/store/repositories/meta';

/**
 * The storage contract: every repository behaves the same on every driver. Each driver's test file calls
 * this with a function that opens a fresh, empty database.
 */
export function describeStorageContract(driver: string, open: () => Promise<{ database: Database; dispose: () => Promise<void> }>) {
  describe(`storage contract on ${driver}`, () => {
    let database: Database;
    let dispose: () => Promise<void>;
    const now = () => new Date('2026-11-23T10:00:00Z');

    beforeAll(async () => {
      ({ database, dispose } = await open());
      await runMigrations(database);
    });
    afterAll(async () => {
      await dispose();
    });

    it('applies every shipped migration, and re-running them is a no-op', async () => {
      expect(await appliedMigrationCount(database)).toBe(shippedMigrationCount());
      await runMigrations(database);
      expect(await appliedMigrationCount(database)).toBe(shippedMigrationCount());
    });

    it('answers a ping', async () => {
      await expect(database.ping()).resolves.toBeUndefined();
    });

    it('stores, replaces and reads node facts', async () => {
      const meta = createMetaRepository({ db: database.db, now });
      expect(await meta.get('missing')).toBeUndefined();
      await meta.set('roster_version', { version: 3, ids: ['a', 'b'] });
      expect(await meta.get('roster_version')).toEqual({ version: 3, ids: ['a', 'b'] });
      await meta.set('roster_version', { version: 4 });
      expect(await meta.get('roster_version')).toEqual({ version: 4 });
    });

    it('records the first owner and keeps it', async () => {
      const meta = createMetaRepository({ db: database.db, now });
      expect(await meta.claimOwner('member-a')).toBe('member-a');
      expect(await meta.claimOwner('member-b')).toBe('member-a');
    });
  });
}
