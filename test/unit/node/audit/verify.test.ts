import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIG_TYPE_ED25519, formatVerifierKey } from '../../../../protocol';
import { sql } from 'drizzle-orm';
import { verifyAuditLog } from '../../../../node/audit/verify';
import type { Database } from '../../../../node/store/database';
import { drivers, testAuditLog, testKey, warmPglite } from './support';

async function seed(database: Database) {
  const log = await testAuditLog(database);
  for (let i = 0; i < 12; i++) {
    await log.append({ type: 'merchant.query', actor: 'merchant:c1', subject: `p${i}`, detail: { n: i } });
    if (i === 4 || i === 11) await log.checkpointNow();
  }
  return log;
}

const cases: [string, { tamper: string; kind: string; first: number }][] = [
  ['an updated body', { tamper: `update audit_entries set body = convert_to(replace(convert_from(body, 'UTF8'), '"n":6', '"n":60'), 'UTF8') where idx = 6`, kind: 'altered-entry', first: 6 }],
  ['an updated body with a matching leaf hash', { tamper: `update audit_entries set body = convert_to(replace(convert_from(body, 'UTF8'), '"n":7', '"n":70'), 'UTF8'), leaf_hash = sha256('\\x00'::bytea || convert_to(replace(convert_from(body, 'UTF8'), '"n":7', '"n":70'), 'UTF8')) where idx = 7`, kind: 'altered-entry', first: 7 }],
  ['a deleted row', { tamper: `delete from audit_entries where idx = 3`, kind: 'missing-entry', first: 3 }],
  ['deleted last rows', { tamper: `delete from audit_entries where idx >= 10`, kind: 'truncated', first: 10 }],
  ['two swapped rows', { tamper: `update audit_entries a set body = b.body, leaf_hash = b.leaf_hash from audit_entries b where (a.idx, b.idx) in ((8, 9), (9, 8))`, kind: 'misplaced-entry', first: 8 }],
];

describe.each(drivers())('audit verification on $name', ({ open }) => {
  // One database per driver; each case empties the audit tables and seeds them again (cheaper than a new database).
  let database: Database;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    await warmPglite();
    const o = await open();
    database = o.database;
    dispose = o.dispose;
  });
  afterAll(async () => dispose?.());
  async function fresh() {
    await database.db.execute(sql`truncate audit_entries, audit_hashes, audit_checkpoints`);
    return seed(database);
  }

  it('accepts an intact log with all its checkpoints', async () => {
    const log = await fresh();
    const r = await verifyAuditLog(database.db, { origin: log.origin, verifierKeys: [log.verifierKey] });
    expect(r).toEqual({ ok: true, size: 12, checkpoints: 2, firstBadIndex: null, problems: [] });
  });

  it.each(cases)('detects and locates %s', async (_name, { tamper, kind, first }) => {
    const log = await fresh();
    await database.db.execute(sql.raw(tamper));
    const r = await verifyAuditLog(database.db, { origin: log.origin, verifierKeys: [log.verifierKey] });
    expect(r.ok).toBe(false);
    expect(r.firstBadIndex).toBe(first);
    expect(r.problems.map((p) => p.kind)).toContain(kind);
  });

  it('rejects checkpoints signed by another key', async () => {
    const log = await fresh();
    const other = await testKey(9);
    const r = await verifyAuditLog(database.db, { origin: log.origin, verifierKeys: [formatVerifierKey(log.origin, SIG_TYPE_ED25519, other.publicKey)] });
    expect(r.ok).toBe(false);
    expect(r.problems.filter((p) => p.kind === 'bad-checkpoint-signature')).toHaveLength(2);
  });
});
