import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSignalEntry, ready, type SignedSignal } from '../../../../../protocol';
import type { Database } from '../../../../../node/store/database';
import { runMigrations } from '../../../../../node/store/migrate';
import { HOLD_BATCH_ROWS, heldBySubject, heldCount, holdSignals, type HeldInput } from '../../../../../node/network/store/held';
import { migratedPglite } from '../../../../support/pglite';
import { subjectValue, testNodeKeys, testSignal } from '../../../../support/network/fixtures';

const asOf = new Date('2026-11-01T00:00:00Z');
const held = (signed: SignedSignal, logIndex: number): HeldInput => ({ logIndex, signed, entry: encodeSignalEntry(signed) });

describe('holdSignals (batched insert + control effects in log order)', () => {
  let database: Database;
  const s0 = subjectValue('s0');
  const s1 = subjectValue('s1');
  const rows: HeldInput[] = [];
  let retractTarget = '';
  let lateS0 = '';

  beforeAll(async () => {
    await ready();
    const keys = testNodeKeys('alpha');
    database = await migratedPglite();
    await runMigrations(database);
    // more rows than one INSERT batch, subjects alternating; then a withdrawal of s0 (in the second
    // batch), a retraction of an s1 signal from the first batch, and one s0 signal after the withdrawal
    const n = HOLD_BATCH_ROWS + 3;
    for (let i = 0; i < n; i++) rows.push(held(testSignal('alpha', keys, i % 2 === 0 ? s0 : s1, `r${i}`), i));
    retractTarget = rows[1]!.signed.body.id;
    rows.push(held(testSignal('alpha', keys, s0, 'withdraw', { type: 'consent.withdrawn' }), n));
    rows.push(held(testSignal('alpha', keys, s1, 'retract', { type: 'signal.retracted', data: { target: retractTarget, reason: 'error' } }), n + 1));
    const late = testSignal('alpha', keys, s0, 'late', { issuedAt: new Date('2026-10-02T00:00:00Z') });
    lateS0 = late.body.id;
    rows.push(held(late, n + 2));
  });
  afterAll(async () => {
    await database.close();
  });

  it('holds every row across batches with its entry bytes, and applies withdrawal and retraction to earlier rows only', async () => {
    await database.db.transaction((tx) => holdSignals(tx, 'alpha', rows));
    expect(await heldCount(database.db, 'alpha')).toBe(rows.length);
    const forS0 = await heldBySubject(database.db, s0, asOf, 'beta');
    expect(forS0.map((h) => h.id)).toEqual([lateS0]);
    expect(forS0[0]!.signed).toEqual(rows[rows.length - 1]!.signed);
    const forS1 = await heldBySubject(database.db, s1, asOf, 'beta');
    const s1Count = rows.filter((r) => r.signed.body.subject.value === s1 && r.signed.body.type === 'repayment.overdue').length;
    expect(forS1).toHaveLength(s1Count - 1);
    expect(forS1.map((h) => h.id)).not.toContain(retractTarget);
    expect(forS1.map((h) => h.logIndex)).toEqual([...forS1.map((h) => h.logIndex)].sort((x, y) => x - y));
  });

  it('is idempotent: holding the same rows again adds nothing and keeps the statuses', async () => {
    await database.db.transaction((tx) => holdSignals(tx, 'alpha', rows));
    expect(await heldCount(database.db, 'alpha')).toBe(rows.length);
    expect((await heldBySubject(database.db, s0, asOf, 'beta')).map((h) => h.id)).toEqual([lateS0]);
  });
});
