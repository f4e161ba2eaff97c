import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRoster, ready } from '../../../protocol';
import { rosterMember, subjectValue, testNodeKeys, testRoster } from '../../support/network/fixtures';
import { freePort, startNodeProcess, startProcess, type NodeProcess } from '../../support/network/processes';

const forkPeer = join(import.meta.dirname, '..', '..', 'support', 'network', 'fork-peer.ts');
const HONEST = 20;
const FORK = 30;
const BURST = 4000;

interface PeerView {
  memberId: string;
  state: string;
  verifiedSize: number;
  appliedSize: number;
  lag: number;
  lastError: string | null;
}
interface State {
  held: Record<string, { count: number; distinct: number }>;
  ownIds: string[];
  peers: PeerView[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('real nodes against a forking peer and a peer killed while it is being pulled', () => {
  const root = mkdtempSync(join(tmpdir(), 'network-faults-'));
  const rosterFile = join(root, 'roster.json');
  const ports = new Map<string, number>();
  const procs = new Map<string, NodeProcess>();
  const url = (id: string) => `http://127.0.0.1:${ports.get(id)}`;
  const get = async <T>(id: string, path: string): Promise<T> => (await fetch(`${url(id)}${path}`)).json() as Promise<T>;
  const state = (id: string) => get<State>(id, '/test/state');
  const peer = async (id: string, of: string) => (await state(id)).peers.find((p) => p.memberId === of)!;
  const until = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe().catch(() => null);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  };
  // beta serves each entry bundle 300 ms late, so a pull of its log takes long enough to be cut off
  const startBeta = async () => procs.set('beta', await startNodeProcess('beta', join(root, 'beta'), rosterFile, ports.get('beta')!, { SERVE_DELAY_MS: '300' }));

  beforeAll(async () => {
    await ready();
    for (const id of ['alpha', 'beta', 'delta']) ports.set(id, await freePort());
    const members = ['alpha', 'beta', 'delta'].map((id) => rosterMember('e2eco', id, testNodeKeys(id), { baseUrl: url(id) }));
    writeFileSync(rosterFile, encodeRoster(testRoster('e2eco', members)));
    const [alpha, delta] = await Promise.all([
      startNodeProcess('alpha', join(root, 'alpha'), rosterFile, ports.get('alpha')!),
      startProcess('delta', ['delta', 'e2eco', String(ports.get('delta')), String(HONEST), String(FORK)], { script: forkPeer }),
      startBeta(),
    ]);
    procs.set('alpha', alpha);
    procs.set('delta', delta);
  }, 120_000);
  afterAll(async () => {
    for (const p of procs.values()) p.child.kill('SIGKILL');
    await Promise.all([...procs.values()].map((p) => p.exited()));
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('quarantines a peer whose served log forks, keeps the evidence, and applies nothing from the fork', async () => {
    const ids = await get<{ honest: string[]; fork: string[] }>('delta', '/test/ids');
    for (const id of ['alpha', 'beta']) await until(`${id} to apply delta's honest log`, async () => (await state(id)).held.delta?.count === HONEST);
    const before = await get<string>('alpha', '/test/evidence/delta');
    expect(before).toEqual([]);

    expect((await fetch(`${url('delta')}/test/fork`, { method: 'POST' })).status).toBe(200);
    for (const id of ['alpha', 'beta']) await until(`${id} to quarantine delta`, async () => (await peer(id, 'delta')).state === 'quarantined');

    const evidence = await get<{ kind: string; previous: string; offending: string; detail: string }[]>('alpha', '/test/evidence/delta');
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.kind).toBe('inconsistent');
    expect(evidence[0]!.previous).toMatch(new RegExp(`^e2eco/delta\\n${HONEST}\\n`));
    expect(evidence[0]!.offending).toMatch(new RegExp(`^e2eco/delta\\n${FORK}\\n`));
    const metrics = await (await fetch(`${url('alpha')}/metrics`)).text();
    expect(metrics).toMatch(/consortium_peer_misbehaviour_total\{peer="delta",kind="inconsistent"\} 1/);

    // a few more pull intervals: still quarantined, and exactly the honest history is held
    await sleep(1000);
    for (const id of ['alpha', 'beta']) {
      expect(await peer(id, 'delta')).toMatchObject({ state: 'quarantined', appliedSize: HONEST, verifiedSize: HONEST });
      const held = await get<string[]>(id, '/test/held/delta');
      expect(held).toEqual(ids.honest);
      expect(held.filter((x) => ids.fork.includes(x))).toEqual([]);
    }
  }, 60_000);

  it('survives a peer killed with SIGKILL in the middle of being pulled: nothing partial, then catch-up exactly once', async () => {
    const labels = Array.from({ length: BURST }, (_, i) => `cut-${i}`);
    const res = await fetch(`${url('beta')}/test/append`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: subjectValue('cut'), labels }) });
    expect(res.status).toBe(200);
    // alpha has seen beta's final checkpoint and is fetching its entries: kill beta now
    const seen = await until('alpha to start pulling the burst', async () => {
      const p = await peer('alpha', 'beta');
      return p.lag > 0 && p.appliedSize + p.lag === BURST ? p : null;
    });
    procs.get('beta')!.child.kill('SIGKILL');
    await procs.get('beta')!.exited();

    const cut = await until("alpha to notice beta's death", async () => {
      const s = await state('alpha');
      const p = s.peers.find((x) => x.memberId === 'beta')!;
      return p.state === 'unreachable' ? { p, held: s.held.beta ?? { count: 0, distinct: 0 } } : null;
    });
    expect(cut.p.lastError).toMatch(/^peer-(unreachable|timeout)/);
    // the round was not applied in part: the held rows are exactly the committed cursor
    expect(cut.p.appliedSize).toBeLessThan(BURST);
    expect(cut.p.appliedSize).toBeGreaterThanOrEqual(seen.appliedSize);
    expect(cut.held).toEqual({ count: cut.p.appliedSize, distinct: cut.p.appliedSize });

    await startBeta();
    const betaIds = (await state('beta')).ownIds;
    expect(betaIds).toHaveLength(BURST);
    await until('alpha to catch up with beta', async () => (await peer('alpha', 'beta')).appliedSize === BURST, 60_000);
    const final = await state('alpha');
    expect(final.held.beta).toEqual({ count: BURST, distinct: BURST });
    expect(await get<string[]>('alpha', '/test/held/beta')).toEqual(betaIds);
    expect(final.peers.find((p) => p.memberId === 'beta')).toMatchObject({ state: 'ok', verifiedSize: BURST, lag: 0 });
  }, 90_000);
});
