/**
 * The governance-signed member roster (docs/protocol.md §8, architecture §5): schema and types.
 * Strict: unknown fields are rejected; all keys are 32-byte Ed25519 / X25519 keys in base64.
 */
import { z } from 'zod';
import { KID_PATTERN } from '../subject/pseudonym';
import { MEMBER_ID_PATTERN } from '../signals/body';
import { TIMESTAMP_PATTERN } from '../signals/time';

/** What a roster key is used for. */
export const KEY_USES = ['signal', 'log', 'witness', 'node', 'x25519'] as const;
/** A roster key use: `signal` signs signals, `log` signs checkpoints (type 0x01), `witness` cosigns (0x04), `node` authenticates peer requests (EdDSA JWT), `x25519` receives sealed keys. */
export type KeyUse = (typeof KEY_USES)[number];
/** Member statuses. */
export const MEMBER_STATUSES = ['active', 'suspended', 'revoked'] as const;
/** A member status. */
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** Largest roster accepted. */
export const MAX_ROSTER_MEMBERS = 1000;
/** Most keys per member. */
export const MAX_MEMBER_KEYS = 32;

/** Standard base64 of 32 bytes (canonical, padded). */
const B64_32 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const ts = z.string().regex(TIMESTAMP_PATTERN);

/** Strict schema of one roster key. */
export const rosterKeySchema = z.strictObject({
  kid: z.string().regex(KID_PATTERN),
  use: z.enum(KEY_USES),
  publicKey: z.string().regex(B64_32),
  notBefore: ts,
  notAfter: ts.optional(),
});

/** Strict schema of one member entry. */
export const rosterMemberSchema = z.strictObject({
  id: z.string().regex(MEMBER_ID_PATTERN),
  name: z.string().min(1).max(200),
  baseUrl: z.string().max(2048).regex(/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/),
  status: z.enum(MEMBER_STATUSES),
  validFrom: ts,
  validUntil: ts.optional(),
  log: z.strictObject({ origin: z.string().min(3).max(200) }),
  keys: z.array(rosterKeySchema).min(1).max(MAX_MEMBER_KEYS),
});

/** Strict schema of a governance key listed in the roster. */
export const governanceKeySchema = z.strictObject({
  kid: z.string().regex(KID_PATTERN),
  publicKey: z.string().regex(B64_32),
});

/** Strict schema of the roster body. */
export const rosterBodySchema = z.strictObject({
  v: z.literal(1),
  consortium: z.string().regex(MEMBER_ID_PATTERN),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  issuedAt: ts,
  governance: z.array(governanceKeySchema).min(1).max(8),
  members: z.array(rosterMemberSchema).max(MAX_ROSTER_MEMBERS),
});

/** A roster key. */
export type RosterKey = z.infer<typeof rosterKeySchema>;
/** A roster member. */
export type RosterMember = z.infer<typeof rosterMemberSchema>;
/** A governance key (signs the next roster). */
export type GovernanceKey = z.infer<typeof governanceKeySchema>;
/** The roster body (what the governance key signs). */
export type RosterBody = z.infer<typeof rosterBodySchema>;

/** A signed roster as distributed: the body, the governance key id, the base64url signature. */
export interface SignedRoster {
  body: RosterBody;
  kid: string;
  sig: string;
}
