/**
 * The node's signing key for merchant access tokens and consent tokens: Ed25519 (EdDSA, RFC 8037), created at
 * first start and stored in `merchant_signing_keys` with the secret sealed by the storage key (libsodium
 * secretbox). The public keys are served as a JWK Set (RFC 7517 §5) at `/.well-known/jwks.json`.
 */
import { desc, isNull } from 'drizzle-orm';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { keyId } from '../../../keys/keyfile';
import { loadSodium } from '../../../keys/sodium';
import type { Db } from '../../../store/database';
import { merchantSigningKeys } from '../../../store/schema';

/** The loaded keys: `current` signs; every listed key verifies. */
export interface SigningKeys {
  current: { kid: string; key: CryptoKey };
  /** The verification key of `kid`, or undefined when the node never had it. */
  verifyKey(kid: string): CryptoKey | undefined;
  /** The public JWK Set. */
  jwks(): { keys: JWK[] };
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64url');

/** Dependencies of {@link loadSigningKeys}. */
export interface SigningKeyDeps {
  db: Db;
  storageKey: Uint8Array;
  now: () => Date;
  random: (n: number) => Uint8Array;
}

/** Loads the node's merchant signing keys, creating the first one when there is none (safe under concurrent starts). */
export async function loadSigningKeys(deps: SigningKeyDeps): Promise<SigningKeys> {
  const sodium = await loadSodium();
  const { db } = deps;
  const active = await db.select().from(merchantSigningKeys).where(isNull(merchantSigningKeys.retiredAt)).limit(1);
  if (active.length === 0) {
    const seed = deps.random(32);
    const kp = sodium.crypto_sign_seed_keypair(seed);
    const nonce = deps.random(sodium.crypto_secretbox_NONCEBYTES);
    const sealed = new Uint8Array([...nonce, ...sodium.crypto_secretbox_easy(seed, nonce, deps.storageKey)]);
    await db.insert(merchantSigningKeys).values({ kid: keyId(kp.publicKey), publicKey: kp.publicKey, sealedSecretKey: sealed, createdAt: deps.now() }).onConflictDoNothing();
  }
  const rows = await db.select().from(merchantSigningKeys).orderBy(desc(merchantSigningKeys.createdAt), desc(merchantSigningKeys.kid));
  const signer = rows.find((r) => !r.retiredAt);
  if (!signer) throw new Error('no merchant signing key could be loaded');
  const nb = sodium.crypto_secretbox_NONCEBYTES;
  let seed: Uint8Array;
  try {
    seed = sodium.crypto_secretbox_open_easy(signer.sealedSecretKey.subarray(nb), signer.sealedSecretKey.subarray(0, nb), deps.storageKey);
  } catch {
    throw new Error(`merchant signing key ${signer.kid} cannot be opened with this node's storage key (keys.json does not belong to this database)`);
  }
  const publicJwks: JWK[] = rows.map((r) => ({ kty: 'OKP', crv: 'Ed25519', x: b64(r.publicKey), kid: r.kid, alg: 'EdDSA', use: 'sig' }));
  const verifyKeys = new Map<string, CryptoKey>();
  for (const j of publicJwks) verifyKeys.set(j.kid!, (await importJWK(j, 'EdDSA')) as CryptoKey);
  const key = (await importJWK({ kty: 'OKP', crv: 'Ed25519', x: b64(signer.publicKey), d: b64(seed) }, 'EdDSA')) as CryptoKey;
  return {
    current: { kid: signer.kid, key },
    verifyKey: (kid) => verifyKeys.get(kid),
    jwks: () => ({ keys: publicJwks.map((j) => ({ ...j })) }),
  };
}
