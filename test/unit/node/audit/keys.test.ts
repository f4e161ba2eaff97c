import { describe, expect, it } from 'vitest';
import { auditKeyChanges } from '../../../../node/audit/keys';
import { migratedPglite } from '../../../support/pglite';
import { testAuditLog } from './support';

describe('key-change detection at start', { timeout: 60_000 }, () => {
  it('records the first key set, nothing while unchanged, and the uses that changed', async () => {
    const database = await migratedPglite();
    const log = await testAuditLog(database);
    const keys = { node: 'n1', signal: 's1', log: 'l1', witness: 'w1' };
    expect(await auditKeyChanges(database.db, log, keys)).toEqual(['node', 'signal', 'log', 'witness']);
    expect(await auditKeyChanges(database.db, log, keys)).toEqual([]);
    expect(await auditKeyChanges(database.db, log, { ...keys, log: 'l2' })).toEqual(['log']);
    const entries = await log.entries(0, 10);
    expect(entries.map((e) => [e.body?.type, e.body?.detail.initial])).toEqual([['key.rotated', true], ['key.rotated', false]]);
    expect(entries[1]!.body?.detail).toMatchObject({ changed: ['log'], previous: { log: 'l1' } });
    await database.close();
  });
});
