import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ConsortiumKey, GovernanceKey } from '../../protocol';
import { ConfigError } from '../config/errors';
import { writeSecretFile } from '../keys/keyfile';

/** `DIR/consortium.json` (0600), written by `join`: which consortium, its pseudonymization key, the governance trust anchors. */
const membershipFileSchema = z.strictObject({
  version: z.literal(1),
  consortiumId: z.string(),
  pseudonymKey: z.strictObject({ kid: z.string(), key: z.string() }),
  anchors: z.array(z.strictObject({ kid: z.string(), publicKey: z.string() })).min(1),
});

/** A node's membership: present once it has joined a consortium. */
export interface Membership {
  consortiumId: string;
  pseudonymKey: ConsortiumKey;
  anchors: GovernanceKey[];
}

export const membershipPath = (dir: string) => join(dir, 'consortium.json');
export const joinedRosterPath = (dir: string) => join(dir, 'roster.json');

/** Reads the membership, or null before `join`. */
export function readMembership(dir: string): Membership | null {
  const path = membershipPath(dir);
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError('consortium.json', 'is not valid JSON; run join again');
  }
  const parsed = membershipFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`consortium.json ${parsed.error.issues[0]!.path.join('.')}`, parsed.error.issues[0]!.message);
  const m = parsed.data;
  return { consortiumId: m.consortiumId, pseudonymKey: { kid: m.pseudonymKey.kid, key: new Uint8Array(Buffer.from(m.pseudonymKey.key, 'base64url')) }, anchors: m.anchors };
}

/** Writes the membership (replacing an earlier one of the same consortium). */
export function writeMembership(dir: string, m: Membership): void {
  const path = membershipPath(dir);
  rmSync(path, { force: true });
  writeSecretFile(
    path,
    `${JSON.stringify({ version: 1, consortiumId: m.consortiumId, pseudonymKey: { kid: m.pseudonymKey.kid, key: Buffer.from(m.pseudonymKey.key).toString('base64url') }, anchors: m.anchors }, null, 2)}\n`,
  );
}

export function writeJoinedRoster(dir: string, bytes: Uint8Array): void {
  writeFileSync(joinedRosterPath(dir), bytes);
}
