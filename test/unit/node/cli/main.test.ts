import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandNames, loadCommands, main } from '../../../../node/cli/main';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env, stopSignal: new Promise<string>(() => {}), isTTY: false } };
}

const fresh = () => join(mkdtempSync(join(tmpdir(), 'cli-')), 'node');

describe('consortium-node CLI', () => {
  it('lists the commands, and each has --help', async () => {
    const commands = await loadCommands();
    // the lazy registry names exactly the verbs its modules export, in the same order
    expect(commands.map((c) => c.name)).toEqual(commandNames);
    expect(commandNames).toContain('import');
    const t = io();
    expect(await main(['--help'], t.io)).toBe(0);
    for (const c of commands) expect(t.out.join('\n')).toContain(c.name);
    for (const c of commands) {
      const h = io();
      expect(await main([...c.name.split(' '), '--help'], h.io)).toBe(0);
      expect(h.out.join('\n')).toContain(`Usage: consortium-node ${c.name}`);
    }
  });

  it.each([
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown flag', ['init', '--colour', 'red'], /Unknown option '--colour'/],
    ['a missing flag', ['init', '--dir', '/tmp/x'], /missing --member/],
    ['a flag without value', ['init', '--dir'], /--dir/],
    ['a stray argument', ['start', 'extra'], /unexpected argument 'extra'/],
    ['a bad member id', ['init', '--dir', '/tmp/x', '--member', 'A B', '--url', 'http://h'], /--member/],
    ['a bad url', ['init', '--dir', '/tmp/x', '--member', 'ab', '--url', 'not a url'], /--url must be an absolute/],
    ['a bad port', ['start', '--dir', '/tmp/x', '--port', '99999'], /--port must be an integer from 0 to 65535/],
  ])('rejects %s with a one-line reason and exit 2', async (_n, argv, message) => {
    const t = io();
    expect(await main(argv, t.io)).toBe(2);
    expect(t.err[0]).toMatch(message);
    expect(t.err[0]).not.toContain('\n');
  });

  it('init writes the node directory with secrets at 0600 and refuses a second init', async () => {
    const dir = fresh();
    const t = io();
    expect(await main(['init', '--dir', dir, '--member', 'shop-a', '--url', 'http://127.0.0.1:7401'], t.io)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['admin-token', 'keys.json', 'member.json', 'node.json']);
    expect(JSON.parse(readFileSync(join(dir, 'member.json'), 'utf8')).keys.map((k: { use: string }) => k.use)).toEqual(['node', 'signal', 'log', 'witness', 'x25519']);
    expect(readFileSync(join(dir, 'member.json'), 'utf8')).not.toMatch(/secret/i);
    expect(statSync(join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'admin-token')).mode & 0o777).toBe(0o600);
    const nodeJson = JSON.parse(readFileSync(join(dir, 'node.json'), 'utf8'));
    expect(nodeJson).toMatchObject({ memberId: 'shop-a', baseUrl: 'http://127.0.0.1:7401', http: { port: 7401 } });
    const before = readFileSync(join(dir, 'keys.json'), 'utf8');
    const again = io();
    expect(await main(['init', '--dir', dir, '--member', 'shop-b', '--url', 'http://127.0.0.1:7402'], again.io)).toBe(2);
    expect(again.err[0]).toMatch(/already holds a node.*nothing was changed/);
    expect(readFileSync(join(dir, 'keys.json'), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'node.json'), 'utf8')).memberId).toBe('shop-a');
  });

  it('start reports configuration errors naming the setting', async () => {
    const dir = fresh();
    await main(['init', '--dir', dir, '--member', 'shop-a', '--url', 'http://127.0.0.1:7401'], io().io);
    const t = io({ PORT: 'abc' });
    expect(await main(['start', '--dir', dir], t.io)).toBe(2);
    expect(t.err[0]).toMatch(/configuration error: PORT \(environment\)/);
    const notNode = io();
    expect(await main(['start', '--dir', fresh()], notNode.io)).toBe(2);
    expect(notNode.err[0]).toMatch(/not a node directory/);
  });

  it('start refuses world-readable keys', async () => {
    const dir = fresh();
    await main(['init', '--dir', dir, '--member', 'shop-a', '--url', 'http://127.0.0.1:7401'], io().io);
    const keys = readFileSync(join(dir, 'keys.json'), 'utf8');
    writeFileSync(join(dir, 'keys.json'), keys, { mode: 0o644 });
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, 'keys.json'), 0o644);
    const t = io();
    expect(await main(['start', '--dir', dir], t.io)).toBe(2);
    expect(t.err[0]).toMatch(/keys.json.*chmod 600/);
  });

  it('start gives exit 3 and a clear message when PostgreSQL is unreachable', async () => {
    const dir = fresh();
    await main(['init', '--dir', dir, '--member', 'shop-a', '--url', 'http://127.0.0.1:7401'], io().io);
    const t = io({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(await main(['start', '--dir', dir], t.io)).toBe(3);
    expect(t.err[0]).toMatch(/database unavailable: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none \(ECONNREFUSED\)/);
  });
});
