import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { ConfigError } from '../config/errors';
import { loadSodium } from './sodium';

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
const keyPair = z.object({ kid: z.string().min(1), publicKey: b64url, secretKey: b64url }).strict();

/** `keys.json`: the node's secrets. Written 0600 by `init`; never logged, never served. */
export const keyFileSchema = z
  .object({
    version: z.literal(1),
    /** Ed25519: authenticates this node to peers (EdDSA JWTs; roster key use `node`). */
    node: keyPair,
    /** Ed25519: signs the signals this member publishes (roster key use `signal`). */
    signal: keyPair,
    /** Ed25519: signs this member's log checkpoints, C2SP signed notes (roster key use `log`). */
    log: keyPair,
    /** Ed25519: cosigns peers' checkpoints this node verified, C2SP cosignature/v1 (roster key use `witness`). */
    witness: keyPair,
    /** X25519: the consortium pseudonymization key is sealed to it (crypto_box_seal). */
    box: z.object({ publicKey: b64url, secretKey: b64url }).strict(),
    /** libsodium secretbox key: personal data at rest. */
    storage: z.object({ key: b64url }).strict(),
    /** Ed25519 keys replaced by `keys rotate`, kept so a rotation can be audited or undone by hand. */
    retired: z.array(keyPair.extend({ use: z.enum(['node', 'signal', 'log', 'witness']), retiredAt: z.string() })).max(64).optional(),
  })
  .strict();

export type KeyFile = z.infer<typeof keyFileSchema>;

/** Decoded key material held in memory by a running node. */
export interface Ed25519Key {
  kid: string;
  publicKey: Uint8Array;
  /** libsodium's 64-byte secret key (seed || public key). */
  secretKey: Uint8Array;
}

/** The Ed25519 keys of a node, by roster key use. */
export const ed25519Uses = ['node', 'signal', 'log', 'witness'] as const;

export interface NodeKeys {
  node: Ed25519Key;
  signal: Ed25519Key;
  log: Ed25519Key;
  witness: Ed25519Key;
  box: { publicKey: Uint8Array; secretKey: Uint8Array };
  storageKey: Uint8Array;
}

const enc = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const dec = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

/** A short, stable key id: the first 8 bytes of SHA-256 over the public key, hex. */
export function keyId(publicKey: Uint8Array): string {
  return Buffer.from(sha256(publicKey).subarray(0, 8)).toString('hex');
}

async function newPair() {
  const sodium = await loadSodium();
  const kp = sodium.crypto_sign_keypair();
  return { kid: keyId(kp.publicKey), publicKey: enc(kp.publicKey), secretKey: enc(kp.privateKey) };
}

/** Generates a fresh set of node keys with libsodium's CSPRNG. */
export async function generateKeyFile(): Promise<KeyFile> {
  const sodium = await loadSodium();
  const box = sodium.crypto_box_keypair();
  return {
    version: 1,
    node: await newPair(),
    signal: await newPair(),
    log: await newPair(),
    witness: await newPair(),
    box: { publicKey: enc(box.publicKey), secretKey: enc(box.privateKey) },
    storage: { key: enc(sodium.crypto_secretbox_keygen()) },
  };
}

/** Writes a file readable only by its owner (0600), refusing to replace an existing one. */
export function writeSecretFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

function readSecret(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(what, `cannot be read at ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const mode = statSync(path).mode & 0o077;
  if (mode !== 0) {
    throw new ConfigError(what, `${path} is readable by group or others (mode ${(statSync(path).mode & 0o777).toString(8)}); run: chmod 600 ${path}`);
  }
  return text;
}

/** Loads and validates `DIR/keys.json` (must be mode 0600). */
export function loadKeys(dir: string): NodeKeys {
  const path = join(dir, 'keys.json');
  let json: unknown;
  try {
    json = JSON.parse(readSecret(path, 'keys.json'));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('keys.json', 'is not valid JSON');
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`keys.json ${issue.path.join('.')}`, issue.message);
  }
  const k = parsed.data;
  const ed = (p: { kid: string; publicKey: string; secretKey: string }): Ed25519Key => ({ kid: p.kid, publicKey: dec(p.publicKey), secretKey: dec(p.secretKey) });
  return {
    node: ed(k.node),
    signal: ed(k.signal),
    log: ed(k.log),
    witness: ed(k.witness),
    box: { publicKey: dec(k.box.publicKey), secretKey: dec(k.box.secretKey) },
    storageKey: dec(k.storage.key),
  };
}

/** Loads `DIR/admin-token` (must be mode 0600). */
export function loadAdminToken(dir: string): string {
  const token = readSecret(join(dir, 'admin-token'), 'admin-token').trim();
  if (token.length < 32) throw new ConfigError('admin-token', 'is too short (expected at least 32 characters); re-create the node directory');
  return token;
}

/** Reads `DIR/keys.json` as stored (for rewriting it). */
export function readKeyFile(dir: string): KeyFile {
  const path = join(dir, 'keys.json');
  return keyFileSchema.parse(JSON.parse(readSecret(path, 'keys.json')));
}

/**
 * Replaces the Ed25519 key of one use with a new one; the old one moves to `retired`. Writes keys.json
 * atomically (temp file + rename, 0600). Returns the new and the retired key ids.
 */
export async function rotateKey(dir: string, use: (typeof ed25519Uses)[number], now: Date): Promise<{ kid: string; retiredKid: string }> {
  const file = readKeyFile(dir);
  const old = file[use];
  const next: KeyFile = { ...file, [use]: await newPair(), retired: [...(file.retired ?? []), { ...old, use, retiredAt: now.toISOString() }] };
  const path = join(dir, 'keys.json');
  const tmp = `${path}.rotating`;
  rmSync(tmp, { force: true });
  writeSecretFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, path);
  return { kid: next[use].kid, retiredKid: old.kid };
}
