/**
 * Network benchmark (in-process members on in-memory PGlite, talking through `app.request`):
 * - publish: signals/s acknowledged by `log.append` with 32 concurrent publishers, each signing then
 *   appending one signal at a time; ratio against raw libsodium Ed25519 signing in the same run;
 * - catch-up: a member pulls, verifies (every leaf hash and signature) and applies a peer's log of
 *   BENCH_CATCHUP signals (default 100,000) in one `pullOnce`; ratio against raw Ed25519 verification
 *   in the same run (goal >= 60%).
 */
import sodium from 'libsodium-wrappers';
import { buildSignalBody, newSignalId, signSignal, type SignedSignal } from '../protocol/index';
import { createTestConsortium } from '../test/support/network/harness';
import { seeded, subjectValue } from '../test/support/network/fixtures';

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
  const msg = new TextEncoder().encode('x'.repeat(330));
  const kp = sodium.crypto_sign_keypair();
  const sig = sodium.crypto_sign_detached(msg, kp.privateKey);

  // publish
  {
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
  {
    const count = Number(process.env.BENCH_CATCHUP ?? 100_000);
    const net = await createTestConsortium(['alpha', 'beta']);
    const a = net.member('alpha');
    const next = makeSigner('alpha', a.keys.signal.secretKey, a.keys.signal.kid);
    for (let done = 0; done < count; ) {
      const n = Math.min(4096, count - done);
      await a.network.log.append(Array.from({ length: n }, next));
      done += n;
    }
    await a.network.log.checkpointNow();
    const verifyBefore = rawRate(() => sodium.crypto_sign_verify_detached(sig, msg, kp.publicKey));
    const t0 = performance.now();
    await net.member('beta').network.peers.pullOnce();
    const seconds = (performance.now() - t0) / 1000;
    const status = (await net.member('beta').network.peers.status())[0]!;
    if (status.appliedSize !== count) throw new Error(`catch-up applied ${status.appliedSize} of ${count}: ${status.lastError}`);
    const rate = count / seconds;
    // baseline measured right before and right after, averaged, so load from other processes hits both sides
    const rawVerify = (verifyBefore + rawRate(() => sodium.crypto_sign_verify_detached(sig, msg, kp.publicKey))) / 2;
    console.log(
      `catch-up of ${fmt(count)} signals from one peer (fetch, verify hashes + signatures, apply): ${seconds.toFixed(1)} s, ${fmt(rate)} signals/s = ${(rate / rawVerify).toFixed(3)} x raw Ed25519 verify (${fmt(rawVerify)}/s; goal >= 0.6)`,
    );
    await net.close();
  }
}
