import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeEntryBundle,
  leafHash,
  memberLogVerifierKeys,
  openCheckpoint,
  rootFromLeafHashes,
  tileHashes,
  tilePath,
  tilesForSize,
  treeHashAsync,
  TILE_WIDTH,
} from '../../../../protocol';
import { createPeerTokenIssuer } from '../../../../node/network/http/tokens';
import { ownHashReader, readOwnEntries } from '../../../../node/network/store/own-log';
import { createTestConsortium, type TestConsortium } from '../../../support/network/harness';
import { seededRandom, subjectValue, testSignal } from '../../../support/network/fixtures';

describe('own log: sequencing and tlog-tiles serving', () => {
  let net: TestConsortium;
  beforeAll(async () => {
    net = await createTestConsortium(['alpha', 'beta']);
  });
  afterAll(async () => net.close());

  const alpha = () => net.member('alpha');
  const get = async (path: string) => {
    const tokens = createPeerTokenIssuer({ memberId: 'beta', nodeKey: net.member('beta').keys.node, now: net.clock.now, random: seededRandom(`get${path}`) });
    return alpha().app.request(`http://alpha.test${path}`, { headers: { authorization: `Bearer ${await tokens.issue('alpha')}` } });
  };

  it('batches concurrent appends into contiguous indexes with stored hashes matching the tree', async () => {
    const calls = Array.from({ length: 40 }, (_, c) =>
      alpha().network.log.append(Array.from({ length: 5 }, (_, i) => testSignal('alpha', alpha().keys, subjectValue(`c${c}`), `c${c}-${i}`))),
    );
    const results = (await Promise.all(calls)).flat();
    expect(results.map((r) => r.index).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const db = alpha().database.db;
    const entries = await readOwnEntries(db, 0, 200);
    expect(await treeHashAsync(200, ownHashReader(db))).toEqual(rootFromLeafHashes(entries.map(leafHash)));
    // every prefix root is computable from the stored hashes and agrees with a from-scratch computation
    for (const n of [1, 2, 3, 127, 128, 129, 199]) {
      expect(await treeHashAsync(n, ownHashReader(db))).toEqual(rootFromLeafHashes(entries.slice(0, n).map(leafHash)));
    }
  });

  it('answers a retried signal with its first index and refuses a conflicting reuse of its id', async () => {
    const s = testSignal('alpha', alpha().keys, subjectValue('c0'), 'c0-0');
    expect(await alpha().network.log.append([s])).toEqual([{ index: 0, id: s.body.id }]);
    const altered = testSignal('alpha', alpha().keys, subjectValue('other'), 'c0-0');
    await expect(alpha().network.log.append([altered])).rejects.toMatchObject({ code: 'signal-duplicate-id' });
  });

  it.each([
    ['another issuer', () => testSignal('beta', net.member('beta').keys, subjectValue('z'), 'b1'), 'signal-wrong-issuer'],
    ['a tampered signature', () => ({ ...testSignal('alpha', alpha().keys, subjectValue('z'), 'a1'), sig: 'A'.repeat(86) }), 'signal-invalid'],
  ])('rejects %s', async (_name, make, code) => {
    await expect(alpha().network.log.append([make()])).rejects.toMatchObject({ code });
  });

  it('refuses to append before the node has joined a consortium', async () => {
    const saved = alpha().roster.current()!.signed;
    alpha().roster.set(null);
    await expect(alpha().network.log.append([testSignal('alpha', alpha().keys, subjectValue('z'), 'nj')])).rejects.toMatchObject({ code: 'not-joined' });
    alpha().roster.set(saved);
  });

  it('serves a checkpoint and tiles that verify independently with the protocol library', async () => {
    expect(await alpha().network.log.checkpointNow()).toBe(200);
    const extra = Array.from({ length: 100 }, (_, i) => testSignal('alpha', alpha().keys, subjectValue('t'), `t${i}`));
    await alpha().network.log.append(extra);
    expect(await get('/peer/v1/log/tile/entries/001')).toMatchObject({ status: 404 }); // 300 entries, but the checkpoint says 200
    expect(await alpha().network.log.checkpointNow()).toBe(300);

    const res = await get('/peer/v1/log/checkpoint');
    expect(res.status).toBe(200);
    const member = alpha().roster.current()!.body.members.find((m) => m.id === 'alpha')!;
    const cp = openCheckpoint(await res.text(), { logKeys: memberLogVerifierKeys(member, net.clock.now()), origin: 'testco/alpha' });
    expect(cp.size).toBe(300);

    const leaves: Uint8Array[] = [];
    const tiles = new Map<string, Uint8Array>();
    for (const t of tilesForSize(300, { entries: true })) {
      const r = await get(`/peer/v1/log/${tilePath(t)}`);
      expect(r.status, tilePath(t)).toBe(200);
      expect(r.headers.get('cache-control')).toContain(t.width === TILE_WIDTH ? 'immutable' : 'max-age=60');
      const bytes = new Uint8Array(await r.arrayBuffer());
      tiles.set(tilePath(t), bytes);
      if (t.level === 'entries') leaves.push(...decodeEntryBundle(bytes, t.width).map(leafHash));
    }
    expect(rootFromLeafHashes(leaves)).toEqual(cp.rootHash);
    expect(tileHashes(tiles.get('tile/0/000')!, 256)).toEqual(leaves.slice(0, 256));
    expect(tileHashes(tiles.get('tile/0/001.p/44')!, 44)).toEqual(leaves.slice(256));
    expect(tileHashes(tiles.get('tile/1/000.p/1')!, 1)).toEqual([rootFromLeafHashes(leaves.slice(0, 256))]);
    // a narrower partial tile is a prefix; wider than the checkpoint is not served
    expect(new Uint8Array(await (await get('/peer/v1/log/tile/0/001.p/10')).arrayBuffer())).toEqual(tiles.get('tile/0/001.p/44')!.slice(0, 320));
    for (const p of ['tile/0/001.p/45', 'tile/0/001', 'tile/1/000', 'tile/2/000.p/1', 'tile/entries/002', 'tile/0/x001', 'tile/0/1']) {
      const r = await get(`/peer/v1/log/${p}`);
      expect(r.status, p).toBe(404);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
    }
  });
});
