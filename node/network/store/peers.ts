import { asc, eq, lt } from 'drizzle-orm';
import { HASH_SIZE, type Frontier } from '../../../protocol';
import { peerEvidence, peerState, peerTokenIds } from '../../store/schema';
import type { Executor } from './executor';

/** Replication state of one peer (see the `peer_state` table). */
export interface PeerRecord {
  memberId: string;
  checkpoint: string | null;
  verifiedSize: number;
  rootHash: Uint8Array | null;
  frontier: Frontier;
  appliedSize: number;
  seenSize: number;
  state: 'ok' | 'unreachable' | 'quarantined';
  lastError: string | null;
  attempts: number;
  verifiedAt: Date | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
}

function packFrontier(hashes: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(hashes.length * HASH_SIZE);
  hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}

function unpackFrontier(size: number, bytes: Uint8Array): Frontier {
  const hashes: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; o += HASH_SIZE) hashes.push(bytes.slice(o, o + HASH_SIZE));
  return { size, hashes };
}

/** A peer's state before its first pull. */
export function initialPeer(memberId: string): PeerRecord {
  return {
    memberId,
    checkpoint: null,
    verifiedSize: 0,
    rootHash: null,
    frontier: { size: 0, hashes: [] },
    appliedSize: 0,
    seenSize: 0,
    state: 'ok',
    lastError: null,
    attempts: 0,
    verifiedAt: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
  };
}

/** Reads one peer's state, or undefined before the first pull. */
export async function getPeer(db: Executor, memberId: string): Promise<PeerRecord | undefined> {
  const rows = await db.select().from(peerState).where(eq(peerState.memberId, memberId));
  const r = rows[0];
  if (!r) return undefined;
  const { frontier, ...rest } = r;
  return { ...rest, frontier: unpackFrontier(r.verifiedSize, frontier) };
}

/** Every stored peer state. */
export async function listPeers(db: Executor): Promise<PeerRecord[]> {
  const rows = await db.select().from(peerState).orderBy(asc(peerState.memberId));
  return rows.map(({ frontier, ...rest }) => ({ ...rest, frontier: unpackFrontier(rest.verifiedSize, frontier) }));
}

/** Writes a peer's whole state (insert or replace). */
export async function putPeer(db: Executor, p: PeerRecord): Promise<void> {
  const { memberId, frontier, ...rest } = p;
  const row = { ...rest, frontier: packFrontier(frontier.hashes) };
  await db.insert(peerState).values({ memberId, ...row }).onConflictDoUpdate({ target: peerState.memberId, set: row });
}

/**
 * Advances a peer's cursor from `fromSize` (compare-and-set): returns false when another pull already
 * moved it, so the caller's transaction must roll back instead of applying entries twice.
 */
export async function advancePeer(tx: Executor, fromSize: number, p: PeerRecord): Promise<boolean> {
  const existing = await tx.select({ applied: peerState.appliedSize }).from(peerState).where(eq(peerState.memberId, p.memberId)).for('update');
  const current = existing[0]?.applied ?? 0;
  if (current !== fromSize) return false;
  await putPeer(tx, p);
  return true;
}

/** Evidence of misbehaviour. */
export interface EvidenceInput {
  memberId: string;
  kind: string;
  previous: string | null;
  offending: string;
  detail: string;
  createdAt: Date;
}

/** Stores evidence of a peer's misbehaviour. */
export async function saveEvidence(db: Executor, e: EvidenceInput): Promise<void> {
  await db.insert(peerEvidence).values(e);
}

/** Evidence stored about a peer, oldest first. */
export async function listEvidence(db: Executor, memberId: string): Promise<EvidenceInput[]> {
  const rows = await db.select().from(peerEvidence).where(eq(peerEvidence.memberId, memberId)).orderBy(asc(peerEvidence.id));
  return rows.map(({ id: _id, ...rest }) => rest);
}

/**
 * Records several JWT ids in one INSERT; returns the ids that were new (claimed now). Ids must be
 * distinct within one call. An id is kept until `expiresAt` (after that `exp` rejects its token anyway).
 */
export async function claimTokenIds(db: Executor, claims: { jti: string; issuer: string; expiresAt: Date }[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const rows = await db.insert(peerTokenIds).values(claims).onConflictDoNothing().returning({ jti: peerTokenIds.jti });
  return new Set(rows.map((r) => r.jti));
}

/** Forgets JWT ids that expired before `now` (they can no longer be replayed: `exp` rejects them). */
export async function purgeTokenIds(db: Executor, now: Date): Promise<void> {
  await db.delete(peerTokenIds).where(lt(peerTokenIds.expiresAt, now));
}
