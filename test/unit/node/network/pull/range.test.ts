import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEntryBundle, encodeSignalEntry, leafHash, ready, rosterSignalKeys, TILE_WIDTH, type RosterBody } from '../../../../../protocol';
import type { PeerClient } from '../../../../../node/network/pull/client';
import { fetchCheckedRange } from '../../../../../node/network/pull/range';
import { createSignatureVerifier, type SignatureVerifier } from '../../../../../node/network/verify/pool';
import { rosterMember, subjectValue, testNodeKeys, testRoster, testSignal } from '../../../../support/network/fixtures';

const now = new Date('2026-11-01T00:00:00Z');
let roster: RosterBody;
let log: Uint8Array[];
const pools: SignatureVerifier[] = [];

/** Entries of alpha's test log, with a few invalid ones at known positions. */
const BAD: Record<number, string> = {
  301: 'entry-signal-bad-signature', // signature of another entry
  420: 'entry-signal-wrong-issuer', // signed by beta
  555: 'entry-signal-entry-format', // not an entry
  699: 'entry-signal-not-yet-valid', // issued a day after `now`
};

beforeAll(async () => {
  await ready();
  const alpha = testNodeKeys('alpha');
  const beta = testNodeKeys('beta');
  roster = testRoster('testco', [rosterMember('testco', 'alpha', alpha), rosterMember('testco', 'beta', beta)]).body;
  log = Array.from({ length: 760 }, (_, i) => {
    const s = testSignal('alpha', alpha, subjectValue(`r${i % 7}`), `range-${i}`);
    if (i === 301) return encodeSignalEntry({ ...s, sig: testSignal('alpha', alpha, subjectValue('x'), 'other').sig });
    if (i === 420) return encodeSignalEntry(testSignal('beta', beta, subjectValue('x'), `range-${i}`));
    if (i === 555) return new TextEncoder().encode('{"not":"an entry"}');
    if (i === 699) return encodeSignalEntry(testSignal('alpha', alpha, subjectValue('x'), `range-${i}`, { issuedAt: new Date('2026-11-02T00:00:00Z') }));
    return encodeSignalEntry(s);
  });
});
afterAll(async () => {
  for (const p of pools) await p.close();
});

/** Serves the first `size` entries of `log` as entry bundles; `tamper` rewrites a bundle. */
function client(size: number, tamper?: (index: number, entries: Uint8Array[]) => Uint8Array[] | null): PeerClient & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    async get(_m, path) {
      paths.push(path);
      const m = /^\/peer\/v1\/log\/tile\/entries\/(\d+)(?:\.p\/(\d+))?$/.exec(path);
      if (!m) throw new Error(`unexpected path ${path}`);
      const index = Number(m[1]);
      const width = m[2] ? Number(m[2]) : TILE_WIDTH;
      let entries: Uint8Array[] | null = log.slice(index * TILE_WIDTH, Math.min(size, index * TILE_WIDTH + width));
      if (tamper) entries = tamper(index, entries);
      return entries ? encodeEntryBundle(entries) : null;
    },
    post: async () => 204,
  };
}

describe('fetchCheckedRange', () => {
  it.each([[0], [1]])('with %i verify threads: leaves of every entry, valid ones held, invalid ones rejected with their code', async (threads) => {
    const verifier = createSignatureVerifier({ threads });
    pools.push(verifier);
    const c = client(700);
    const member = roster.members.find((m) => m.id === 'alpha')!;
    const got = await fetchCheckedRange(c, member, 300, 700, { concurrency: 3, verifier, keys: rosterSignalKeys(roster), now });
    expect(c.paths.sort()).toEqual(['/peer/v1/log/tile/entries/001', '/peer/v1/log/tile/entries/002.p/188']);
    expect(got.leaves).toEqual(log.slice(300, 700).map(leafHash));
    expect(got.rejected).toEqual(Object.entries(BAD).map(([i, code]) => ({ logIndex: Number(i), code })));
    const heldIdx = got.held.map((h) => h.logIndex);
    expect(heldIdx).toEqual(Array.from({ length: 400 }, (_, i) => 300 + i).filter((i) => !(i in BAD)));
    for (const h of got.held) expect(h.entry).toEqual(log[h.logIndex]);
    expect(got.held[0]!.signed.body.id).toBe(JSON.parse(new TextDecoder().decode(log[300])).body.id);
  });

  it('rejects a bundle of the wrong width, and a missing bundle', async () => {
    const verifier = createSignatureVerifier({ threads: 0 });
    const member = roster.members.find((m) => m.id === 'alpha')!;
    const opts = { concurrency: 2, verifier, keys: rosterSignalKeys(roster), now };
    const short = client(512, (i, e) => (i === 1 ? e.slice(1) : e));
    await expect(fetchCheckedRange(short, member, 0, 512, opts)).rejects.toMatchObject({ code: 'BUNDLE_MALFORMED' });
    const missing = client(512, (i, e) => (i === 1 ? null : e));
    await expect(fetchCheckedRange(missing, member, 0, 512, opts)).rejects.toThrow(/missing below the checkpoint size/);
  });
});
