import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { normalizeSubjectId, pseudonymize, ready } from '../../../../protocol';
import { createPrng, residentId } from '../../../../adapters/member/synth';
import type { Database } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';
import { createSubjectService } from '../../../../node/subjects/service';
import { freshPostgres } from '../../../support/databases';
import { migratedPglite } from '../../../support/pglite';

const adminUrl = inject('postgresUrl');
const pseudonymKey = { kid: 'ck-1', key: new Uint8Array(32).fill(7) };
const storageKey = new Uint8Array(32).fill(9);
const now = () => new Date('2026-11-24T08:00:00Z');

type Open = () => Promise<{ database: Database; dispose: () => Promise<void> }>;
const engines: [string, Open | null][] = [
  ['PGlite', async () => { const database = await migratedPglite(); return { database, dispose: () => database.close() }; }],
  ['PostgreSQL', adminUrl ? freshPostgres(adminUrl) : null],
];

describe.each(engines)('subject service on %s', (_name, open) => {
  const disposers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const d of disposers) await d();
  });

  async function service() {
    await ready();
    const { database, dispose } = await open!();
    disposers.push(dispose);
    await runMigrations(database);
    let statements = 0;
    const db = new Proxy(database.db, {
      get: (target, prop, receiver) => {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'execute' || prop === 'insert') return (...args: unknown[]) => { statements++; return (v as (...a: unknown[]) => unknown).apply(target, args); };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    let n = 0;
    const random = (len: number) => new Uint8Array(len).fill(++n % 256);
    return { subjects: createSubjectService({ db, pseudonymKey, storageKey, now, random }), statements: () => statements, database };
  }

  it.skipIf(!open)('resolves a batch in input order with one statement, records each subject once, and rejects invalid identifiers without repeating them', async () => {
    const { subjects, statements, database } = await service();
    const rng = createPrng('subjects');
    const ids = Array.from({ length: 300 }, () => residentId(rng));
    const batch = [ids[0]!, '110101199003070000', ...ids, ids[1]!, '+8613800138000'];
    const results = await subjects.resolveMany(batch);
    expect(statements()).toBe(1);
    expect(results).toHaveLength(batch.length);
    expect(results[1]).toEqual({ ok: false, code: 'subject-invalid', message: expect.any(String) });
    expect((results[1] as { message: string }).message).not.toContain('110101199003070000');
    for (const [i, raw] of batch.entries()) {
      if (i === 1) continue;
      expect(results[i]).toEqual(subjects.pseudonymOf(raw));
      expect(results[i]!.ok).toBe(true);
    }
    // the same identifier twice in one batch, and the phone number, are recorded once each
    const count = await database.db.execute(sql`select count(*)::int as n from subjects`);
    expect((count as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(301);
    expect(await subjects.identifierOf((results[0] as { pseudonym: { value: string } }).pseudonym.value)).toBe(normalizeSubjectId(ids[0]!));
    expect(await subjects.identifierOf((results.at(-1) as { pseudonym: { value: string } }).pseudonym.value)).toBe(normalizeSubjectId('+8613800138000'));
  });

  it.skipIf(!open)('keeps the first sealed identifier of a known subject and resolves single identifiers the same way', async () => {
    const { subjects, database } = await service();
    const id = residentId(createPrng('one'));
    const first = await subjects.resolve(id);
    const sealedBefore = (await database.db.execute(sql`select sealed_identifier from subjects`)) as unknown as { rows: { sealed_identifier: Uint8Array }[] };
    const again = await subjects.resolveMany([id, id]);
    expect(again).toEqual([first, first]);
    expect(first).toEqual({ ok: true, pseudonym: pseudonymize(pseudonymKey, normalizeSubjectId(id)) });
    const sealedAfter = (await database.db.execute(sql`select sealed_identifier from subjects`)) as unknown as { rows: { sealed_identifier: Uint8Array }[] };
    expect(sealedAfter.rows).toHaveLength(1);
    expect(Buffer.from(sealedAfter.rows[0]!.sealed_identifier)).toEqual(Buffer.from(sealedBefore.rows[0]!.sealed_identifier));
    expect(await subjects.resolveMany([])).toEqual([]);
  });
});
