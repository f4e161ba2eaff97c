import {
  bytesEqual,
  bundlesForRange,
  checkSignalEntry,
  decodeEntryBundle,
  frontierAppend,
  frontierRoot,
  isProtocolError,
  leafHash,
  MAX_SIGNAL_ENTRY_BYTES,
  memberLogVerifierKeys,
  openCheckpoint,
  tilePath,
  type Frontier,
  type OpenedCheckpoint,
  type RosterMember,
  type SignalKeyLookup,
} from '../../../protocol';
import type { HeldInput } from '../store/held';
import type { PeerClient } from './client';

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

/** Entries fetched for `[from, to)` with their leaf hashes. */
export interface FetchedRange {
  entries: Uint8Array[];
  leaves: Uint8Array[];
}

/** Largest entry bundle accepted (256 entries of the largest signal entry, with length prefixes). */
export const MAX_BUNDLE_BYTES = 256 * (2 + MAX_SIGNAL_ENTRY_BYTES);

/**
 * Fetches the entry bundles for `[from, to)` (C2SP tlog-tiles "Log entries"), at most `concurrency`
 * at a time; bundles must hold exactly the width the checkpoint size implies. Throws `PeerFetchError`
 * or `ProtocolError` (`BUNDLE_MALFORMED`).
 */
export async function fetchRange(client: PeerClient, member: RosterMember, from: number, to: number, concurrency: number): Promise<FetchedRange> {
  const plan = bundlesForRange(from, to);
  const got: Uint8Array[][] = new Array(plan.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < plan.length) {
      const i = next++;
      const b = plan[i]!;
      const bytes = await client.get(member, `/peer/v1/log/${tilePath(b)}`, MAX_BUNDLE_BYTES);
      if (!bytes) throw new Error(`${member.id}: entry bundle ${tilePath(b)} is missing below the checkpoint size`);
      got[i] = decodeEntryBundle(bytes, b.width).slice(b.skip);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
  const entries = got.flat();
  return { entries, leaves: entries.map(leafHash) };
}

/** True when the fetched leaves extend the verified frontier to exactly the checkpoint's tree. */
export function extendsTo(frontier: Frontier, leaves: Uint8Array[], cp: { size: number; rootHash: Uint8Array }): { ok: boolean; frontier: Frontier } {
  const next = frontierAppend(frontier, leaves);
  return { ok: next.size === cp.size && bytesEqual(frontierRoot(next), cp.rootHash), frontier: next };
}

/** Entries that verified (to apply) and the rejected ones by code. */
export interface CheckedEntries {
  held: HeldInput[];
  rejected: { logIndex: number; code: string }[];
}

/**
 * Verifies every entry's signal (docs/protocol.md §3.7): canonical form, schema, issuer = the peer,
 * roster signal key valid at `issuedAt`, Ed25519 signature. Expiry is not checked here (expired
 * signals are held but never served). Rejected entries are returned with their protocol code.
 */
export function checkEntries(entries: Uint8Array[], firstIndex: number, issuer: string, keys: SignalKeyLookup, now: Date): CheckedEntries {
  const held: HeldInput[] = [];
  const rejected: { logIndex: number; code: string }[] = [];
  entries.forEach((entry, i) => {
    const r = checkSignalEntry(entry, { keys, now, expectedIssuer: issuer, checkExpiry: false });
    if (r.ok) held.push({ logIndex: firstIndex + i, signed: r.signed, entry });
    else rejected.push({ logIndex: firstIndex + i, code: `entry-${r.error.code.toLowerCase().replace(/_/g, '-')}` });
  });
  return { held, rejected };
}

