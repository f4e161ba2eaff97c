import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { openDatabase, type Database } from '../../node/store/database';
import { migrationsFolder } from '../../node/store/migrate';

let template: Promise<Blob> | undefined;

async function makeTemplate(): Promise<Blob> {
  const client = await PGlite.create();
  await migrate(drizzle(client), { migrationsFolder });
  const dump = await client.dumpDataDir('none');
  await client.close();
  return dump;
}

/**
 * A fresh in-memory PGlite database with every migration applied, cloned from a template made once per
 * test worker: creating a PGlite cluster is the slow part, loading a dump is several times faster.
 */
export async function migratedPglite(): Promise<Database> {
  template ??= makeTemplate();
  return openDatabase({ url: null, loadDataDir: await template });
}
