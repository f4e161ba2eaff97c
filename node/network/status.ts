import { memberStatusAt } from '../../protocol';
import type { Db } from '../store/database';
import { initialPeer, listPeers } from './store/peers';
import type { PeerStatus, RosterSource } from './types';

/**
 * Peer status for `GET /admin/v1/peers`: every roster member but this one. `inactive` when the roster
 * no longer lists it as active, `quarantined` after misbehaviour, `unreachable` while pulls fail,
 * `lagging` while a verified checkpoint's entries are not all applied, else `ok`.
 */
export async function peerStatuses(db: Db, roster: RosterSource, memberId: string, now: Date): Promise<PeerStatus[]> {
  const cur = roster.current();
  if (!cur) return [];
  const stored = new Map((await listPeers(db)).map((p) => [p.memberId, p]));
  return cur.body.members
    .filter((m) => m.id !== memberId)
    .map((m) => {
      const p = stored.get(m.id) ?? initialPeer(m.id);
      const active = memberStatusAt(m, now) === 'active';
      const lag = Math.max(0, p.seenSize - p.appliedSize);
      const state: PeerStatus['state'] = !active
        ? 'inactive'
        : p.state === 'quarantined'
          ? 'quarantined'
          : p.state === 'unreachable'
            ? 'unreachable'
            : lag > 0
              ? 'lagging'
              : 'ok';
      return {
        memberId: m.id,
        state,
        verifiedSize: p.verifiedSize,
        verifiedAt: p.verifiedAt ? p.verifiedAt.toISOString() : null,
        appliedSize: p.appliedSize,
        lag,
        lastError: p.lastError,
        lastAttemptAt: p.lastAttemptAt ? p.lastAttemptAt.toISOString() : null,
      };
    });
}
