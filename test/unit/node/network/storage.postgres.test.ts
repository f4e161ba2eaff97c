import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leafHash, rootFromLeafHashes, treeHashAsync } from '../../../../protocol';
import { openDatabase, type Database } from '../../../../node/store/database';
import { ownHashReader, readOwnEntries } from '../../../../node/network/store/own-log';
import { createTestDatabase } from '../../../support/databases';
import { createTestConsortium, type TestConsortium } from '../../../support/network/harness';
import { subjectValue, testSignal } from '../../../support/network/fixtures';

const adminUrl = inject('postgresUrl');

describe.skipIf(!adminUrl)('network storage on PostgreSQL', () => {
  let net: TestConsortium;
  const drops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    net = await createTestConsortium(['alpha', 'beta'], {
      openDatabase: async (): Promise<Database> => {
        const { url, drop } = await createTestDatabase(adminUrl);
        drops.push(drop);
        return openDatabase({ url });
      },
    });
  });
  afterAll(async () => {
    await net.close();
    for (const d of drops) await d();
  });

  it('group-commits concurrent appends with consistent stored hashes', async () => {
    const a = net.member('alpha');
    const res = await Promise.all(
      Array.from({ length: 20 }, (_, c) => a.network.log.append([0, 1, 2].map((i) => testSignal('alpha', a.keys, subjectValue(`p${c % 3}`), `p${c}-${i}`)))),
    );
    expect(res.flat().map((r) => r.index).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const entries = await readOwnEntries(a.database.db, 0, 60);
    expect(await treeHashAsync(60, ownHashReader(a.database.db))).toEqual(rootFromLeafHashes(entries.map(leafHash)));
  });

  it('applies a peer batch once, with tombstones, and advances the cursor in the same transaction', async () => {
    const a = net.member('alpha');
    const b = net.member('beta');
    await a.network.log.append([testSignal('alpha', a.keys, subjectValue('p0'), 'p0-withdraw', { type: 'consent.withdrawn' })]);
    await a.network.log.checkpointNow();
    await Promise.all([b.network.peers.pullOnce(), b.network.peers.pullOnce()]);
    expect((await b.network.peers.status())[0]).toMatchObject({ state: 'ok', appliedSize: 61, verifiedSize: 61 });
    expect(await b.network.signals.bySubject(subjectValue('p0'), net.clock.now())).toEqual([]);
    expect(await b.network.signals.bySubject(subjectValue('p1'), net.clock.now())).toHaveLength(21);
  });
});
