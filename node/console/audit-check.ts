import { isProtocolError, leafHash, verifyTlogProof } from '../../protocol';
import type { AuditEntryProof, AuditLog } from '../audit/log';

/** The console's own check of one audit entry: signature of the checkpoint and the inclusion proof. */
export interface AuditEntryCheck {
  proof: AuditEntryProof;
  /** Hex SHA-256 leaf hash recomputed from the entry bytes shown. */
  leafHex: string;
  rootHex: string;
  ok: boolean;
  /** What failed, when `ok` is false (the protocol error code and message). */
  failure: string | null;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * Re-verifies an audit entry the way an outside verifier would (issue 9 §1, c2sp.org/tlog-proof): the leaf hash
 * is recomputed from the entry's bytes, the checkpoint's signature is checked with the audit verifier key for the
 * audit origin, and the inclusion proof is checked against the checkpoint's root. Null when there is no such entry.
 */
export async function checkAuditEntry(log: Pick<AuditLog, 'entryWithProof' | 'origin' | 'verifierKey'>, index: number): Promise<AuditEntryCheck | null> {
  const proof = await log.entryWithProof(index);
  if (!proof) return null;
  const leaf = leafHash(new TextEncoder().encode(proof.entry));
  try {
    const cp = verifyTlogProof(proof.tlogProof, leaf, { logKeys: [log.verifierKey], origin: log.origin });
    const ok = cp.index === index;
    return { proof, leafHex: hex(leaf), rootHex: hex(cp.rootHash), ok, failure: ok ? null : `the proof is for entry ${cp.index}, not ${index}` };
  } catch (err) {
    if (!isProtocolError(err)) throw err;
    return { proof, leafHex: hex(leaf), rootHex: hex(proof.checkpoint.rootHash), ok: false, failure: `${err.code}: ${err.message}` };
  }
}
