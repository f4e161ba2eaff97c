import { randomBytes } from 'node:crypto';
import type { AuditEvent, AuditSink } from '../../../../node/compliance/contracts';
import { createOfficersModule, type OfficersModuleDeps } from '../../../../node/officers/module';
import type { Database } from '../../../../node/store/database';

/** An in-memory audit sink that keeps what it was given. */
export function memoryAudit(): AuditSink & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { events, record: async (e) => void events.push(e) };
}

/** Cheap scrypt parameters for tests (the production default is N=2^17). */
export const testScrypt = { logN: 10, r: 8, p: 1 };

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/** The officers module over `database` with a controllable clock and a recording audit sink. */
export function officersFixture(database: Database, extra: Partial<OfficersModuleDeps> = {}) {
  const clock = { t: Date.parse('2026-11-23T10:00:00Z') };
  const audit = memoryAudit();
  const mod = createOfficersModule({
    db: database.db,
    audit,
    adminToken: ADMIN_TOKEN,
    now: () => new Date(clock.t),
    random: (n) => new Uint8Array(randomBytes(n)),
    scrypt: testScrypt,
    ...extra,
  });
  return { mod, audit, clock };
}
