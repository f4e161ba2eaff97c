import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { AcceptedRecord } from '../../../../adapters/member';
import { createRecordRepository } from '../../../../node/imports';
import type { Database } from '../../../../node/store/database';
import { derivationSubjects, memberRecords } from '../../../../node/store/schema';

/** A customer record as the pipeline hands it to storage. */
function customer(ref: string, line: number): AcceptedRecord {
  const record = { customerRef: ref, registeredAt: '2025-01-01T08:00:00+08:00', subjectId: `cn-rid:11010519491231002${line}`, verificationMethod: 'face_match' as const };
  return { line, entity: 'customer', key: `customer:${ref}`, hash: `h-${ref}`, json: JSON.stringify(record), record };
}

/** An order as the pipeline hands it to storage (hash: a stand-in digest of its JSON). */
function order(ref: string, customerRef: string, line: number): AcceptedRecord {
  const record = { amount: 1000 + line, currency: 'CNY', customerRef, orderRef: ref, placedAt: '2025-02-01T10:00:00+08:00', status: 'completed' as const };
  const json = JSON.stringify(record);
  return { line, entity: 'order', key: `order:${ref}`, hash: `h-${json.length}-${ref}`, json, record } as AcceptedRecord;
}

/** A repository over `database` whose subjects are `p-` and the identifier's last two digits. */
const repositoryOn = (database: Database, resolveCalls: string[][] = []) => createRecordRepository({
  db: database.db, bulk: database.bulk, storageKey: new Uint8Array(32).fill(1), now: () => new Date('2026-11-24T00:00:00Z'),
  random: (n) => new Uint8Array(n).fill(2),
  resolveSubjects: async (ids) => {
    resolveCalls.push([...ids]);
    return ids.map((id) => ({ kid: 'pk-1', value: `p-${id.slice(-2)}` }));
  },
});

