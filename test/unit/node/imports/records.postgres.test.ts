import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../../../node/store/database';
import { eq } from 'drizzle-orm';
import { memberRecords } from '../../../../node/store/schema';
import { createTestDatabase } from '../../../support/databases';
import { importStack } from './fixture';
import { RIDS, smallMapping, writeSmallExport } from './small-fixture';
import { recordRepositoryCases } from './repository-contract';
import { runMigrations } from '../../../../node/store/migrate';

const adminUrl = inject('postgresUrl');

describe.skipIf(!adminUrl)('member records on PostgreSQL', () => {
  let database: Database;
  let drop: () => Promise<void>;
  let stack: Awaited<ReturnType<typeof importStack>>;
  let dir: string;
  beforeAll(async () => {
    const created = await createTestDatabase(adminUrl);
    drop = created.drop;
    database = await openDatabase({ url: created.url });
    stack = await importStack('shop-pg', () => new Date('2026-11-23T10:00:00Z'), database);
    dir = mkdtempSync(join(tmpdir(), 'pg-import-'));
  });
  afterAll(async () => {
    await stack.close();
    await database.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upserts idempotently, updates corrected rows, and keeps personal data sealed', async () => {
    await stack.grant(RIDS[0]);
    const run = async (overdue: boolean) => {
      const r = await stack.service.runImport({ mapping: smallMapping, files: writeSmallExport(dir, { overdue }) });
      if (!r.ok) throw new Error(r.message);
      return r.summary;
    };
    expect(await run(true)).toMatchObject({ inserted: 6, updated: 0, unchanged: 0, signals: { skippedNoConsent: 1 } });
    const published = stack.network.appended.length;
    expect(published).toBeGreaterThan(0);
    expect(await run(true)).toMatchObject({ inserted: 0, updated: 0, unchanged: 6, signals: { published: 0, retracted: 0 } });
    expect(stack.network.appended.length).toBe(published);
    const fixed = await run(false);
    expect(fixed).toMatchObject({ inserted: 0, updated: 1, unchanged: 5 });
    expect(fixed.signals.retracted).toBeGreaterThan(0);
    const rows = await database.db.select().from(memberRecords);
    expect(rows).toHaveLength(6);
    const plain = JSON.stringify(rows.map(({ sealed: _s, ...rest }) => rest));
    for (const id of RIDS) expect(plain).not.toContain(id.slice(0, 17));
    expect(plain).not.toContain('张三');
    expect(rows.filter((r) => r.entity === 'customer').every((r) => r.sealed instanceof Uint8Array)).toBe(true);
  });

  it('writes batches concurrently (two writers) without losing or double-counting rows', async () => {
    const mapping = { ...smallMapping, files: [...smallMapping.files, { match: 'orders*.csv', entity: 'order', source: { type: 'csv' },
      fields: { orderRef: { column: 'o' }, customerRef: { column: 'c' }, placedAt: { column: 't', format: 'iso8601' }, amount: { column: 'a', unit: 'fen' }, status: { column: 's' } } }] };
    const orders = (amount: (i: number) => number) => {
      const p = join(dir, 'orders.csv');
      writeFileSync(p, `o,c,t,a,s\n${Array.from({ length: 1000 }, (_, i) => `O-${i},C-${1 + (i % 2)},2025-02-01T10:00:00+08:00,${amount(i)},paid`).join('\n')}\n`);
      return [p];
    };
    const run = async (files: string[]) => {
      const r = await stack.service.runImport({ mapping, files });
      if (!r.ok || r.status !== 'succeeded') throw new Error(JSON.stringify(r));
      return r.summary;
    };
    expect(await run(orders(() => 100))).toMatchObject({ read: 1000, inserted: 1000, updated: 0, unchanged: 0 });
    expect(await run(orders((i) => (i % 10 === 0 ? 200 : 100)))).toMatchObject({ inserted: 0, updated: 100, unchanged: 900 });
    const stored = await database.db.select().from(memberRecords).where(eq(memberRecords.entity, 'order'));
    expect(stored).toHaveLength(1000);
    expect(stored.filter((r) => (r.data as { amount: number }).amount === 200)).toHaveLength(100);
  });
});

describe.skipIf(!adminUrl)('record repository on PostgreSQL', () => {
  recordRepositoryCases(async () => {
    const created = await createTestDatabase(adminUrl);
    const database = await openDatabase({ url: created.url });
    await runMigrations(database);
    return { database, dispose: async () => { await database.close(); await created.drop(); } };
  });
});
