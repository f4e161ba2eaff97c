import { SignJWT, importJWK, type CryptoKey as JoseKey } from 'jose';
import { toBase64Url } from '../../../protocol';
import type { Ed25519Key } from '../../keys/keyfile';

/** Longest lifetime a peer token may have (architecture section 7: short-lived). */
export const MAX_PEER_TOKEN_SECONDS = 300;
/** Lifetime of the tokens this node issues. */
export const PEER_TOKEN_SECONDS = 60;

/** Imports an Ed25519 public key for jose (EdDSA). */
export async function importPeerPublicKey(publicKey: Uint8Array): Promise<JoseKey | Uint8Array> {
  return importJWK({ kty: 'OKP', crv: 'Ed25519', x: toBase64Url(publicKey) }, 'EdDSA');
}

/** Issues short-lived peer tokens signed with this node's `node` key. */
export interface PeerTokenIssuer {
  /** A fresh token for a request to member `audience` (unique `jti` from the injected randomness). */
  issue(audience: string): Promise<string>;
}

/**
 * Peer request tokens (architecture section 7): compact JWS, `alg: EdDSA`, `kid` = the roster key id of
 * the caller's `node` key, claims `iss` (caller member id), `aud` (callee member id), `iat`, `exp`
 * (60 s later) and a random `jti`.
 */
export function createPeerTokenIssuer(deps: { memberId: string; nodeKey: Ed25519Key; now: () => Date; random: (n: number) => Uint8Array }): PeerTokenIssuer {
  let key: Promise<JoseKey | Uint8Array> | null = null;
  const signingKey = () =>
    (key ??= importJWK(
      { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(deps.nodeKey.publicKey), d: toBase64Url(deps.nodeKey.secretKey.subarray(0, 32)) },
      'EdDSA',
    ));
  return {
    async issue(audience) {
      const iat = Math.floor(deps.now().getTime() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid: deps.nodeKey.kid, typ: 'JWT' })
        .setIssuer(deps.memberId)
        .setAudience(audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + PEER_TOKEN_SECONDS)
        .setJti(toBase64Url(deps.random(16)))
        .sign(await signingKey());
    },
  };
}
