import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatTimestamp, sealConsortiumKey, signRoster, type MemberStatus, type RosterBody } from '../../protocol';
import { ConfigError } from '../config/errors';
import { keyId } from '../keys/keyfile';
import { loadSodium } from '../keys/sodium';
import { readDescriptor } from '../membership/descriptor';
import { governancePaths, loadGovernance, readRosterFile, writeGovernanceDir, writeRosterFile } from './files';
import { setMemberStatus, upsertMember } from './roster-edit';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** Creates a governance directory: governance key, pseudonymization key, signed empty roster (version 1). */
export async function createConsortium(dir: string, consortiumId: string, now: Date): Promise<{ dir: string; governanceKid: string; governancePublicKey: string }> {
  const sodium = await loadSodium();
  const gov = sodium.crypto_sign_keypair();
  const pkey = sodium.randombytes_buf(32);
  const kid = `gov-${keyId(gov.publicKey)}`;
  const publicKey = Buffer.from(gov.publicKey).toString('base64');
  const roster = signRoster(
    { v: 1, consortium: consortiumId, version: 1, issuedAt: formatTimestamp(now), governance: [{ kid, publicKey }], members: [] },
    { kid, secretKey: gov.privateKey },
  );
  writeGovernanceDir(
    dir,
    {
      version: 1,
      consortiumId,
      governance: { kid, publicKey: b64url(gov.publicKey), secretKey: b64url(gov.privateKey) },
      pseudonymKey: { kid: `pk-${formatTimestamp(now).slice(0, 10)}-${keyId(pkey).slice(0, 8)}`, key: b64url(pkey) },
    },
    roster,
  );
  return { dir: resolve(dir), governanceKid: kid, governancePublicKey: publicKey };
}

/** Adds or updates a member from its member.json, re-signs the roster and seals the pseudonymization key to it. */
export async function addMember(govDir: string, descriptorPath: string, now: Date): Promise<{ memberId: string; updated: boolean; roster: RosterBody; rosterPath: string; sealedKeyPath: string }> {
  const gov = loadGovernance(govDir);
  const paths = governancePaths(gov.dir);
  const descriptor = readDescriptor(descriptorPath);
  const box = descriptor.keys.find((k) => k.use === 'x25519');
  if (!box) throw new ConfigError(descriptorPath, 'has no x25519 key to seal the pseudonymization key to');
  const current = readRosterFile(paths.roster);
  const body = upsertMember(current.body, descriptor, { now });
  await loadSodium();
  const signed = signRoster(body, gov.signer);
  const sealed = sealConsortiumKey(gov.pseudonymKey, new Uint8Array(Buffer.from(box.publicKey, 'base64')));
  writeRosterFile(paths.roster, signed);
  writeFileSync(paths.sealedKey(descriptor.id), `${Buffer.from(sealed).toString('base64')}\n`, { mode: 0o600 });
  return { memberId: descriptor.id, updated: current.body.members.some((m) => m.id === descriptor.id), roster: body, rosterPath: paths.roster, sealedKeyPath: paths.sealedKey(descriptor.id) };
}

/** Changes a member's status in a new roster version. */
export async function changeMemberStatus(govDir: string, memberId: string, status: MemberStatus, now: Date): Promise<{ roster: RosterBody; rosterPath: string }> {
  const gov = loadGovernance(govDir);
  const paths = governancePaths(gov.dir);
  const body = setMemberStatus(readRosterFile(paths.roster).body, memberId, status, now);
  await loadSodium();
  writeRosterFile(paths.roster, signRoster(body, gov.signer));
  return { roster: body, rosterPath: paths.roster };
}
