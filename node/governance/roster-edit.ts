import { formatTimestamp, type MemberStatus, type RosterBody, type RosterKey, type RosterMember } from '../../protocol';
import type { MemberDescriptor } from '../membership/descriptor';

/** How long a replaced key stays valid after a rotation, so peers holding the old roster keep verifying. */
export const DEFAULT_ROTATION_OVERLAP_MS = 7 * 24 * 3600 * 1000;

/** Tolerated clock difference between nodes. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Adds a member to the roster, or updates it from a newer descriptor: new keys become valid now; keys of
 * the same use that the descriptor no longer lists stay valid for `overlapMs` (rotation), then expire.
 * Returns the next roster body (version + 1); the caller signs it.
 */
export function upsertMember(body: RosterBody, d: MemberDescriptor, opts: { now: Date; overlapMs?: number; status?: MemberStatus }): RosterBody {
  const at = formatTimestamp(opts.now);
  // New keys are valid from a little before now, so peers whose clocks lag slightly accept them at once.
  const from = formatTimestamp(new Date(opts.now.getTime() - CLOCK_SKEW_MS));
  const until = formatTimestamp(new Date(opts.now.getTime() + (opts.overlapMs ?? DEFAULT_ROTATION_OVERLAP_MS)));
  const existing = body.members.find((m) => m.id === d.id);
  const keys: RosterKey[] = [];
  const listed = new Set(d.keys.map((k) => k.kid));
  for (const k of existing?.keys ?? []) {
    if (listed.has(k.kid) || k.notAfter !== undefined) keys.push(k);
    else keys.push({ ...k, notAfter: until });
  }
  for (const k of d.keys) {
    if (!existing?.keys.some((e) => e.kid === k.kid)) keys.push({ kid: k.kid, use: k.use, publicKey: k.publicKey, notBefore: from });
  }
  const member: RosterMember = {
    id: d.id,
    name: d.name,
    baseUrl: d.baseUrl,
    status: opts.status ?? existing?.status ?? 'active',
    validFrom: existing?.validFrom ?? from,
    log: { origin: `${body.consortium}/${d.id}` },
    keys,
  };
  const members = existing ? body.members.map((m) => (m.id === d.id ? member : m)) : [...body.members, member];
  return { ...body, version: body.version + 1, issuedAt: at, members };
}

/** Changes a member's status (suspension and revocation are roster changes; members are never removed). */
export function setMemberStatus(body: RosterBody, memberId: string, status: MemberStatus, now: Date): RosterBody {
  if (!body.members.some((m) => m.id === memberId)) throw new Error(`member '${memberId}' is not in roster version ${body.version}`);
  return {
    ...body,
    version: body.version + 1,
    issuedAt: formatTimestamp(now),
    members: body.members.map((m) => (m.id === memberId ? { ...m, status } : m)),
  };
}
