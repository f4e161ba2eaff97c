import { afterAll, describe, expect, inject, it } from 'vitest';
import { createStoredKeys } from '../../../../node/imports/stored-keys';
import type { Database } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';
import { memberRecords } from '../../../../node/store/schema';
import { freshPostgres } from '../../../support/databases';
import { migratedPglite } from '../../../support/pglite';

const adminUrl = inject('postgresUrl');
type Open = () => Promise<{ database: Database; dispose: () => Promise<void> }>;
const engines: [string, Open | null][] = [
  ['PGlite', async () => { const database = await migratedPglite(); return { database, dispose: () => database.close() }; }],
  ['PostgreSQL', adminUrl ? freshPostgres(adminUrl) : null],
];

const row = (key: string) => ({ key, entity: key.slice(0, key.indexOf(':')), subject: 'p-1', customerRef: 'C-1', hash: 'h', data: {}, importId: 'imp-0', updatedAt: new Date('2026-01-01T00:00:00Z') });

describe.each(engines)('stored keys on %s', (_name, open) => {
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposers) await d();
  });

  it.skipIf(!open)('answers references by entity and reference, preloaded or looked up one by one, the same as by key', async () => {
    const { database, dispose } = await open!();
    disposers.push(dispose);
    await runMigrations(database);
    await database.db.insert(memberRecords).values(['customer:C-1', 'customer:C:2', 'creditLine:L-1', 'creditLine:L-2', 'creditLine:L-3'].map(row));
    // customers (2) are preloaded; credit lines (3) are over the limit and looked up per key
    for (const keys of [createStoredKeys(database.db, { preloadLimit: 2 }), createStoredKeys(database.db)]) {
      const answers = async (entity: string, ref: string) => [await keys.hasRef(entity, ref), await keys.has(`${entity}:${ref}`)];
      expect(await answers('customer', 'C-1')).toEqual([true, true]);
      expect(await answers('customer', 'C:2')).toEqual([true, true]); // a reference holding the separator
      expect(await answers('customer', 'C-3')).toEqual([false, false]);
      expect(await answers('creditLine', 'L-2')).toEqual([true, true]);
      expect(await answers('creditLine', 'L-9')).toEqual([false, false]);
      expect(await answers('customer', 'L-1')).toEqual([false, false]);
      expect(await answers('order', 'C-1')).toEqual([false, false]);
    }
    // a key without an entity is never stored (and answered at once)
    const plain = createStoredKeys(database.db);
    expect([plain.has('C-1'), plain.has(':C-1'), plain.has('')]).toEqual([false, false, false]);
    // what was loaded is kept until the next import begins
    const keys = createStoredKeys(database.db);
    expect(await keys.hasRef('customer', 'C-4')).toBe(false);
    await database.db.insert(memberRecords).values(row('customer:C-4'));
    expect(keys.hasRef('customer', 'C-4')).toBe(false); // answered synchronously from the preloaded set
    keys.clear();
    expect(await keys.hasRef('customer', 'C-4')).toBe(true);
  });
});
