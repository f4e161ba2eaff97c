import { afterAll, describe, expect, inject, it } from 'vitest';
import { leafHash, ready, rootFromLeafHashes, treeHashAsync } from '../../../../../protocol';
import type { Database } from '../../../../../node/store/database';
import { OWN_LOG_BATCH_ROWS, ownHashReader, readOwnEntries, readOwnHead, writeOwnEntries } from '../../../../../node/network/store/own-log';
import { freshPostgres } from '../../../../support/databases';
import { migratedPglite } from '../../../../support/pglite';
import { runMigrations } from '../../../../../node/store/migrate';

const adminUrl = inject('postgresUrl');
const entry = (i: number) => new TextEncoder().encode(`entry-${i}-${'x'.repeat(i % 50)}`);
const rows = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => {
    const e = entry(from + k);
    return { entry: e, leafHash: leafHash(e), signalId: `sig-${from + k}` };
  });

type Open = () => Promise<{ database: Database; dispose: () => Promise<void> }>;
const engines: [string, Open | null][] = [
  [
    'PGlite',
    async () => {
      const database = await migratedPglite();
      return { database, dispose: () => database.close() };
    },
  ],
  ['PostgreSQL', adminUrl ? freshPostgres(adminUrl) : null],
];

describe.each(engines)('writeOwnEntries on %s (one unnest INSERT per table per batch)', (_name, open) => {
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposers) await d();
  });

  it.skipIf(!open)('appends across several commits and batches; entries and stored hashes agree with the protocol tree', async () => {
    await ready();
    const { database, dispose } = await open!();
    disposers.push(dispose);
    await runMigrations(database);
    const db = database.db;
    // sizes chosen so appends start mid-subtree and one commit spans more than one INSERT batch
    const cuts = [0, 1, 7, 300, 300 + OWN_LOG_BATCH_ROWS + 3];
    for (let k = 1; k < cuts.length; k++) {
      const head = await readOwnHead(db);
      expect(head.size).toBe(cuts[k - 1]);
      await db.transaction((tx) => writeOwnEntries(tx, head, rows(cuts[k - 1]!, cuts[k]!)));
    }
    const size = cuts[cuts.length - 1]!;
    const stored = await readOwnEntries(db, 0, size);
    expect(stored).toEqual(rows(0, size).map((r) => r.entry));
    expect((await readOwnHead(db)).size).toBe(size);
    expect(await treeHashAsync(size, ownHashReader(db))).toEqual(rootFromLeafHashes(stored.map(leafHash)));
  });

  it.skipIf(!open)('rejects rewriting an existing index and leaves the log unchanged', async () => {
    const { database, dispose } = await open!();
    disposers.push(dispose);
    await runMigrations(database);
    const db = database.db;
    await db.transaction(async (tx) => writeOwnEntries(tx, await readOwnHead(tx), rows(0, 3)));
    const head = await readOwnHead(db);
    await expect(db.transaction((tx) => writeOwnEntries(tx, { size: 2, hashes: head.hashes }, rows(10, 11)))).rejects.toThrow();
    expect(await readOwnEntries(db, 0, 10)).toEqual(rows(0, 3).map((r) => r.entry));
  });
});
