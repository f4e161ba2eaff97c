import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRoster, ready } from '../../../protocol';
import { createPeerTokenIssuer } from '../../../node/network/http/tokens';
import { rosterMember, seededRandom, subjectValue, testNodeKeys, testRoster } from '../../support/network/fixtures';
import { freePort } from '../../support/network/processes';

const runner = join(import.meta.dirname, '..', '..', 'support', 'network', 'run-node.ts');
const ids = ['alpha', 'beta', 'gamma'];

interface Proc {
  child: ChildProcess;
  output: () => string;
}

function startNode(id: string, dir: string, rosterFile: string, port: number): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', runner, id, dir, rosterFile, String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'error' } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${id} did not start:\n${out}`)), 90_000);
    child.stdout!.on('data', () => {
      if (out.includes('listening')) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`${id} exited (${code}):\n${out}`)));
  });
}

interface State {
  held: Record<string, { count: number; distinct: number }>;
  ownIds: string[];
  peers: { memberId: string; state: string; appliedSize: number }[];
}

describe('three real nodes: replication, crashes, replay', () => {
  const root = mkdtempSync(join(tmpdir(), 'network-e2e-'));
  const ports = new Map<string, number>();
  const procs = new Map<string, Proc>();
  const rosterFile = join(root, 'roster.json');
  const url = (id: string) => `http://127.0.0.1:${ports.get(id)}`;
  const start = async (id: string) => procs.set(id, await startNode(id, join(root, id), rosterFile, ports.get(id)!));
  const state = async (id: string): Promise<State> => (await fetch(`${url(id)}/test/state`)).json() as Promise<State>;
  const append = async (id: string, subject: string, labels: string[]) => {
    const res = await fetch(`${url(id)}/test/append`, { method: 'POST', body: JSON.stringify({ subject: subjectValue(subject), labels }), headers: { 'content-type': 'application/json' } });
    if (res.status !== 200) throw new Error(`append at ${id}: ${res.status}`);
    return (await res.json()) as { index: number; id: string }[];
  };
  const converged = async (want: Record<string, number>, ms = 30_000) => {
    const until = Date.now() + ms;
    let last: Record<string, State> = {};
    while (Date.now() < until) {
      last = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await state(id)] as const)));
      if (ids.every((id) => Object.entries(want).every(([issuer, n]) => last[id]!.held[issuer]?.count === n))) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no convergence on ${JSON.stringify(want)}: ${JSON.stringify(Object.fromEntries(Object.entries(last).map(([k, v]) => [k, v.held])))}`);
  };

  beforeAll(async () => {
    await ready();
    for (const id of ids) ports.set(id, await freePort());
    const roster = testRoster('e2eco', ids.map((id) => rosterMember('e2eco', id, testNodeKeys(id), { baseUrl: `http://127.0.0.1:${ports.get(id)}` })));
    writeFileSync(rosterFile, encodeRoster(roster));
    await Promise.all(ids.map(start));
  }, 120_000);
  afterAll(async () => {
    for (const p of procs.values()) p.child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('replicates every member log to every other member', async () => {
    await Promise.all(ids.map((id) => Promise.all([0, 1, 2, 3].map((b) => append(id, `s-${id}`, Array.from({ length: 10 }, (_, i) => `${id}-${b}-${i}`))))));
    const s = await converged({ alpha: 40, beta: 40, gamma: 40 });
    for (const id of ids) for (const issuer of ids) expect(s[id]!.held[issuer]).toEqual({ count: 40, distinct: 40 });
  }, 60_000);

  it('loses no acknowledged signal and applies nothing twice when a publisher and a puller are killed with SIGKILL', async () => {
    // beta is killed while appends are in flight; gamma is killed while it pulls alpha's burst
    const acknowledged: string[] = [];
    const burst = Promise.all(
      Array.from({ length: 30 }, (_, b) =>
        append('beta', 'crash', Array.from({ length: 10 }, (_, i) => `beta-crash-${b}-${i}`)).then((r) => acknowledged.push(...r.map((x) => x.id)), () => undefined),
      ),
    );
    const alphaBurst = append('alpha', 'burst', Array.from({ length: 1500 }, (_, i) => `alpha-burst-${i}`));
    await new Promise((r) => setTimeout(r, 150));
    procs.get('beta')!.child.kill('SIGKILL');
    await alphaBurst;
    await new Promise((r) => setTimeout(r, 400));
    procs.get('gamma')!.child.kill('SIGKILL');
    await burst;
    await Promise.all([start('beta'), start('gamma')]);

    const ownIds = (await state('beta')).ownIds;
    const betaIds = new Set(ownIds);
    // every acknowledged signal is in the log, and every logged signal exactly once
    expect(betaIds.size).toBe(ownIds.length);
    for (const id of acknowledged) expect(betaIds.has(id)).toBe(true);
    const betaSize = betaIds.size;
    const s = await converged({ alpha: 1540, beta: betaSize, gamma: 40 }, 60_000);
    for (const id of ids) {
      for (const issuer of ids) expect(s[id]!.held[issuer]!.count).toBe(s[id]!.held[issuer]!.distinct);
      for (const p of s[id]!.peers) expect(p.state).toMatch(/^(ok|lagging)$/);
    }
  }, 180_000);

  it('rejects a replayed peer request', async () => {
    const tokens = createPeerTokenIssuer({ memberId: 'beta', nodeKey: testNodeKeys('beta').node, now: () => new Date(), random: seededRandom(`replay-${Date.now()}`) });
    const auth = { authorization: `Bearer ${await tokens.issue('alpha')}` };
    const first = await fetch(`${url('alpha')}/peer/v1/log/checkpoint`, { headers: auth });
    expect(first.status).toBe(200);
    expect(await first.text()).toMatch(/^e2eco\/alpha\n\d+\n/);
    const replay = await fetch(`${url('alpha')}/peer/v1/log/checkpoint`, { headers: auth });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toBe('application/problem+json');
  });
});
