import type { Readiness } from '../http/routes/health';
import type { Database } from './database';
import { appliedMigrationCount, shippedMigrationCount } from './migrate';

/** `/readyz`: the database answers a ping and every migration this build ships is applied. */
export function databaseReadiness(database: Database): () => Promise<Readiness> {
  const shipped = shippedMigrationCount();
  return async (): Promise<Readiness> => {
    try {
      await database.ping();
    } catch (err) {
      return { ready: false, checks: { database: `unreachable: ${(err as Error).message}` } };
    }
    const applied = await appliedMigrationCount(database).catch(() => -1);
    const migrations = applied >= shipped ? 'ok' : `pending: ${applied} of ${shipped} applied`;
    return { ready: migrations === 'ok', checks: { database: 'ok', migrations } };
  };
}
