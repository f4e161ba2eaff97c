import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRoster } from '../../../../protocol';
import { main } from '../../../../node/cli/main';
import { readMembership } from '../../../../node/membership/files';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {}, stopSignal: new Promise<string>(() => {}), isTTY: false } };
}
const run = async (argv: string[]) => {
  const t = io();
  const code = await main(argv, t.io);
  return { code, out: t.out.join('\n'), err: t.err.join('\n') };
};
const roster = (gov: string) => decodeRoster(new Uint8Array(readFileSync(join(gov, 'roster.json'))));

describe('consortium governance and joining', () => {
  it('creates a consortium, adds members, rotates keys, revokes, and lets members join', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gov-'));
    const gov = join(root, 'gov');
    expect((await run(['consortium', 'create', '--dir', gov, '--id', 'retail-credit'])).code).toBe(0);
    expect(statSync(join(gov, 'governance.json')).mode & 0o777).toBe(0o600);
    expect(roster(gov).body).toMatchObject({ consortium: 'retail-credit', version: 1, members: [] });
    expect((await run(['consortium', 'create', '--dir', gov, '--id', 'other'])).code).toBe(2);

    const a = join(root, 'a');
    const b = join(root, 'b');
    await run(['init', '--dir', a, '--member', 'shop-a', '--url', 'http://127.0.0.1:7501', '--name', 'Shop A']);
    await run(['init', '--dir', b, '--member', 'shop-b', '--url', 'http://127.0.0.1:7502']);
    expect((await run(['consortium', 'add-member', '--dir', gov, join(a, 'member.json')])).code).toBe(0);
    expect((await run(['consortium', 'add-member', '--dir', gov, join(b, 'member.json')])).code).toBe(0);
    const r3 = roster(gov).body;
    expect(r3.version).toBe(3);
    expect(r3.members.map((m) => [m.id, m.status, m.log.origin])).toEqual([
      ['shop-a', 'active', 'retail-credit/shop-a'],
      ['shop-b', 'active', 'retail-credit/shop-b'],
    ]);
    expect(r3.members[0]!.keys.map((k) => k.use).sort()).toEqual(['log', 'node', 'signal', 'witness', 'x25519']);

    // b cannot open a's sealed key; a can.
    const wrong = await run(['join', '--dir', b, '--roster', join(gov, 'roster.json'), '--key', join(gov, 'sealed', 'shop-a.key')]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/must be the key sealed for 'shop-b'/);
    const joined = await run(['join', '--dir', a, '--roster', join(gov, 'roster.json'), '--key', join(gov, 'sealed', 'shop-a.key')]);
    expect(joined.code).toBe(0);
    expect(joined.out).toContain("Joined consortium 'retail-credit' as 'shop-a'");
    await run(['join', '--dir', b, '--roster', join(gov, 'roster.json'), '--key', join(gov, 'sealed', 'shop-b.key')]);
    const ma = readMembership(a)!;
    const mb = readMembership(b)!;
    expect(ma.consortiumId).toBe('retail-credit');
    expect(Buffer.from(ma.pseudonymKey.key).equals(Buffer.from(mb.pseudonymKey.key))).toBe(true);
    expect(statSync(join(a, 'consortium.json')).mode & 0o777).toBe(0o600);

    // Pinning a wrong governance key refuses to join.
    const pinned = await run(['join', '--dir', a, '--roster', join(gov, 'roster.json'), '--key', join(gov, 'sealed', 'shop-a.key'), '--governance-key', 'AAAA']);
    expect(pinned.code).toBe(2);
    expect(pinned.err).toMatch(/does not match any governance key/);

    // Key rotation: a new signal key in keys.json and member.json; the roster keeps the old one for the overlap.
    const oldSignal = JSON.parse(readFileSync(join(a, 'keys.json'), 'utf8')).signal.kid as string;
    const rotated = await run(['keys', 'rotate', '--dir', a, '--use', 'signal']);
    expect(rotated.code).toBe(0);
    const keysNow = JSON.parse(readFileSync(join(a, 'keys.json'), 'utf8'));
    expect(keysNow.signal.kid).not.toBe(oldSignal);
    expect(keysNow.retired).toEqual([expect.objectContaining({ kid: oldSignal, use: 'signal' })]);
    expect(statSync(join(a, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(a, 'member.json'), 'utf8')).keys.find((k: { use: string }) => k.use === 'signal').kid).toBe(keysNow.signal.kid);
    expect((await run(['consortium', 'add-member', '--dir', gov, join(a, 'member.json')])).code).toBe(0);
    const signalKeys = roster(gov).body.members.find((m) => m.id === 'shop-a')!.keys.filter((k) => k.use === 'signal');
    expect(signalKeys.map((k) => [k.kid, k.notAfter !== undefined])).toEqual([
      [oldSignal, true],
      [keysNow.signal.kid, false],
    ]);
    expect((await run(['keys', 'rotate', '--dir', a, '--use', 'box'])).err).toMatch(/--use must be one of node, signal, log, witness/);

    // Revocation is a roster change; members are never removed.
    expect((await run(['consortium', 'set-status', '--dir', gov, '--member', 'shop-b', '--status', 'revoked'])).code).toBe(0);
    expect(roster(gov).body.members.find((m) => m.id === 'shop-b')!.status).toBe('revoked');
    expect((await run(['consortium', 'set-status', '--dir', gov, '--member', 'shop-b', '--status', 'gone'])).err).toMatch(/--status must be one of/);
  });

  it('refuses to join when the member is not in the roster', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gov-'));
    const gov = join(root, 'gov');
    await run(['consortium', 'create', '--dir', gov, '--id', 'c1']);
    const a = join(root, 'a');
    await run(['init', '--dir', a, '--member', 'shop-a', '--url', 'http://127.0.0.1:7501']);
    const r = await run(['join', '--dir', a, '--roster', join(gov, 'roster.json'), '--key', join(root, 'none.key')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'shop-a' is not in roster version 1; send DIR\/member.json/);
  });
});
