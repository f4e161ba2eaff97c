/**
 * C2SP tlog-proof (c2sp.org/tlog-proof "Format", "Verifying a tlog proof"): an offline-verifiable
 * proof that an entry is in a log, made of an inclusion proof and the (co)signed checkpoint. Nodes
 * can hand these out as receipts for published signals.
 */
import { ProtocolError } from '../errors';
import { fromBase64, toBase64 } from '../crypto/base64';
import { HASH_SIZE } from '../merkle/hash';
import { verifyInclusion } from '../merkle/verify';
import { openCheckpoint, type OpenedCheckpoint } from './checkpoint';
import type { NoteVerifier } from './keys';

/** First line of a tlog proof. */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
/** Most inclusion proof lines accepted (a 2^63-leaf tree needs 63). */
export const MAX_TLOG_PROOF_HASHES = 63;

/** A parsed tlog proof. */
export interface TlogProof {
  extra?: Uint8Array;
  index: number;
  proof: Uint8Array[];
  /** The signed checkpoint note, verbatim. */
  checkpoint: string;
}

/** Formats a tlog proof. */
export function formatTlogProof(p: TlogProof): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0) throw new ProtocolError('CHECKPOINT_MALFORMED', 'index must be a non-negative integer');
  if (p.proof.length > MAX_TLOG_PROOF_HASHES || p.proof.some((h) => h.length !== HASH_SIZE)) {
    throw new ProtocolError('CHECKPOINT_MALFORMED', 'proof must be at most 63 hashes of 32 bytes');
  }
  const lines = [TLOG_PROOF_HEADER];
  if (p.extra !== undefined) lines.push(`extra ${toBase64(p.extra)}`);
  lines.push(`index ${p.index}`, ...p.proof.map(toBase64));
  return `${lines.join('\n')}\n\n${p.checkpoint}`;
}

/** Parses a tlog proof (does not verify it); throws `CHECKPOINT_MALFORMED`. */
export function parseTlogProof(text: string): TlogProof {
  const sep = typeof text === 'string' ? text.indexOf('\n\n') : -1;
  if (sep < 0) throw new ProtocolError('CHECKPOINT_MALFORMED', 'tlog proof needs a blank line before the checkpoint');
  const lines = text.slice(0, sep).split('\n');
  if (lines.shift() !== TLOG_PROOF_HEADER) throw new ProtocolError('CHECKPOINT_MALFORMED', `first line must be ${TLOG_PROOF_HEADER}`);
  let extra: Uint8Array | undefined;
  if (lines[0]?.startsWith('extra ')) extra = fromBase64(lines.shift()!.slice(6), 'CHECKPOINT_MALFORMED');
  const m = /^index (0|[1-9]\d{0,15})$/.exec(lines.shift() ?? '');
  if (!m || !Number.isSafeInteger(Number(m[1]))) throw new ProtocolError('CHECKPOINT_MALFORMED', 'missing or malformed index line');
  if (lines.length > MAX_TLOG_PROOF_HASHES) throw new ProtocolError('CHECKPOINT_MALFORMED', 'too many proof lines');
  const proof = lines.map((l) => {
    const h = fromBase64(l, 'CHECKPOINT_MALFORMED');
    if (h.length !== HASH_SIZE) throw new ProtocolError('CHECKPOINT_MALFORMED', 'proof hashes must be 32 bytes');
    return h;
  });
  const out: TlogProof = { index: Number(m[1]), proof, checkpoint: text.slice(sep + 2) };
  return extra === undefined ? out : { ...out, extra };
}

/** Options of {@link verifyTlogProof}. */
export interface VerifyTlogProofOptions {
  /** The log's verifier keys (name = origin). */
  logKeys: (string | NoteVerifier)[];
  /** The origin the verifier accepts. */
  origin: string;
  /** Known witness (cosigner) keys. */
  witnessKeys?: (string | NoteVerifier)[];
  /** How many distinct known witnesses must have cosigned (default 0). */
  minWitnesses?: number;
}

/**
 * Verifies a tlog proof for the entry whose RFC 6962 leaf hash is `leaf` (c2sp.org/tlog-proof
 * "Verifying a tlog proof"): checkpoint origin and log signature, witness quorum, inclusion proof.
 * Returns the opened checkpoint; throws `NOTE_*`, `CHECKPOINT_MALFORMED` or `MERKLE_RANGE`.
 */
export function verifyTlogProof(text: string, leaf: Uint8Array, opts: VerifyTlogProofOptions): OpenedCheckpoint & { index: number } {
  const p = parseTlogProof(text);
  const cp = openCheckpoint(p.checkpoint, { logKeys: opts.logKeys, otherKeys: opts.witnessKeys ?? [], origin: opts.origin });
  const witnesses = new Set(cp.signatures.filter((s) => s.name !== cp.origin).map((s) => `${s.name}\n${s.keyId}`));
  if (witnesses.size < (opts.minWitnesses ?? 0)) {
    throw new ProtocolError('NOTE_NO_VERIFIED_SIGNATURE', `only ${witnesses.size} known witnesses cosigned, need ${opts.minWitnesses}`);
  }
  if (!verifyInclusion(leaf, p.index, cp.size, p.proof, cp.rootHash)) {
    throw new ProtocolError('MERKLE_RANGE', 'inclusion proof does not match the checkpoint');
  }
  return { ...cp, index: p.index };
}
