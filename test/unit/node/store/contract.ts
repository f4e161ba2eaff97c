import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CopyBuffer, copyField } from '../../../../node/store/bulk';
import type { Database } from '../../../../node/store/database';
import { appliedMigrationCount, runMigrations, shippedMigrationCount } from '../../../../node/store/migrate';
import { createMetaRepository } from '../../../../node/store/repositories/meta';

/**
 * The storage contract: every repository behaves the same on every driver. Each driver's test file calls
 * this with a function that opens a fresh, empty database.
 */
export function describeStorageContract(driver: string, open: () => Promise<{ database: Database; dispose: () => Promise<void> }>) {
  describe(`storage contract on ${driver}`, () => {
    let database: Database;
    let dispose: () => Promise<void>;
    const now = () => new Date('2026-11-23T10:00:00Z');

    beforeAll(async () => {
      ({ database, dispose } = await open());
      await runMigrations(database);
    });
    afterAll(async () => {
      await dispose();
    });

    it('applies every shipped migration, and re-running them is a no-op', async () => {
      expect(await appliedMigrationCount(database)).toBe(shippedMigrationCount());
      await runMigrations(database);
      expect(await appliedMigrationCount(database)).toBe(shippedMigrationCount());
    });

    it('orders record keys and subjects byte-wise and keeps record data as the JSON text imported', async () => {
      const at = '2026-11-23T10:00:00Z';
      for (const [key, data] of [['order:é', '{"z":1,"a":[2]}'], ['order:B', '{}'], ['order:a', '{"b":"x"}']] as const) {
        await database.db.execute(sql`insert into member_records (key, entity, subject, customer_ref, hash, data, import_id, updated_at)
          values (${key}, 'order', ${key.slice(6)}, 'C', 'h', ${data}::json, 'imp', ${at}::timestamptz)`);
      }
      const rows = (await database.db.execute(sql`select key, subject, data::text as data from member_records where entity = 'order' order by key`)) as unknown as { rows: { key: string; subject: string; data: string }[] };
      expect(rows.rows.map((r) => r.key)).toEqual(['order:B', 'order:a', 'order:é']);
      expect(rows.rows.map((r) => r.data)).toEqual(['{}', '{"b":"x"}', '{"z":1,"a":[2]}']);
      const bySubject = (await database.db.execute(sql`select subject from member_records where entity = 'order' and subject > 'Z' order by subject`)) as unknown as { rows: { subject: string }[] };
      expect(bySubject.rows.map((r) => r.subject)).toEqual(['a', 'é']);
      await database.db.execute(sql`delete from member_records where entity = 'order'`);
    });

    it('answers a ping', async () => {
      await expect(database.ping()).resolves.toBeUndefined();
    });

    it('stores, replaces and reads node facts', async () => {
      const meta = createMetaRepository({ db: database.db, now });
      expect(await meta.get('missing')).toBeUndefined();
      await meta.set('roster_version', { version: 3, ids: ['a', 'b'] });
      expect(await meta.get('roster_version')).toEqual({ version: 3, ids: ['a', 'b'] });
      await meta.set('roster_version', { version: 4 });
      expect(await meta.get('roster_version')).toEqual({ version: 4 });
    });

    it('loads rows by COPY in a bulk transaction, escaping every awkward value, and rolls back on failure', async () => {
      await database.db.execute(sql`create table bulk_probe (k text primary key, v text, b bytea, j jsonb)`);
      const awkward = ['tab\there', 'new\nline', 'cr\rreturn', 'back\\slash \\N', '\\.', '中文 ✓', ''];
      const rows = awkward.map((v, i) => `k${i}\t${copyField(v)}\t\\\\x0aff\t${copyField(JSON.stringify({ v }))}\n`).join('') + `null\t${copyField(null)}\t\\N\t\\N\n`;
      const n = await database.bulk(async (tx) => {
        await tx.copyIn('bulk_probe', ['k', 'v', 'b', 'j'], rows);
        return (await tx.query<{ n: number }>('select count(*)::int as n from bulk_probe'))[0]!.n;
      });
      expect(n).toBe(awkward.length + 1);
      const stored = (await database.bulk((tx) => tx.query<{ k: string; v: string | null; b: Uint8Array | null; j: { v: string } | null }>('select k, v, b, j from bulk_probe order by k')));
      for (const [i, v] of awkward.entries()) {
        const r = stored.find((x) => x.k === `k${i}`)!;
        expect([r.v, r.j?.v, Buffer.from(r.b!).toString('hex')]).toEqual([v, v, '0aff']);
      }
      expect(stored.find((x) => x.k === 'null')).toMatchObject({ v: null, b: null, j: null });
      // a failing statement (here a unique violation) rolls the whole transaction back
      const failed = database.bulk(async (tx) => {
        await tx.query("insert into bulk_probe (k, v) values ('new', 'x')");
        await tx.copyIn('bulk_probe', ['k', 'v'], 'k0\tdup\n');
      });
      await expect(failed).rejects.toMatchObject({ code: '23505' });
      expect(await database.bulk((tx) => tx.query("select k from bulk_probe where k = 'new'"))).toEqual([]);
      // and the connection stays usable
      await expect(database.bulk((tx) => tx.query('select 1 as one'))).resolves.toEqual([{ one: 1 }]);
      // rows as bytes (CopyBuffer) load the same way
      const bytes = new CopyBuffer();
      bytes.append(`bytes\t${copyField('字节\tok')}\t\\N\t\\N\n`);
      await database.bulk((tx) => tx.copyIn('bulk_probe', ['k', 'v', 'b', 'j'], bytes.bytes()));
      expect(await database.bulk((tx) => tx.query("select v from bulk_probe where k = 'bytes'"))).toEqual([{ v: '字节\tok' }]);
      await expect(database.bulk((tx) => tx.copyIn('bulk_probe', ['k; drop table x'], ''))).rejects.toThrow(/not a plain SQL identifier/);
      await database.db.execute(sql`drop table bulk_probe`);
    });

    it('records the first owner and keeps it', async () => {
      const meta = createMetaRepository({ db: database.db, now });
      expect(await meta.claimOwner('member-a')).toBe('member-a');
      expect(await meta.claimOwner('member-b')).toBe('member-a');
    });
  });
}
