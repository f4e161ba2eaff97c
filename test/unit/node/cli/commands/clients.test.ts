import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../../node/cli/main';
import { tempNode } from '../../../../support/node-dir';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, stopSignal: new Promise<string>(() => {}), isTTY: false } };
}

describe('consortium-node clients (node not running: the database is opened directly)', () => {
  let node: Awaited<ReturnType<typeof tempNode>>;
  beforeAll(async () => {
    node = await tempNode('shop-cli');
  });
  afterAll(() => node.cleanup());

  it('creates, lists and revokes a client; the secret is printed only by create', { timeout: 90_000 }, async () => {
    const c = io();
    expect(await main(['clients', 'create', '--dir', node.dir, '--name', 'Shop One', '--scopes', 'limits:read,authorizations:write', '--burst', '10'], c.io)).toBe(0);
    const id = /client_id:\s+(mch_[0-9a-f]{32})/.exec(c.out.join('\n'))![1]!;
    const secret = /client_secret:\s+(cns_\S{43})/.exec(c.out.join('\n'))![1]!;
    const l = io();
    expect(await main(['clients', 'list', '--dir', node.dir], l.io)).toBe(0);
    expect(l.out.join('\n')).toMatch(new RegExp(`${id}\\s+active\\s+authorizations:write,limits:read\\s+Shop One`));
    expect(l.out.join('\n')).not.toContain(secret);
    const v = io();
    expect(await main(['clients', 'revoke', '--dir', node.dir, '--id', id], v.io)).toBe(0);
    expect(v.out[0]).toMatch(/^Revoked mch_/);
  });

  it.each([
    ['an unknown scope', ['clients', 'create', '--dir', '/tmp/none', '--name', 'x', '--scopes', 'admin'], /unknown scope\(s\) admin/],
    ['a missing name', ['clients', 'create', '--dir', '/tmp/none', '--scopes', 'limits:read'], /missing --name/],
    ['a bad burst', ['clients', 'create', '--dir', '/tmp/none', '--name', 'x', '--scopes', 'limits:read', '--burst', '0'], /--burst must be an integer/],
  ])('rejects %s with exit 2', async (_n, argv, message) => {
    const t = io();
    expect(await main(argv, t.io)).toBe(2);
    expect(t.err[0]).toMatch(message);
  });
});
