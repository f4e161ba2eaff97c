import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { decodeRoster, encodeRoster, type ConsortiumKey, type SignedRoster } from '../../protocol';
import { ConfigError } from '../config/errors';
import { writeSecretFile } from '../keys/keyfile';

/** `GOVDIR/governance.json` (0600): the governance signing key and the consortium pseudonymization key. */
const governanceFileSchema = z.strictObject({
  version: z.literal(1),
  consortiumId: z.string(),
  governance: z.strictObject({ kid: z.string(), publicKey: z.string(), secretKey: z.string() }),
  pseudonymKey: z.strictObject({ kid: z.string(), key: z.string() }),
});

export type GovernanceFile = z.infer<typeof governanceFileSchema>;

export interface Governance {
  dir: string;
  consortiumId: string;
  signer: { kid: string; publicKey: Uint8Array; secretKey: Uint8Array };
  pseudonymKey: ConsortiumKey;
}

const dec = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

export const governancePaths = (dir: string) => ({
  file: join(dir, 'governance.json'),
  roster: join(dir, 'roster.json'),
  sealed: join(dir, 'sealed'),
  sealedKey: (memberId: string) => join(dir, 'sealed', `${memberId}.key`),
});

/** Writes a new governance directory; refuses an existing one. */
export function writeGovernanceDir(dir: string, file: GovernanceFile, roster: SignedRoster): void {
  const p = governancePaths(resolve(dir));
  if (existsSync(p.file)) throw new ConfigError('--dir', `${resolve(dir)} already holds a consortium (governance.json); nothing was changed`);
  mkdirSync(p.sealed, { recursive: true, mode: 0o700 });
  writeSecretFile(p.file, `${JSON.stringify(file, null, 2)}\n`);
  writeRosterFile(p.roster, roster);
}

/** Loads `GOVDIR/governance.json` and decodes its keys. */
export function loadGovernance(dir: string): Governance {
  const p = governancePaths(resolve(dir));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(p.file, 'utf8'));
  } catch {
    throw new ConfigError('--dir', `${resolve(dir)} is not a governance directory (no readable governance.json); create one with: consortium-node consortium create --dir DIR --id CONSORTIUM_ID`);
  }
  const g = governanceFileSchema.parse(json);
  return {
    dir: resolve(dir),
    consortiumId: g.consortiumId,
    signer: { kid: g.governance.kid, publicKey: dec(g.governance.publicKey), secretKey: dec(g.governance.secretKey) },
    pseudonymKey: { kid: g.pseudonymKey.kid, key: dec(g.pseudonymKey.key) },
  };
}

/** Reads and decodes (does not verify) a roster file. */
export function readRosterFile(path: string): SignedRoster {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new ConfigError(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return decodeRoster(bytes);
  } catch (err) {
    throw new ConfigError(path, `is not a valid roster: ${(err as Error).message}`);
  }
}

export function writeRosterFile(path: string, roster: SignedRoster): void {
  writeFileSync(path, encodeRoster(roster));
}
