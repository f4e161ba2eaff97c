import { inject } from 'vitest';
import { ed25519KeyPairFromSeed, ready } from '../../../../protocol';
import { createAuditLog, type AuditLog } from '../../../../node/audit/log';
import type { Ed25519Key } from '../../../../node/keys/keyfile';
import { createLogger } from '../../../../node/observability/logger';
import { openDatabase, type Database } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';
import { createTestDatabase } from '../../../support/databases';
import { migratedPglite } from '../../../support/pglite';

/** A deterministic Ed25519 key from a one-byte seed. */
export async function testKey(seed: number): Promise<Ed25519Key> {
  await ready();
  const kp = ed25519KeyPairFromSeed(new Uint8Array(32).fill(seed));
  return { kid: `k${seed}`, publicKey: kp.publicKey, secretKey: kp.secretKey };
}

/** A clock that advances one second per call. */
export function steppingClock(start = Date.UTC(2026, 0, 1)): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

export const silentLogger = createLogger({ level: 'silent' });

/** Drivers every audit storage test runs against: PGlite always, PostgreSQL when the test server is there. */
export function drivers(): { name: string; open: () => Promise<{ database: Database; dispose: () => Promise<void> }> }[] {
  const list = [{ name: 'pglite', open: async () => { const database = await migratedPglite(); return { database, dispose: () => database.close() }; } }];
  const adminUrl = inject('postgresUrl');
  if (adminUrl) {
    list.push({
      name: 'postgres',
      open: async () => {
        const { url, drop } = await createTestDatabase(adminUrl);
        const database = await openDatabase({ url });
        await runMigrations(database);
        return { database, dispose: async () => { await database.close(); await drop(); } };
      },
    });
  }
  return list;
}

/** An audit log on `database` for member `m1`, signed with key seed 7. */
export async function testAuditLog(database: Database, now = steppingClock()): Promise<AuditLog> {
  return createAuditLog({ db: database.db, memberId: 'm1', logKey: await testKey(7), now, logger: silentLogger });
}

/** Builds the per-worker PGlite template in a hook (60 s budget) so the first test is not charged for it. */
export async function warmPglite(): Promise<void> {
  await (await migratedPglite()).close();
}
