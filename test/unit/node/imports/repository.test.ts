import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../../../node/imports';
import { derivationSubjects, memberRecords } from '../../../../node/store/schema';
import { migratedPglite } from '../../../support/pglite';
import { importStack } from './fixture';
import { recordRepositoryCases } from './repository-contract';
import { RIDS, smallMapping } from './small-fixture';

const mapping = {
  ...smallMapping,
  files: [
    ...smallMapping.files,
    { match: 'orders*.csv', entity: 'order', source: { type: 'csv' },
      fields: { orderRef: { column: 'orderRef' }, customerRef: { column: 'customerRef' }, placedAt: { column: 'placedAt', format: 'iso8601' }, amount: { column: 'amount', unit: 'fen' }, status: { column: 'status' } } },
  ],
};

describe('record repository through imports', () => {
  let dir: string;
  let stack: Awaited<ReturnType<typeof importStack>>;
  const write = (name: string, lines: string[]) => {
    const p = join(dir, name);
    writeFileSync(p, `${lines.join('\n')}\n`);
    return p;
  };
  const customers = (rid: string) => write('customers.csv', ['customerRef,subjectId,name,verificationMethod,registeredAt', `C-1,${rid},张三,face_match,2025-01-01T08:00:00+08:00`]);
  const lines = () => write('lines.csv', ['creditLineRef,customerRef,product,status,openedAt,limit,balance', 'L-1,C-1,bnpl,active,2025-01-02T08:00:00+08:00,500000,100000']);
  const orders = (amount: number) => write('orders.csv', ['orderRef,customerRef,placedAt,amount,status', `O-1,C-1,2025-02-01T10:00:00+08:00,${amount},completed`, 'O-2,C-1,2025-02-02T10:00:00+08:00,300,paid']);
  const run = async (files: string[]): Promise<ImportResult> => {
    const r = await stack.service.runImport({ mapping, files, deferDerivation: true });
    if (!r.ok) throw new Error(r.message);
    return r;
  };
  const pending = async () => (await stack.db.db.select().from(derivationSubjects).where(eq(derivationSubjects.state, 'pending'))).map((r) => r.subject).sort();
  const subjects = async () => [...new Set((await stack.db.db.select().from(memberRecords)).map((r) => r.subject))];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'records-'));
    stack = await importStack('shop-records', () => new Date('2026-11-23T10:00:00Z'));
  });
  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('attributes every record to its customer\'s pseudonym; order changes queue no derivation', async () => {
    const first = await run([customers(RIDS[0]), lines(), orders(100)]);
    expect(first.summary).toMatchObject({ inserted: 4, updated: 0, unchanged: 0, signals: { pending: true } });
    const [subject] = await subjects();
    expect(await subjects()).toEqual([subject]);
    expect(await pending()).toEqual([subject]);
    await stack.service.derivePending!();
    expect(await pending()).toEqual([]);

    const changed = await run([orders(150)]);
    expect(changed.summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect(await pending()).toEqual([]);
    const again = await run([customers(RIDS[0]), lines(), orders(150)]);
    expect(again.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
  });

  it('a corrected customer identifier moves all its records to the new pseudonym and queues both subjects', async () => {
    const [old] = await subjects();
    const moved = await run([customers(RIDS[1])]);
    expect(moved.summary).toMatchObject({ updated: 1 });
    const now = await subjects();
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(old);
    expect(await pending()).toEqual([old!, now[0]!].sort());
    // later imports attribute new records of C-1 to the new pseudonym
    await run([write('orders-2.csv', ['orderRef,customerRef,placedAt,amount,status', 'O-3,C-1,2025-03-01T10:00:00+08:00,100,paid'])]);
    expect(await subjects()).toEqual(now);
  });
});

describe('record repository on PGlite', () => {
  recordRepositoryCases(async () => {
    const database = await migratedPglite();
    return { database, dispose: () => database.close() };
  });
});
