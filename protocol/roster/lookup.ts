/**
 * Reading a verified roster (docs/protocol.md §8.3): member status at a time, keys of a use valid
 * at a time, signal key lookup for `verifySignal`, and C2SP verifier keys for logs and witnesses.
 */
import { ProtocolError } from '../errors';
import { fromBase64 } from '../crypto/base64';
import { formatVerifierKey, SIG_TYPE_COSIGNATURE, SIG_TYPE_ED25519 } from '../note/keys';
import { parseTimestamp } from '../signals/time';
import type { SignalKeyLookup } from '../signals/verify';
import type { KeyUse, RosterBody, RosterKey, RosterMember } from './schema';

/** A member's effective status at an instant (validity window applied). */
export type EffectiveStatus = 'active' | 'suspended' | 'revoked' | 'not_yet_valid' | 'expired';

/** Finds a member by id; throws `ROSTER_MEMBER_UNKNOWN`. */
export function getMember(roster: RosterBody, memberId: string): RosterMember {
  const m = roster.members.find((x) => x.id === memberId);
  if (!m) throw new ProtocolError('ROSTER_MEMBER_UNKNOWN', `member ${memberId} is not in roster v${roster.version}`);
  return m;
}

/** A member's status at `at`: its roster status inside its validity window, else `not_yet_valid`/`expired`. */
export function memberStatusAt(member: RosterMember, at: Date): EffectiveStatus {
  const t = at.getTime();
  if (member.status === 'revoked') return 'revoked';
  if (t < parseTimestamp(member.validFrom)) return 'not_yet_valid';
  if (member.validUntil !== undefined && t >= parseTimestamp(member.validUntil)) return 'expired';
  return member.status;
}

/** Throws `ROSTER_MEMBER_INACTIVE` unless the member is active at `at`; returns the member. */
export function requireActiveMember(roster: RosterBody, memberId: string, at: Date): RosterMember {
  const m = getMember(roster, memberId);
  const s = memberStatusAt(m, at);
  if (s !== 'active') throw new ProtocolError('ROSTER_MEMBER_INACTIVE', `member ${memberId} is ${s}`);
  return m;
}

/** True when key `k` is inside its validity window at `at` (`notBefore <= at < notAfter`). */
export function keyValidAt(k: RosterKey, at: Date): boolean {
  const t = at.getTime();
  return t >= parseTimestamp(k.notBefore) && (k.notAfter === undefined || t < parseTimestamp(k.notAfter));
}

/** The member's keys of `use` valid at `at` (several during a rotation overlap). */
export function memberKeys(member: RosterMember, use: KeyUse, at: Date): RosterKey[] {
  return member.keys.filter((k) => k.use === use && keyValidAt(k, at));
}

/** Public key bytes of a roster key. */
export function rosterKeyBytes(k: RosterKey): Uint8Array {
  return fromBase64(k.publicKey, 'ROSTER_SCHEMA');
}

/**
 * A {@link SignalKeyLookup} over the roster's `signal` keys, with their windows. Revoked members'
 * keys are not returned (their signals stop verifying); suspended members' keys still resolve so
 * already-published entries can be checked — whether to pull from them is node policy.
 */
export function rosterSignalKeys(roster: RosterBody): SignalKeyLookup {
  const map = new Map<string, { issuer: string; kid: string; publicKey: Uint8Array; notBefore: number; notAfter?: number }>();
  for (const m of roster.members) {
    if (m.status === 'revoked') continue;
    for (const k of m.keys) {
      if (k.use !== 'signal') continue;
      const entry = { issuer: m.id, kid: k.kid, publicKey: rosterKeyBytes(k), notBefore: parseTimestamp(k.notBefore) };
      map.set(`${m.id}\n${k.kid}`, k.notAfter === undefined ? entry : { ...entry, notAfter: parseTimestamp(k.notAfter) });
    }
  }
  return (issuer, kid) => map.get(`${issuer}\n${kid}`);
}

/** Cosigner key name of a member's witness: `<log origin>/witness`. */
export function witnessName(member: RosterMember): string {
  return `${member.log.origin}/witness`;
}

/** C2SP vkeys (type 0x01, name = log origin) of the member's log keys valid at `at`. */
export function memberLogVerifierKeys(member: RosterMember, at: Date): string[] {
  return memberKeys(member, 'log', at).map((k) => formatVerifierKey(member.log.origin, SIG_TYPE_ED25519, rosterKeyBytes(k)));
}

/** C2SP vkeys (type 0x04, name = `<origin>/witness`) of the member's witness keys valid at `at`. */
export function memberWitnessVerifierKeys(member: RosterMember, at: Date): string[] {
  return memberKeys(member, 'witness', at).map((k) => formatVerifierKey(witnessName(member), SIG_TYPE_COSIGNATURE, rosterKeyBytes(k)));
}