/** Record repository cases that must hold on every driver; `open` gives a fresh migrated database. */
export function recordRepositoryCases(open: () => Promise<{ database: Database; dispose: () => Promise<void> }>) {
  it('loads new keys by COPY and, when a key was stored behind the import\'s back, retries the batch as an upsert', async () => {
    const { database, dispose } = await open();
    try {
      const repo = repositoryOn(database);
      repo.beginImport();
      expect((await repo.upsertBatch([customer('C-1', 1)], 'imp-1')).outcomes).toEqual(['inserted']);
      // C-2 appears after the import began: the entity was empty then, so the next batch goes by COPY and collides
      await database.db.insert(memberRecords).values({ key: 'customer:C-2', entity: 'customer', subject: 'p-xx', customerRef: 'C-2', hash: 'old', data: {}, importId: 'other', updatedAt: new Date('2026-01-01T00:00:00Z') });
      expect((await repo.upsertBatch([customer('C-2', 2), customer('C-3', 3)], 'imp-1')).outcomes).toEqual(['updated', 'inserted']);
      const rows = await database.db.select().from(memberRecords).where(eq(memberRecords.entity, 'customer'));
      expect(rows.map((r) => [r.key, r.importId, r.subject]).sort()).toEqual([['customer:C-1', 'imp-1', 'p-21'], ['customer:C-2', 'imp-1', 'p-22'], ['customer:C-3', 'imp-1', 'p-23']]);
      // every written subject is queued for derivation, including those of the retried batch
      const pending = await database.db.select().from(derivationSubjects).where(eq(derivationSubjects.state, 'pending'));
      expect(pending.map((p) => p.subject).sort()).toEqual(['p-21', 'p-22', 'p-23']);
      // personal fields are sealed, never in clear
      for (const r of rows) {
        expect(r.data).not.toHaveProperty('subjectId');
        expect(r.sealed).toBeInstanceOf(Uint8Array);
      }
    } finally {
      await dispose();
    }
  });

  it('resolves the subjects of a batch of customers in one call, only for the customers that changed', async () => {
    const { database, dispose } = await open();
    try {
      const calls: string[][] = [];
      const repo = repositoryOn(database, calls);
      repo.beginImport();
      expect((await repo.upsertBatch([customer('C-1', 1), customer('C-2', 2), customer('C-3', 3)], 'imp-1')).outcomes).toEqual(['inserted', 'inserted', 'inserted']);
      expect(calls).toEqual([['cn-rid:110105194912310021', 'cn-rid:110105194912310022', 'cn-rid:110105194912310023']]);
      // a new import: C-2 unchanged, C-3 corrected (another identifier), C-4 new
      repo.beginImport();
      calls.length = 0;
      const corrected = { ...customer('C-3', 5), key: 'customer:C-3', hash: 'h-C-3-corrected' } as AcceptedRecord;
      const res = await repo.upsertBatch([customer('C-2', 2), corrected, customer('C-4', 4)], 'imp-2');
      expect(res.outcomes).toEqual(['unchanged', 'updated', 'inserted']);
      expect(calls).toEqual([['cn-rid:110105194912310025', 'cn-rid:110105194912310024']]);
      const rows = await database.db.select().from(memberRecords).where(eq(memberRecords.entity, 'customer'));
      expect(rows.map((r) => [r.key, r.subject]).sort()).toEqual([['customer:C-1', 'p-21'], ['customer:C-2', 'p-22'], ['customer:C-3', 'p-25'], ['customer:C-4', 'p-24']]);
    } finally {
      await dispose();
    }
  });

  it('encodes records of a new entity with a cached parent as they are staged, and retries them as upserts after a COPY collision', async () => {
    const { database, dispose } = await open();
    try {
      const repo = repositoryOn(database);
      repo.beginImport();
      await repo.upsertBatch([customer('C-1', 1), customer('C-2', 2)], 'imp-1');
      // the first order batch finds the entity empty; parents are cached from the customers written above
      expect((await repo.upsertBatch([order('O-1', 'C-1', 1)], 'imp-1')).outcomes).toEqual(['inserted']);
      // written behind the import's back: O-3 with other content, O-4 with the same
      const o4 = order('O-4', 'C-1', 4);
      await database.db.insert(memberRecords).values([
        { key: 'order:O-3', entity: 'order', subject: 'p-xx', customerRef: 'C-2', hash: 'old', data: {}, importId: 'other', updatedAt: new Date('2026-01-01T00:00:00Z') },
        { key: 'order:O-4', entity: 'order', subject: 'p-21', customerRef: 'C-1', hash: o4.hash, data: JSON.parse(o4.json), importId: 'other', updatedAt: new Date('2026-01-01T00:00:00Z') },
      ]);
      const batch = repo.openBatch('order', 'imp-1');
      const o2 = order('O-2', 'C-1', 2);
      batch.add(o2);
      // encoded when staged: later changes to the staged object do not reach the database
      (o2 as { json: string }).json = '{"changed":true}';
      batch.add(order('O-3', 'C-2', 3));
      batch.add(o4);
      batch.add(order('O-5', 'C-9', 5)); // no such customer: waits for the commit, then counted unattributed
      expect(batch.size).toBe(4);
      expect(await batch.commit()).toEqual({ outcomes: ['inserted', 'updated', 'unchanged', 'unchanged'], unattributed: 1 });
      await expect(batch.commit()).rejects.toThrow(/already committed/);
      const rows = await database.db.select().from(memberRecords).where(eq(memberRecords.entity, 'order'));
      expect(rows.map((r) => [r.key, r.subject, r.customerRef, r.importId]).sort()).toEqual([
        ['order:O-1', 'p-21', 'C-1', 'imp-1'], ['order:O-2', 'p-21', 'C-1', 'imp-1'], ['order:O-3', 'p-22', 'C-2', 'imp-1'], ['order:O-4', 'p-21', 'C-1', 'other'],
      ]);
      expect(rows.find((r) => r.key === 'order:O-2')!.data).toEqual(JSON.parse(order('O-2', 'C-1', 2).json));
      expect(rows.find((r) => r.key === 'order:O-3')!.data).toEqual(JSON.parse(order('O-3', 'C-2', 3).json));
    } finally {
      await dispose();
    }
  });
}
