/**
 * Network benchmark (in-process members on in-memory PGlite, talking through `app.request`):
 * - publish: signals/s acknowledged by `log.append` with 32 concurrent publishers, each signing then
 *   appending one signal at a time; ratio against raw libsodium Ed25519 signing in the same run;
 * - catch-up: a member pulls, verifies (every leaf hash and signature) and applies a peer's log of
 *   BENCH_CATCHUP signals (default 100,000) in one `pullOnce`; ratio against raw Ed25519 verification
 *   on one thread in the same run (goal >= 60%). The peer is a real node process on 127.0.0.1 (a peer is
 *   another machine; BENCH_CATCHUP_PEER=inline serves it from the benchmark's own thread instead);
 * - lag: open-loop publishing at BENCH_LAG_RATE signals/s (default 200) for BENCH_LAG_SECONDS (default 15)
 *   at one member while both members run their background jobs with production-like cadences
 *   (BENCH_LAG_CHECKPOINT_MS, BENCH_LAG_PULL_MS, default 500 ms each); p50/p99 seconds from the append
 *   acknowledgement at the publisher to the signal being applied at the other member (its pull cursor,
 *   committed in the same transaction as the held rows, covers the signal's log index). There is no
 *   natural ratio baseline: the floor is the configured intervals, reported alongside.
 * BENCH_ONLY (comma-separated `publish`, `catchup`, `lag`) runs a subset.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers';
import { defaultVerifyThreads } from '../node/network/pull/puller';
import { buildSignalBody, encodeRoster, newSignalId, ready, signSignal, type SignedSignal } from '../protocol/index';
import { createTestConsortium } from '../test/support/network/harness';
import { rosterMember, seeded, subjectValue, testNodeKeys, testRoster } from '../test/support/network/fixtures';
import { freePort, startNodeProcess } from '../test/support/network/processes';

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

function rawRate(op: () => void, ms = 1500): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) op();
    n += 50;
  }
  return (n * 1000) / (performance.now() - start);
}

/**
 * The catch-up peer as a real node process (test/support/network/run-node.ts) on 127.0.0.1 holding a log of
 * `count` signals, so serving it does not run on the puller's thread (a peer is another machine).
 */
