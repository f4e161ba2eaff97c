import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ed25519NoteSigner,
  ed25519Sign,
  formatCheckpoint,
  formatSignatureLine,
  signCheckpoint,
} from '../../../../protocol';
import { createTestConsortium, type TestConsortium } from '../../../support/network/harness';
import { seeded, subjectValue, testNodeKeys, testSignal } from '../../../support/network/fixtures';

describe('peer misbehaviour: evidence, quarantine, alert', () => {
  let net: TestConsortium;
  const origin = 'testco/alpha';
  const alphaSigner = () => ed25519NoteSigner(origin, net.member('alpha').keys.log.secretKey);
  beforeAll(async () => {
    net = await createTestConsortium(['alpha', 'beta', 'gamma', 'delta', 'epsilon']);
    const a = net.member('alpha');
    await a.network.log.append(Array.from({ length: 5 }, (_, i) => testSignal('alpha', a.keys, subjectValue('f'), `f${i}`)));
    await a.network.log.checkpointNow();
    for (const id of ['beta', 'gamma', 'delta', 'epsilon']) await net.member(id).network.peers.pullOnce();
    await a.network.log.append(Array.from({ length: 3 }, (_, i) => testSignal('alpha', a.keys, subjectValue('g'), `g${i}`)));
    await a.network.log.checkpointNow();
  });
  afterAll(async () => net.close());

  const cases: [string, string, () => string][] = [
    ['fork', 'beta', () => signCheckpoint({ origin, size: 5, rootHash: seeded('other-root') }, [alphaSigner()])],
    ['shrink', 'gamma', () => signCheckpoint({ origin, size: 3, rootHash: seeded('older') }, [alphaSigner()])],
    ['inconsistent', 'delta', () => signCheckpoint({ origin, size: 8, rootHash: seeded('wrong-root') }, [alphaSigner()])],
    [
      'bad-signature',
      'epsilon',
      () => {
        const text = formatCheckpoint({ origin, size: 8, rootHash: seeded('x') });
        const forged = ed25519Sign(new TextEncoder().encode(text), testNodeKeys('mallory').log.secretKey);
        return `${text}\n${formatSignatureLine(origin, alphaSigner().keyId, forged)}`;
      },
    ],
  ];

  it.each(cases)('%s: stores evidence, quarantines the peer, counts it, and applies nothing more', async (kind, puller, forge) => {
    const note = forge();
    net.override('alpha', async (req) =>
      new URL(req.url).pathname === '/peer/v1/log/checkpoint' ? new Response(note, { status: 200 }) : net.member('alpha').app.request(req),
    );
    const p = net.member(puller);
    await p.network.peers.pullOnce();
    net.override('alpha', null);

    const evidence = await p.network.peers.evidence('alpha');
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ memberId: 'alpha', kind, offending: note });
    expect(evidence[0]!.previous).toMatch(/^testco\/alpha\n5\n/);
    const status = (await p.network.peers.status()).find((s) => s.memberId === 'alpha')!;
    expect(status).toMatchObject({ state: 'quarantined', appliedSize: 5 });
    const counter = await p.metrics.registry.getSingleMetric('consortium_peer_misbehaviour_total')!.get();
    expect(counter.values).toEqual([expect.objectContaining({ labels: { peer: 'alpha', kind }, value: 1 })]);

    // the honest log (size 8) is no longer applied from a quarantined peer
    await p.network.peers.pullOnce();
    expect((await p.network.peers.status()).find((s) => s.memberId === 'alpha')).toMatchObject({ state: 'quarantined', appliedSize: 5 });
    expect(await p.network.signals.bySubject(subjectValue('g'), net.clock.now())).toEqual([]);

    // The operator lifts the quarantine: the honest log is verified from the last good checkpoint and applied;
    // the evidence stays. Lifting it again is refused.
    expect(await p.network.peers.releaseQuarantine('alpha')).toBe(true);
    expect(await p.network.peers.releaseQuarantine('alpha')).toBe(false);
    await p.network.peers.pullOnce();
    expect((await p.network.peers.status()).find((s) => s.memberId === 'alpha')).toMatchObject({ state: 'ok', appliedSize: 8 });
    expect(await p.network.peers.evidence('alpha')).toHaveLength(1);
  });
});
