import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError, type CliIo } from '../../../../node/cli/command';
import { createOfficersCommands } from '../../../../node/cli/commands/officers';
import { openDatabase } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';
import { tempNode } from '../../../support/node-dir';
import { testScrypt } from './fixture';

const PW = 'correct horse battery staple';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (l) => void out.push(l), err: (l) => void err.push(l), env: {}, stopSignal: new Promise(() => undefined), isTTY: false };
  return { io: value, out, err };
}

// Each verb opens the on-disk PGlite database (slow on a busy machine); hashes use the low test scrypt cost.
describe('consortium-node officers (node not running: the database directly)', { timeout: 120_000 }, () => {
  let node: Awaited<ReturnType<typeof tempNode>>;
  beforeAll(async () => {
    node = await tempNode('member-o');
    // Create and migrate the node's database once, so each test measures only its own verbs.
    const db = await openDatabase({ url: null, dataDir: node.config.pgdataDir });
    await runMigrations(db);
    await db.close();
  }, 120_000);
  afterAll(() => node.cleanup());

  const run = async (verb: string, args: string[], sources: { stdin?: string; prompts?: string[] } = {}) => {
    const prompts = [...(sources.prompts ?? [])];
    const cmds = createOfficersCommands({
      stdin: async () => sources.stdin ?? '',
      prompt: async () => prompts.shift() ?? '',
    }, { scrypt: testScrypt });
    const cmd = cmds.find((c) => c.name === `officers ${verb}`)!;
    const parsed = parseCommandArgs(cmd, ['--dir', node.dir, ...args]);
    const o = io();
    const code = await cmd.run({ values: parsed.values, positionals: parsed.positionals }, o.io);
    return { code, ...o };
  };

  it('creates (password from stdin or a confirmed prompt), lists and disables officers', async () => {
    const a = await run('create', ['--username', 'Ada', '--role', 'auditor', '--password-stdin'], { stdin: PW });
    expect(a.code).toBe(0);
    expect(a.out[0]).toMatch(/^Created off_\S+ +ada +auditor +active$/);
    const v = await run('create', ['--username', 'vic', '--role', 'viewer'], { prompts: [PW, PW] });
    expect(v.code).toBe(0);
    const listed = await run('list', []);
    expect(listed.out.map((l) => l.split(/\s+/)[1])).toEqual(['ada', 'vic']);
    expect(listed.out.join('\n')).not.toContain('scrypt');
    const d = await run('disable', ['--username', 'vic']);
    expect(d.code).toBe(0);
    expect(d.out[0]).toMatch(/disabled/);
  });

  it.each([
    ['mismatched prompts', ['--username', 'bob', '--role', 'viewer'], { prompts: [PW, `${PW}!`] }, /passwords differ/],
    ['weak password', ['--username', 'bob', '--role', 'viewer', '--password-stdin'], { stdin: 'short' }, /officer-password-weak/],
    ['taken username', ['--username', 'ada', '--role', 'viewer', '--password-stdin'], { stdin: PW }, /officer-username-taken/],
  ])('fails clearly: %s', async (_name, args, sources, want) => {
    const r = await run('create', args, sources);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(want);
  });

  it('refuses unknown roles and a password given as a flag', async () => {
    await expect(run('create', ['--username', 'bob', '--role', 'admin', '--password-stdin'])).rejects.toThrow(UsageError);
    await expect(run('create', ['--username', 'bob', '--role', 'viewer', '--password', PW])).rejects.toThrow(UsageError);
  });

  it('reports an unknown officer on disable', async () => {
    const r = await run('disable', ['--username', 'nobody']);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/officer-not-found/);
  });
});
