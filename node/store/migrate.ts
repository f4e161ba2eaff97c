import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database, Schema } from './database';

/** Where drizzle-kit writes the versioned SQL migrations. */
export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** How many migrations this build of the node ships (from drizzle-kit's journal). */
export function shippedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

/** Applies every pending migration; safe to run at every start and from several processes in turn. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    await migratePg(database.db as unknown as NodePgDatabase<Schema>, { migrationsFolder });
  } else {
    await migratePglite(database.db as unknown as PgliteDatabase<Schema>, { migrationsFolder });
  }
}

/** The number of migrations recorded as applied in the database (0 when none ran yet). */
export async function appliedMigrationCount(database: Database): Promise<number> {
  const exists = await database.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  const present = (exists as unknown as { rows: { present: boolean }[] }).rows[0]?.present;
  if (!present) return 0;
  const res = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return (res as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}
