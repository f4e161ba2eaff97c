import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { leafHash, openCheckpoint, verifyInclusion, verifyTlogProof } from '../../../../protocol';
import { decodeAuditEntry } from '../../../../node/audit/entry';
import type { Database } from '../../../../node/store/database';
import { drivers, testAuditLog, warmPglite } from './support';

describe.each(drivers())('audit log on $name', ({ open }) => {
  // One database per driver; each case starts from empty audit tables.
  let database: Database;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    await warmPglite();
    const o = await open();
    database = o.database;
    dispose = o.dispose;
  });
  afterAll(async () => dispose?.());
  async function fresh(): Promise<Database> {
    await database.db.execute(sql`truncate audit_entries, audit_hashes, audit_checkpoints`);
    return database;
  }

  it('sequences concurrent appends without gaps and proves each against a signed checkpoint', async () => {
    const db0 = await fresh();
    const log = await testAuditLog(db0);
    const indexes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => log.append({ type: 'merchant.query', actor: `merchant:c${i % 3}`, subject: `p${i % 5}`, detail: { n: i } })),
    );
    expect([...indexes].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const cp = await log.checkpointNow();
    expect(cp.size).toBe(40);
    const opened = openCheckpoint(cp.note, { logKeys: [log.verifierKey], origin: 'm1.audit.consortium' });
    expect(opened.size).toBe(40);
    for (const i of [0, 17, 39]) {
      const e = (await log.entryWithProof(i))!;
      expect(e.body?.index).toBe(i);
      const leaf = leafHash(new TextEncoder().encode(e.entry));
      expect(verifyInclusion(leaf, i, cp.size, e.proof, opened.rootHash)).toBe(true);
      expect(verifyTlogProof(e.tlogProof, leaf, { logKeys: [log.verifierKey], origin: log.origin }).index).toBe(i);
    }
  });

  it('signs a new checkpoint on demand when the latest does not cover the entry yet', async () => {
    const db0 = await fresh();
    const log = await testAuditLog(db0);
    await log.append({ type: 'consent.granted', actor: 'admin', subject: 'p1' });
    expect((await log.checkpointNow()).size).toBe(1);
    const idx = await log.append({ type: 'consent.withdrawn', actor: 'admin', subject: 'p1' });
    const e = (await log.entryWithProof(idx))!;
    expect(e.checkpoint.size).toBe(2);
    expect(await log.entryWithProof(99)).toBeNull();
  });

  it('pages entries with a bounded limit and keeps only pseudonyms in details', async () => {
    const db0 = await fresh();
    const log = await testAuditLog(db0);
    for (let i = 0; i < 5; i++) await log.append({ type: 'decision.made', actor: 'admin', detail: { raw: 'cn-rid:11010519491231002X', phone: '+8613800138000', ok: 'dec_1' } });
    const page = await log.entries(2, 10_000);
    expect(page.map((e) => e.index)).toEqual([2, 3, 4]);
    const body = decodeAuditEntry(new TextEncoder().encode(page[0]!.entry))!;
    expect(body.detail).toEqual({ raw: '[redacted]', phone: '[redacted]', ok: 'dec_1' });
  });
});
