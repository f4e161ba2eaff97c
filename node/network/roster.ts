import { memberStatusAt, type RosterBody, type RosterMember } from '../../protocol';
import { NetworkError } from './errors';
import type { RosterSource } from './types';

/** This member's roster entry and the roster, or a `not-joined` error. */
export function requireSelf(roster: RosterSource, memberId: string): { body: RosterBody; self: RosterMember } {
  const cur = roster.current();
  if (!cur) throw new NetworkError('not-joined', 'this node has not joined a consortium yet (no roster); run `consortium-node join`');
  const self = cur.body.members.find((m) => m.id === memberId);
  if (!self) throw new NetworkError('not-joined', `member ${memberId} is not in roster v${cur.body.version}`);
  return { body: cur.body, self };
}

/** Members other than `memberId` that are active at `at` (the peers to pull from and serve). */
export function activePeers(body: RosterBody, memberId: string, at: Date): RosterMember[] {
  return body.members.filter((m) => m.id !== memberId && memberStatusAt(m, at) === 'active');
}

/** A roster member by id, or undefined. */
export function findMember(body: RosterBody, memberId: string): RosterMember | undefined {
  return body.members.find((m) => m.id === memberId);
}
