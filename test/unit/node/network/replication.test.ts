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
  });
});