async function peerProcess(count: number): Promise<{ url: string; close: () => Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'bench-catchup-'));
  const rosterFile = join(root, 'roster.json');
  writeFileSync(rosterFile, encodeRoster(testRoster('testco', ['alpha', 'beta'].map((id) => rosterMember('testco', id, testNodeKeys(id))))));
  const port = await freePort();
  const proc = await startNodeProcess('alpha', join(root, 'alpha'), rosterFile, port);
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    proc.child.kill('SIGKILL');
    await proc.exited();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (let done = 0, batch = 0; done < count; batch++) {
      const n = Math.min(2000, count - done);
      const labels = Array.from({ length: n }, (_, i) => `bench-${done + i}`);
      const res = await fetch(`${url}/test/append`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: subjectValue(`b${batch % 50}`), labels }) });
      if (res.status !== 200) throw new Error(`peer append answered ${res.status}: ${await res.text()}`);
      done += n;
    }
    for (;;) {
      const head = (await (await fetch(`${url}/test/head`)).json()) as { checkpointSize: number };
      if (head.checkpointSize === count) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function makeSigner(memberId: string, secretKey: Uint8Array, kid: string) {
  let i = 0;
  return (): SignedSignal => {
    const n = i++;
    const body = buildSignalBody({
      type: 'repayment.overdue',
      id: newSignalId(() => seeded(`bench/${memberId}/${n}`, 16)),
      issuer: memberId,
      subject: { kid: 'k1', value: subjectValue(`b${n % 5000}`) },
      issuedAt: new Date('2026-10-01T00:00:00Z'),
      consent: `sha256:${'ab'.repeat(32)}`,
      data: { product: 'cash_loan', bucket: 'M2', amountBand: '1k-5k', asOf: '2026-09' },
    });
    return signSignal(body, { kid, secretKey });
  };
}

export default async function main(): Promise<void> {
  await sodium.ready;
  await ready();
  const msg = new TextEncoder().encode('x'.repeat(330));
  const kp = sodium.crypto_sign_keypair();
  const sig = sodium.crypto_sign_detached(msg, kp.privateKey);

  // BENCH_ONLY=publish,catchup,lag runs a subset (default: all three)
  const only = (process.env.BENCH_ONLY ?? 'publish,catchup,lag').split(',');

  // publish
  if (only.includes('publish')) {
    const net = await createTestConsortium(['alpha', 'beta'], { network: { checkpointIntervalMs: 1000 } });
    const a = net.member('alpha');
    a.network.start();
    const next = makeSigner('alpha', a.keys.signal.secretKey, a.keys.signal.kid);
    const total = Number(process.env.BENCH_PUBLISH ?? 8000);
    let done = 0;
    const signBefore = rawRate(() => sodium.crypto_sign_detached(msg, kp.privateKey));
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (done < total) {
          done++;
          await a.network.log.append([next()]);
        }
      }),
    );
    const publish = (total * 1000) / (performance.now() - t0);
    const rawSign = (signBefore + rawRate(() => sodium.crypto_sign_detached(msg, kp.privateKey))) / 2;
    console.log(`publish, 32 concurrent publishers (sign + durable append), ${fmt(total)} signals: ${fmt(publish)} signals/s = ${(publish / rawSign).toFixed(3)} x raw Ed25519 sign (${fmt(rawSign)}/s)`);
    await net.close();
  }

  // catch-up
  if (only.includes('catchup')) {
    const count = Number(process.env.BENCH_CATCHUP ?? 100_000);
    const peerMode = process.env.BENCH_CATCHUP_PEER === 'inline' ? 'inline' : 'process';
    const peer = peerMode === 'process' ? await peerProcess(count) : null;
    const net = await createTestConsortium(['alpha', 'beta'], { start: new Date() });
    // the child process checks peer tokens against real time: keep the shared clock on it
    const clockTimer = setInterval(() => net.clock.set(new Date()), 200);
    if (peer) {
      net.override('alpha', async (req) =>
        fetch(`${peer.url}${new URL(req.url).pathname}`, { method: req.method, headers: req.headers, ...(req.method === 'POST' ? { body: await req.text() } : {}) }),
      );
    } else {
      const a = net.member('alpha');
      const next = makeSigner('alpha', a.keys.signal.secretKey, a.keys.signal.kid);
      for (let done = 0; done < count; ) {
        const n = Math.min(4096, count - done);
        await a.network.log.append(Array.from({ length: n }, next));
        done += n;
      }
      await a.network.log.checkpointNow();
    }
    const verifyBefore = rawRate(() => sodium.crypto_sign_verify_detached(sig, msg, kp.publicKey));
    const t0 = performance.now();
    await net.member('beta').network.peers.pullOnce();
    const seconds = (performance.now() - t0) / 1000;
    const status = (await net.member('beta').network.peers.status())[0]!;
    // baseline measured right before and right after, averaged, so load from other processes hits both sides
    const rawVerify = (verifyBefore + rawRate(() => sodium.crypto_sign_verify_detached(sig, msg, kp.publicKey))) / 2;
    clearInterval(clockTimer);
    await net.close();
    await peer?.close();
    if (status.appliedSize !== count) throw new Error(`catch-up applied ${status.appliedSize} of ${count}: ${status.lastError}`);
    const rate = count / seconds;
    console.log(
      `catch-up of ${fmt(count)} signals from one peer (${peerMode === 'process' ? 'served by a child process over HTTP' : 'served in-process'}; fetch, verify hashes + signatures, apply; ${defaultVerifyThreads()} verify worker(s)): ${seconds.toFixed(1)} s, ${fmt(rate)} signals/s = ${(rate / rawVerify).toFixed(3)} x raw Ed25519 verify on one thread (${fmt(rawVerify)}/s; goal >= 0.6)`,
    );
  }

  // lag
  if (only.includes('lag')) {
    const rate = Number(process.env.BENCH_LAG_RATE ?? 200);
    const seconds = Number(process.env.BENCH_LAG_SECONDS ?? 15);
    const checkpointIntervalMs = Number(process.env.BENCH_LAG_CHECKPOINT_MS ?? 500);
    const intervalMs = Number(process.env.BENCH_LAG_PULL_MS ?? 500);
    const net = await createTestConsortium(['alpha', 'beta'], { network: { checkpointIntervalMs, pull: { intervalMs, maxBackoffMs: 5000 } } });
    // the shared test clock follows real time so the pull scheduler's intervals elapse
    const base = net.clock.now().getTime();
    const wall0 = performance.now();
    const clockTimer = setInterval(() => net.clock.set(new Date(base + (performance.now() - wall0))), 5);
    const a = net.member('alpha');
    const b = net.member('beta');
    const next = makeSigner('alpha', a.keys.signal.secretKey, a.keys.signal.kid);
    a.network.start();
    b.network.start();
    const ackAt: number[] = []; // by log index: publish acknowledgement time (ms)
    const seenAt: number[] = []; // by log index: first time the index was applied at beta (ms)
    const total = Math.round(rate * seconds);
    let sent = 0;
    let failed = 0;
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    // open loop: each tick issues the appends due by now, without waiting for earlier ones
    const publisher = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000));
      for (; sent < due; sent++) {
        pending.push(
          a.network.log.append([next()]).then(
            ([r]) => void (ackAt[r!.index] = performance.now()),
            () => void failed++,
          ),
        );
      }
    }, 5);
    let applied = 0;
    const deadline = t0 + seconds * 1000 + 30_000;
    while (applied < total && performance.now() < deadline) {
      const size = (await b.network.peers.status()).find((p) => p.memberId === 'alpha')?.appliedSize ?? 0;
      const at = performance.now();
      for (; applied < size; applied++) seenAt[applied] = at;
      await new Promise((r) => setTimeout(r, 5));
    }
    clearInterval(publisher);
    await Promise.all(pending);
    const publishSeconds = (Math.max(...ackAt.filter((x) => x !== undefined)) - t0) / 1000;
    clearInterval(clockTimer);
    await net.close();
    if (failed > 0 || applied < total) throw new Error(`lag: ${failed} appends failed, ${applied} of ${total} applied at the other member`);
    const lags = ackAt.map((ack, i) => (seenAt[i]! - ack) / 1000).sort((x, y) => x - y);
    console.log(
      `lag at ${fmt(total / publishSeconds)} signals/s published (target ${rate}/s, ${fmt(total)} signals over ${publishSeconds.toFixed(1)} s), acknowledgement at one member -> applied at the other: p50 ${quantile(lags, 0.5).toFixed(3)} s, p99 ${quantile(lags, 0.99).toFixed(3)} s, max ${lags[lags.length - 1]!.toFixed(3)} s (checkpoint interval ${checkpointIntervalMs} ms + pull interval ${intervalMs} ms: floor ~${((checkpointIntervalMs + intervalMs) / 2000).toFixed(2)} s average, ${((checkpointIntervalMs + intervalMs) / 1000).toFixed(2)} s worst case)`,
    );
  }
}
