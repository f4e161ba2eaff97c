/**
 * Ed25519 verification worker of the signature pool (node/network/verify/pool.ts). Plain JavaScript so it
 * loads the same way under tsx, vitest and plain Node. Each job is one packed ArrayBuffer of
 * `count` items, each `[u32 message length][64-byte signature][32-byte public key][message]`; the
 * answer is one byte per item (1 = valid), transferred back.
 */
import { parentPort } from 'node:worker_threads';
import sodium from 'libsodium-wrappers';

await sodium.ready;
const port = parentPort;
if (!port) throw new Error('worker.mjs must run as a worker thread');

port.on('message', (job) => {
  const { id, buffer, count } = job;
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  const out = new Uint8Array(count);
  let o = 0;
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(o);
    const sig = bytes.subarray(o + 4, o + 68);
    const pk = bytes.subarray(o + 68, o + 100);
    const msg = bytes.subarray(o + 100, o + 100 + len);
    let ok = false;
    try {
      ok = sodium.crypto_sign_verify_detached(sig, msg, pk);
    } catch {
      ok = false;
    }
    out[i] = ok ? 1 : 0;
    o += 100 + len;
  }
  port.postMessage({ id, result: out }, [out.buffer]);
});
port.postMessage({ ready: true });
