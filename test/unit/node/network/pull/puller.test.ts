import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryTree,
  ed25519NoteSigner,
  encodeEntryBundle,
  encodeSignalEntry,
  ready,
  signCheckpoint,
  TILE_WIDTH,
  toBase64,
} from '../../../../../protocol';
import { createNetworkMetrics } from '../../../../../node/network/metrics';
import type { PeerClient } from '../../../../../node/network/pull/client';
import { createPuller, PullRejected } from '../../../../../node/network/pull/puller';
import { heldCount } from '../../../../../node/network/store/held';
import { getPeer } from '../../../../../node/network/store/peers';
import { createSignatureVerifier } from '../../../../../node/network/verify/pool';
import { createMetrics } from '../../../../../node/observability/metrics';
import type { Database } from '../../../../../node/store/database';
import { mutableRoster } from '../../../../support/network/harness';
import { rosterMember, subjectValue, testNodeKeys, testRoster, testSignal } from '../../../../support/network/fixtures';
import { migratedPglite } from '../../../../support/pglite';

const SIZE = 700;
const UNKNOWN_AT = 600;
let database: Database;
let entries: Uint8Array[];
let note: string;
let tree: ReturnType<typeof createMemoryTree>;

beforeAll(async () => {
  await ready();
  const alpha = testNodeKeys('alpha');
  // entry 600 is signed with a signal key beta's roster does not list yet (alpha rotated its key)
  const rotated = { ...alpha, signal: testNodeKeys('alpha-rotated').signal };
  entries = Array.from({ length: SIZE }, (_, i) => encodeSignalEntry(testSignal('alpha', i === UNKNOWN_AT ? rotated : alpha, subjectValue(`c${i % 4}`), `chunk-${i}`)));
  tree = createMemoryTree();
  tree.appendEntries(entries);
  note = signCheckpoint({ origin: 'testco/alpha', size: SIZE, rootHash: tree.root() }, [ed25519NoteSigner('testco/alpha', alpha.log.secretKey)]);
  database = await migratedPglite();
}, 60_000);
afterAll(async () => database?.close());

/** alpha's log served from memory. */
const client: PeerClient = {
  async get(_m, path) {
    if (path === '/peer/v1/log/checkpoint') return new TextEncoder().encode(note);
    const m = /^\/peer\/v1\/log\/tile\/entries\/(\d+)(?:\.p\/(\d+))?$/.exec(path);
    if (!m) return null;
    const first = Number(m[1]) * TILE_WIDTH;
    return encodeEntryBundle(entries.slice(first, first + (m[2] ? Number(m[2]) : TILE_WIDTH)));
  },
  post: async () => 204,
};

describe('puller: a round applied in chunks', () => {
  it('commits whole chunks with the cursor at their end, stops before an entry it cannot verify yet, and resumes from there', async () => {
    const alpha = testNodeKeys('alpha');
    const beta = testNodeKeys('beta');
    const roster = mutableRoster(testRoster('testco', [rosterMember('testco', 'alpha', alpha), rosterMember('testco', 'beta', beta)]));
    const puller = createPuller({
      db: database.db,
      memberId: 'beta',
      roster,
      client,
      witnessKey: beta.witness,
      now: () => new Date('2026-11-01T00:00:00Z'),
      logger: pino({ level: 'silent' }),
      metrics: createNetworkMetrics(createMetrics({ defaultMetrics: false })),
      maxRoundEntries: 1_000_000,
      concurrency: 3,
      verifier: createSignatureVerifier({ threads: 0 }),
      applyChunkEntries: 2 * TILE_WIDTH,
    });
    const member = () => roster.current()!.body.members.find((m) => m.id === 'alpha')!;

    const err = await puller.pull(member()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PullRejected);
    expect((err as PullRejected).code).toBe('entry-signal-unknown-key');
    // the first chunk (entries 0..511) is applied and verified at its own size; nothing of the second
    const mid = (await getPeer(database.db, 'alpha'))!;
    expect(mid).toMatchObject({ appliedSize: 512, verifiedSize: 512, seenSize: SIZE, checkpoint: null });
    expect(mid.rootHash).toEqual(tree.root(512));
    expect(mid.frontier.size).toBe(512);
    expect(await heldCount(database.db, 'alpha')).toBe(512);

    // the roster update announcing alpha's new key arrives: the next round resumes at 512 and completes
    const rotatedKey = testNodeKeys('alpha-rotated').signal;
    const withRotated = rosterMember('testco', 'alpha', alpha);
    withRotated.keys.push({ kid: rotatedKey.kid, use: 'signal', publicKey: toBase64(rotatedKey.publicKey), notBefore: '2020-01-01T00:00:00Z' });
    roster.set(testRoster('testco', [withRotated, rosterMember('testco', 'beta', beta)], 2));
    expect(await puller.pull(member())).toEqual({ kind: 'applied', from: 512, to: SIZE, rejected: 0 });
    const end = (await getPeer(database.db, 'alpha'))!;
    expect(end).toMatchObject({ appliedSize: SIZE, verifiedSize: SIZE, seenSize: SIZE, checkpoint: note, state: 'ok' });
    expect(end.rootHash).toEqual(tree.root());
    expect(await heldCount(database.db, 'alpha')).toBe(SIZE);
    expect(await puller.pull(member())).toEqual({ kind: 'current', size: SIZE });
  }, 60_000);
});
