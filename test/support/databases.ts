import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates an empty database on the test server; returns its URL and a function that drops it. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * For storage contract suites: a function that opens a fresh, migrated-on-demand PostgreSQL database on the
 * test server each time it is called, and disposes of it (close, then drop).
 */
export function freshPostgres(adminUrl: string) {
  return async () => {
    const { openDatabase } = await import('../../node/store/database');
    const { url, drop } = await createTestDatabase(adminUrl);
    const database = await openDatabase({ url });
    return {
      database,
      dispose: async () => {
        await database.close();
        await drop();
      },
    };
  };
}
