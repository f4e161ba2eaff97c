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

/** Record repository cases that must hold on every driver; `open` gives a fresh migrated database. */
export function recordRepositoryCases(open: () => Promise<{ database: Database; dispose: () => Promise<void> }>) {
  it('loads new keys by COPY and, when a key was stored behind the import\'s back, retries the batch as an upsert', async () => {
    const { database, dispose } = await open();
    try {
      const repo = createRecordRepository({
        db: database.db, bulk: database.bulk, storageKey: new Uint8Array(32).fill(1), now: () => new Date('2026-11-24T00:00:00Z'),
        random: (n) => new Uint8Array(n).fill(2), resolveSubject: async (id) => ({ kid: 'pk-1', value: `p-${id.slice(-2)}` }),
      });
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
}
