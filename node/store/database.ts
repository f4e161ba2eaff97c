import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema';
import { pgliteBulk, postgresBulk, type BulkTransaction } from './bulk';
import { DatabaseUnavailableError } from './errors';

export type Schema = typeof schema;
/** One drizzle type for both drivers: repositories are written once against it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** An open database: the drizzle handle plus what the node needs around it. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Bulk loading (imports): plain SQL and COPY in one transaction on one connection. */
  bulk: BulkTransaction;
  /** Resolves when a trivial query succeeds within `timeoutMs`; rejects otherwise. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://...`, or null for embedded PGlite. */
  url: string | null;
  /** PGlite data directory; omitted means in memory (tests). */
  dataDir?: string;
  /** In-memory PGlite only: start from this data directory dump (tests clone a migrated template). */
  loadDataDir?: Blob;
  /** Called when an idle PostgreSQL connection fails (the pool replaces it); must not throw. */
  onError?: (err: Error) => void;
}

function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function openPostgres(url: string, onError?: (err: Error) => void): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  pool.on('error', (err) => onError?.(err));
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new DatabaseUnavailableError(
      `cannot connect to PostgreSQL at ${describeTarget(url)} (${code}); check that the server is running and that DATABASE_URL is right`,
      { cause: err },
    );
  }
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    bulk: postgresBulk(pool),
    ping: async (timeoutMs = 2000) => {
      await withTimeout(pool.query('select 1'), timeoutMs, 'database ping');
    },
    close: async () => {
      await pool.end();
    },
  };
}

/**
 * The embedded engine's buffer pool. PostgreSQL's default (128 MB) is resident in the node process as
 * soon as it is touched; a node's working set is far smaller, and the data files stay in the OS page
 * cache anyway. Keeps a node on PGlite (and an import into it) within a few hundred MB.
 */
export const PGLITE_SHARED_BUFFERS = '32MB';

async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Database> {
  // Loaded on first use: a node on PostgreSQL (and every CLI verb that opens it) does not pay for the
  // embedded engine's code in memory.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite')]);
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
  let client: PGlite;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    client = dataDir ? await PGlite.create(dataDir, { startParams }) : await PGlite.create({ startParams, ...(loadDataDir ? { loadDataDir } : {}) });
  } catch (err) {
    throw new DatabaseUnavailableError(
      `cannot open the embedded database${dataDir ? ` at ${dataDir}` : ''} (${(err as Error).message}); is another node process using this directory?`,
      { cause: err },
    );
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    bulk: pgliteBulk(client),
    ping: async (timeoutMs = 2000) => {
      if (closed) throw new Error('database is closed');
      await withTimeout(db.execute(sql`select 1`), timeoutMs, 'database ping');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

/** Opens PostgreSQL when `url` is set, embedded PGlite otherwise. Throws {@link DatabaseUnavailableError}. */
export function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts.onError) : openPglite(opts.dataDir, opts.loadDataDir);
}
