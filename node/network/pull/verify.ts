import {
  bytesEqual,
  frontierAppend,
  frontierRoot,
  isProtocolError,
  MAX_SIGNAL_ENTRY_BYTES,
  memberLogVerifierKeys,
  openCheckpoint,
  type Frontier,
  type OpenedCheckpoint,
  type RosterMember,
} from '../../../protocol';

/** Misbehaviour kinds (label of `consortium_peer_misbehaviour_total`). */
export type MisbehaviourKind = 'fork' | 'shrink' | 'inconsistent' | 'bad-signature';

/** Outcome of checking a fetched checkpoint against the last verified one. */
export type CheckpointVerdict =
  | { ok: true; checkpoint: OpenedCheckpoint }
  | { ok: false; misbehaviour: MisbehaviourKind; detail: string }
  | { ok: false; misbehaviour?: undefined; code: string; detail: string };

/**
 * Verifies a peer's checkpoint note (C2SP tlog-checkpoint): signature by one of the member's roster
 * log keys with key name = its origin; a known key whose signature fails is misbehaviour. Then
 * compares with the last verified state: a smaller size is a shrink, the same size with another root
 * a fork.
 */
export function judgeCheckpoint(note: string, member: RosterMember, now: Date, last: { size: number; rootHash: Uint8Array | null }): CheckpointVerdict {
  let cp: OpenedCheckpoint;
  try {
    cp = openCheckpoint(note, { logKeys: memberLogVerifierKeys(member, now), origin: member.log.origin });
  } catch (err) {
    if (!isProtocolError(err)) throw err;
    if (err.code === 'NOTE_BAD_SIGNATURE') return { ok: false, misbehaviour: 'bad-signature', detail: err.message };
    return { ok: false, code: `checkpoint-${err.code.toLowerCase().replace(/_/g, '-')}`, detail: err.message };
  }
  if (cp.size < last.size) return { ok: false, misbehaviour: 'shrink', detail: `checkpoint size ${cp.size} below verified size ${last.size}` };
  if (cp.size === last.size && last.rootHash && !bytesEqual(cp.rootHash, last.rootHash)) {
    return { ok: false, misbehaviour: 'fork', detail: `checkpoint at verified size ${cp.size} has a different root hash` };
  }
  return { ok: true, checkpoint: cp };
}

/** Largest entry bundle accepted (256 entries of the largest signal entry, with length prefixes). */
export const MAX_BUNDLE_BYTES = 256 * (2 + MAX_SIGNAL_ENTRY_BYTES);

/** True when the fetched leaves extend the verified frontier to exactly the checkpoint's tree. */
export function extendsTo(frontier: Frontier, leaves: Uint8Array[], cp: { size: number; rootHash: Uint8Array }): { ok: boolean; frontier: Frontier } {
  const next = frontierAppend(frontier, leaves);
  return { ok: next.size === cp.size && bytesEqual(frontierRoot(next), cp.rootHash), frontier: next };
}
