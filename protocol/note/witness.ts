/**
 * C2SP tlog-witness `add-checkpoint` (c2sp.org/tlog-witness "add-checkpoint"): request body
 * format, and the witness's decision as a pure function returning an outcome (with the HTTP status
 * the spec assigns) instead of throwing. The caller persists the new state atomically and cosigns.
 */
import { ProtocolError } from '../errors';
import { fromBase64, toBase64 } from '../crypto/base64';
import { EMPTY_TREE_HASH, HASH_SIZE, bytesEqual } from '../merkle/hash';
import { verifyConsistency } from '../merkle/verify';
import { openCheckpoint, parseCheckpoint, type OpenedCheckpoint } from './checkpoint';
import { parseNote } from './note';
import type { NoteVerifier } from './keys';

/** Most consistency proof lines a request may carry. */
export const MAX_WITNESS_PROOF_LINES = 63;

/** A parsed add-checkpoint request. */
export interface AddCheckpointRequest {
  oldSize: number;
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  checkpoint: string;
}

/** Formats an add-checkpoint request body: `old <n>\n`, proof lines, empty line, checkpoint. */
export function formatAddCheckpoint(req: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(req.oldSize) || req.oldSize < 0) throw new ProtocolError('CHECKPOINT_MALFORMED', 'old size must be a non-negative integer');
  if (req.proof.length > MAX_WITNESS_PROOF_LINES || req.proof.some((h) => h.length !== HASH_SIZE)) {
    throw new ProtocolError('CHECKPOINT_MALFORMED', 'at most 63 proof hashes of 32 bytes');
  }
  return `old ${req.oldSize}\n${req.proof.map((h) => `${toBase64(h)}\n`).join('')}\n${req.checkpoint}`;
}

/** Parses an add-checkpoint request body; throws `CHECKPOINT_MALFORMED` (HTTP 400). */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const sep = typeof body === 'string' ? body.indexOf('\n\n') : -1;
  if (sep < 0) throw new ProtocolError('CHECKPOINT_MALFORMED', 'request needs an empty line before the checkpoint');
  const lines = body.slice(0, sep).split('\n');
  const m = /^old (0|[1-9]\d{0,15})$/.exec(lines.shift() ?? '');
  if (!m || !Number.isSafeInteger(Number(m[1]))) throw new ProtocolError('CHECKPOINT_MALFORMED', 'malformed old size line');
  if (lines.length > MAX_WITNESS_PROOF_LINES) throw new ProtocolError('CHECKPOINT_MALFORMED', 'more than 63 proof lines');
  const proof = lines.map((l) => {
    const h = fromBase64(l, 'CHECKPOINT_MALFORMED');
    if (h.length !== HASH_SIZE) throw new ProtocolError('CHECKPOINT_MALFORMED', 'proof hashes must be 32 bytes');
    return h;
  });
  return { oldSize: Number(m[1]), proof, checkpoint: body.slice(sep + 2) };
}

/** The witness's record of the latest checkpoint it cosigned for an origin. */
export interface WitnessState {
  size: number;
  rootHash: Uint8Array;
}

/** Outcome of {@link evaluateAddCheckpoint}, with the HTTP status c2sp.org/tlog-witness assigns. */
export type AddCheckpointOutcome =
  | { ok: true; status: 200; checkpoint: OpenedCheckpoint }
  | { ok: false; status: 400 | 403 | 404 | 422; reason: string }
  | { ok: false; status: 409; reason: string; latestSize: number };

/**
 * Decides an add-checkpoint request. `logKeys(origin)` returns the trusted log keys of a known
 * origin (undefined = unknown origin); `state` is the latest cosigned checkpoint (undefined = none).
 * On `ok`, the caller atomically stores `{size, rootHash}` (only if `state` is unchanged) and
 * returns cosignature lines made with `cosignatureSigner` over `checkpoint.text`.
 */
export function evaluateAddCheckpoint(
  body: string,
  logKeys: (origin: string) => (string | NoteVerifier)[] | undefined,
  state: WitnessState | undefined,
): AddCheckpointOutcome {
  let req: AddCheckpointRequest;
  let origin: string;
  try {
    req = parseAddCheckpoint(body);
    origin = parseCheckpoint(parseNote(req.checkpoint).text).origin;
  } catch (err) {
    if (err instanceof ProtocolError) return { ok: false, status: 400, reason: err.message };
    throw err;
  }
  const keys = logKeys(origin);
  if (!keys) return { ok: false, status: 404, reason: 'unknown origin' };
  let cp: OpenedCheckpoint;
  try {
    cp = openCheckpoint(req.checkpoint, { logKeys: keys, origin });
  } catch (err) {
    if (err instanceof ProtocolError) return { ok: false, status: 403, reason: err.message };
    throw err;
  }
  if (req.oldSize > cp.size) return { ok: false, status: 400, reason: 'old size above checkpoint size' };
  const latest = state?.size ?? 0;
  if (req.oldSize !== latest) return { ok: false, status: 409, reason: 'old size is not the latest cosigned size', latestSize: latest };
  if (cp.size === 0 && !bytesEqual(cp.rootHash, EMPTY_TREE_HASH)) return { ok: false, status: 422, reason: 'empty tree with a non-empty root' };
  if (req.oldSize === 0) {
    return req.proof.length === 0 ? { ok: true, status: 200, checkpoint: cp } : { ok: false, status: 422, reason: 'proof must be empty from size 0' };
  }
  if (!verifyConsistency(req.oldSize, cp.size, req.proof, state!.rootHash, cp.rootHash)) {
    return { ok: false, status: 422, reason: 'consistency proof does not verify' };
  }
  return { ok: true, status: 200, checkpoint: cp };
}
