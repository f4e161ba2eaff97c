import { afterEach, describe, expect, it } from 'vitest';
import { createTestConsortium, type TestConsortium } from '../../../support/network/harness';
import { subjectValue, testSignal } from '../../../support/network/fixtures';

describe('pull replication between in-process members', () => {
  let net: TestConsortium;
  afterEach(async () => net?.close());

  it('replicates, verifies and applies every signal once; cosignatures flow back to the origin', async () => {
    net = await createTestConsortium(['alpha', 'beta', 'gamma']);
    const a = net.member('alpha');
    const s = subjectValue('s1');
    const signals = Array.from({ length: 300 }, (_, i) => testSignal('alpha', a.keys, i % 2 === 0 ? s : subjectValue(`o${i}`), `x${i}`));
    const res = await a.network.log.append(signals);
    expect(res.map((r) => r.index)).toEqual(signals.map((_, i) => i));
    expect(await a.network.log.checkpointNow()).toBe(300);

    await net.member('beta').network.peers.pullOnce();
    await net.member('gamma').network.peers.pullOnce();
    const held = await net.member('beta').network.signals.bySubject(s, net.clock.now());
    expect(held).toHaveLength(150);
    expect(held.every((h) => h.issuer === 'alpha' && !h.own && h.verification === 'verified')).toBe(true);
    const status = await net.member('beta').network.peers.status();
    expect(status.find((p) => p.memberId === 'alpha')).toMatchObject({ state: 'ok', verifiedSize: 300, appliedSize: 300, lag: 0 });

    // pulling again applies nothing twice
    await net.member('beta').network.peers.pullOnce();
    expect(await net.member('beta').network.signals.bySubject(s, net.clock.now())).toHaveLength(150);

    const cp = (await a.network.log.latestCheckpoint())!;
    expect(cp).toContain('testco/beta/witness');
    expect(cp).toContain('testco/gamma/witness');
  }, 120_000);
});

describe('tombstones, retractions, outages and roster changes', () => {
  let net: TestConsortium;
  afterEach(async () => net?.close());

  it('applies withdrawals and retractions at the peer and at the origin, survives an outage, and stops pulling a suspended member', async () => {
    net = await createTestConsortium(['alpha', 'beta']);
    const a = net.member('alpha');
    const b = net.member('beta');
    const x = subjectValue('x');
    const y = subjectValue('y');
    const overdue = testSignal('alpha', a.keys, x, 'x-overdue');
    const line = testSignal('alpha', a.keys, x, 'x-line', { type: 'credit.line' });
    const yOld = testSignal('alpha', a.keys, y, 'y-old');
    await a.network.log.append([overdue, line, yOld]);
    await a.network.log.checkpointNow();
    await b.network.peers.pullOnce();
    expect(await b.network.signals.bySubject(x, net.clock.now())).toHaveLength(2);

    const retract = testSignal('alpha', a.keys, x, 'x-retract', { type: 'signal.retracted', data: { target: overdue.body.id, reason: 'error' } });
    const withdraw = testSignal('alpha', a.keys, y, 'y-withdraw', { type: 'consent.withdrawn' });
    await a.network.log.append([retract, withdraw]);
    const yNew = testSignal('alpha', a.keys, y, 'y-new', { issuedAt: new Date('2026-10-02T00:00:00Z') });
    await a.network.log.append([yNew]);

    // the peer is down while the origin publishes: backoff, then catch-up from the cursor
    net.setReachable('alpha', false);
    await b.network.peers.pullOnce();
    const down = (await b.network.peers.status())[0]!;
    expect(down).toMatchObject({ memberId: 'alpha', state: 'unreachable', appliedSize: 3 });
    expect(down.lastError).toMatch(/^peer-unreachable/);
    net.setReachable('alpha', true);
    await a.network.log.checkpointNow();
    await b.network.peers.pullOnce();
    expect((await b.network.peers.status())[0]).toMatchObject({ state: 'ok', appliedSize: 6, verifiedSize: 6, lag: 0, lastError: null });

    for (const node of [a, b]) {
      expect((await node.network.signals.bySubject(x, net.clock.now())).map((s) => s.id)).toEqual([line.body.id]);
      // the withdrawal drops what was said before it; a signal published after it (new consent) stands
      expect((await node.network.signals.bySubject(y, net.clock.now())).map((s) => s.id)).toEqual([yNew.body.id]);
    }
    // expired signals are held but not served
    expect(await b.network.signals.bySubject(x, new Date('2040-01-01T00:00:00Z'))).toEqual([]);

    // a suspended member is no longer pulled from, and shows as inactive
    const { rosterMember, testRoster } = await import('../../../support/network/fixtures');
    net.setRoster(testRoster('testco', [rosterMember('testco', 'alpha', a.keys, { status: 'suspended' }), rosterMember('testco', 'beta', b.keys)], 2));
    await a.network.log.append([testSignal('alpha', a.keys, x, 'after-suspension')]);
    await a.network.log.checkpointNow();
    await b.network.peers.pullOnce();
    expect((await b.network.peers.status())[0]).toMatchObject({ state: 'inactive', appliedSize: 6 });
  }, 120_000);
});

describe('entries that cannot be verified yet', () => {
  let net: TestConsortium;
  afterEach(async () => net?.close());

  it('does not skip an entry signed with a key the local roster does not list yet; applies it after the roster update', async () => {
    net = await createTestConsortium(['alpha', 'beta']);
    const a = net.member('alpha');
    const b = net.member('beta');
    const { rosterMember, testNodeKeys, testRoster } = await import('../../../support/network/fixtures');
    // beta's roster lists another signal key for alpha (as if alpha's rotation had not reached beta yet)
    b.roster.set(testRoster('testco', [rosterMember('testco', 'alpha', { ...a.keys, signal: testNodeKeys('alpha-other').signal }), rosterMember('testco', 'beta', b.keys)], 2));
    await a.network.log.append([testSignal('alpha', a.keys, subjectValue('k'), 'k1')]);
    await a.network.log.checkpointNow();
    await b.network.peers.pullOnce();
    const stuck = (await b.network.peers.status())[0]!;
    expect(stuck).toMatchObject({ state: 'unreachable', appliedSize: 0 });
    expect(stuck.lastError).toMatch(/^entry-signal-unknown-key/);

    b.roster.set(testRoster('testco', [rosterMember('testco', 'alpha', a.keys), rosterMember('testco', 'beta', b.keys)], 3));
    await b.network.peers.pullOnce();
    expect((await b.network.peers.status())[0]).toMatchObject({ state: 'ok', appliedSize: 1 });
    expect(await b.network.signals.bySubject(subjectValue('k'), net.clock.now())).toHaveLength(1);
  }, 120_000);
});
