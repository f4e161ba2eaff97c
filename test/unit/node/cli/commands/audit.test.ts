import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { auditVerifyCommand } from '../../../../../node/cli/commands/audit';
import type { CliIo } from '../../../../../node/cli/command';
import { createAuditLog } from '../../../../../node/audit/log';
import { loadKeys } from '../../../../../node/keys/keyfile';
import { createLogger } from '../../../../../node/observability/logger';
import { openDatabase } from '../../../../../node/store/database';
import { runMigrations } from '../../../../../node/store/migrate';
import { ready } from '../../../../../protocol';
import { tempNode } from '../../../../support/node-dir';

function io(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), env: {}, stopSignal: new Promise(() => undefined), isTTY: false };
}

describe('consortium-node audit verify', { timeout: 60_000 }, () => {
  let node: Awaited<ReturnType<typeof tempNode>>;
  beforeAll(async () => {
    await ready();
    node = await tempNode('audit-m');
    const database = await openDatabase({ url: null, dataDir: node.config.pgdataDir });
    await runMigrations(database);
    let t = Date.UTC(2026, 0, 1);
    const log = createAuditLog({ db: database.db, memberId: 'audit-m', logKey: loadKeys(node.dir).log, now: () => new Date((t += 1000)), logger: createLogger({ level: 'silent' }) });
    for (let i = 0; i < 6; i++) await log.append({ type: 'decision.made', actor: 'system', subject: `p${i}`, detail: { i } });
    await log.checkpointNow();
    await database.close();
  });
  afterAll(() => node?.cleanup());

  it('exits 0 on an intact log and 1 naming the first bad index after a row is deleted', async () => {
    const ok = io();
    expect(await auditVerifyCommand.run({ values: { dir: node.dir }, positionals: [] }, ok)).toBe(0);
    expect(ok.lines.join('\n')).toMatch(/intact: 6 entries, 1 checkpoints/);

    const database = await openDatabase({ url: null, dataDir: node.config.pgdataDir });
    await database.db.execute(sql`delete from audit_entries where idx = 2`);
    await database.close();
    const bad = io();
    expect(await auditVerifyCommand.run({ values: { dir: node.dir, json: false }, positionals: [] }, bad)).toBe(1);
    expect(bad.lines[0]).toContain('first bad entry index 2');
    const json = io();
    expect(await auditVerifyCommand.run({ values: { dir: node.dir, json: true }, positionals: [] }, json)).toBe(1);
    expect(JSON.parse(json.lines.join('\n'))).toMatchObject({ ok: false, firstBadIndex: 2 });
  });
});
