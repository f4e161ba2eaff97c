/**
 * A pool of worker threads that verify Ed25519 signatures (libsodium, the same primitive as
 * `protocol/crypto/ed25519`), so a catch-up of a large peer log checks signatures on other cores while
 * the main thread fetches, decodes, hashes and writes. Workers start on first use and stop after an
 * idle period; they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import { ed25519Verify, type SignatureCheck } from '../../../protocol';

/** Dependencies of {@link createSignatureVerifier}. */
export interface SignatureVerifierDeps {
  /** Worker threads; 0 verifies on the calling thread (no workers). */
  threads: number;
  /** Workers are stopped after this long without work (default 5000 ms). */
  idleMs?: number;
}

/** Verifies batches of Ed25519 signature checks. */
export interface SignatureVerifier {
  /** One boolean per check, in order (false for any malformed input). Rejects if a worker fails. */
  verify(checks: SignatureCheck[]): Promise<boolean[]>;
  /** Stops the workers (a later `verify` starts them again). */
  close(): Promise<void>;
}

/** Most worker threads a pool may use. */
export const MAX_VERIFY_THREADS = 16;

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, { resolve: (r: Uint8Array) => void; reject: (e: Error) => void }>;
}

/** Packs checks as `[u32 length][signature 64][public key 32][message]` (see worker.mjs). */
function pack(checks: SignatureCheck[]): ArrayBuffer {
  let total = 0;
  for (const c of checks) total += 100 + c.message.length;
  const buffer = new ArrayBuffer(total);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  let o = 0;
  for (const c of checks) {
    view.setUint32(o, c.message.length);
    bytes.set(c.signature, o + 4);
    bytes.set(c.publicKey, o + 68);
    bytes.set(c.message, o + 100);
    o += 100 + c.message.length;
  }
  return buffer;
}

/**
 * Builds a {@link SignatureVerifier}. Checks whose signature is not 64 bytes or whose key is not 32
 * bytes are false without reaching a worker; a batch is sent to the worker with the fewest pending jobs.
 */
export function createSignatureVerifier(deps: SignatureVerifierDeps): SignatureVerifier {
  if (!Number.isInteger(deps.threads) || deps.threads < 0 || deps.threads > MAX_VERIFY_THREADS) {
    throw new RangeError(`threads must be an integer in 0..${MAX_VERIFY_THREADS}`);
  }
  const idleMs = deps.idleMs ?? 5000;
  const slots: Slot[] = [];
  let nextId = 0;
  let idleTimer: NodeJS.Timeout | null = null;

  function spawn(): Slot {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { execArgv: [] });
    worker.unref();
    const pending = new Map<number, { resolve: (r: Uint8Array) => void; reject: (e: Error) => void }>();
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, pending };
    const fail = (err: Error) => {
      failReady(err);
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('message', (m: { ready?: true; id?: number; result?: Uint8Array }) => {
      if (m.ready) return markReady();
      const p = pending.get(m.id!);
      if (!p) return;
      pending.delete(m.id!);
      p.resolve(m.result!);
      if (pending.size === 0) scheduleIdle();
    });
    worker.on('error', (err) => fail(err));
    worker.on('exit', (code) => fail(new Error(`signature worker exited (${code})`)));
    slots.push(slot);
    return slot;
  }

  function scheduleIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (slots.every((s) => s.pending.size === 0)) void terminateAll();
    }, idleMs);
    idleTimer.unref();
  }

  async function terminateAll(): Promise<void> {
    const all = slots.splice(0);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }

  function pick(): Slot {
    if (slots.length < deps.threads) return spawn();
    return slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
  }

  async function remote(checks: SignatureCheck[]): Promise<Uint8Array> {
    const slot = pick();
    await slot.ready;
    const id = nextId++;
    const buffer = pack(checks);
    return new Promise<Uint8Array>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (idleTimer) clearTimeout(idleTimer);
      slot.worker.postMessage({ id, buffer, count: checks.length }, [buffer]);
    });
  }

  return {
    async verify(checks) {
      const out = new Array<boolean>(checks.length).fill(false);
      const wellFormed: number[] = [];
      checks.forEach((c, i) => {
        if (c.signature.length === 64 && c.publicKey.length === 32) wellFormed.push(i);
      });
      if (wellFormed.length === 0) return out;
      if (deps.threads === 0) {
        for (const i of wellFormed) out[i] = ed25519Verify(checks[i]!.signature, checks[i]!.message, checks[i]!.publicKey);
        return out;
      }
      const result = await remote(wellFormed.map((i) => checks[i]!));
      wellFormed.forEach((i, k) => (out[i] = result[k] === 1));
      return out;
    },
    async close() {
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = null;
      await terminateAll();
    },
  };
}
