/**
 * Opening this member's own database: open (PGlite directory or `DATABASE_URL`), apply migrations, and claim or
 * check ownership (`node_meta.member_id`), so a node never writes into another member's database. Used by the
 * composition root and by every CLI verb that opens the database while the node is stopped.
 */
import type { NodeConfig } from '../config/schema';
import { ConfigError } from '../config/errors';
import { openDatabase, type Database } from './database';
import { runMigrations } from './migrate';
import { createMetaRepository } from './repositories/meta';

/** Options of {@link openOwnDatabase}. */
export interface OpenOwnDatabaseOptions {
  now?: () => Date;
  /** Called when a pooled PostgreSQL connection is lost (the pool reconnects). */
  onError?: (err: Error) => void;
  /** An already opened database (tests); it is migrated and checked like a fresh one. */
  database?: Database;
}

/**
 * Opens, migrates and claims the member's database. Throws `DatabaseUnavailableError` when it cannot be reached and
 * `ConfigError` (setting `database`) when it belongs to another member; the database is closed on every failure.
 */
export async function openOwnDatabase(config: NodeConfig, opts: OpenOwnDatabaseOptions = {}): Promise<Database> {
  const database =
    opts.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.pgdataDir, ...(opts.onError ? { onError: opts.onError } : {}) }));
  try {
    await runMigrations(database);
    const owner = await createMetaRepository({ db: database.db, now: opts.now ?? (() => new Date()) }).claimOwner(config.memberId);
    if (owner !== config.memberId) {
      throw new ConfigError('database', `belongs to member '${owner}', not '${config.memberId}'; point DATABASE_URL at this member's own database`);
    }
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  return database;
}
