/**
 * OAuth2 access tokens for partner merchants: JWTs in the RFC 9068 profile (`typ: at+jwt`) signed with the
 * node's Ed25519 key (EdDSA). Verification allow-lists the algorithm and checks issuer, audience, type, expiry
 * and the required claims (RFC 8725 §3.1, §3.9, §3.11).
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { MERCHANT_SCOPES, type MerchantScope } from '../../contracts';
import type { SigningKeys } from './signing-keys';

/** Longest lifetime of an access token (10 minutes). */
export const MAX_ACCESS_TOKEN_TTL_S = 600;

/** Who issues and who accepts the tokens. */
export interface TokenParties {
  /** `iss` of every token: the node's base URL. */
  issuer: string;
  /** `aud` of access tokens: the merchant API (`<baseUrl>/v1`). */
  audience: string;
}

/** A verified access token. */
export interface AccessTokenClaims {
  clientId: string;
  scopes: MerchantScope[];
  jti: string;
  expiresAt: Date;
}

/** Why an access token was refused. */
export type AccessTokenFailure = { ok: false; code: 'invalid-token'; message: string };

/** Issues and verifies access tokens. */
export interface AccessTokens {
  issue(clientId: string, scopes: MerchantScope[]): Promise<{ token: string; expiresIn: number; scope: string }>;
  verify(token: string): Promise<({ ok: true } & AccessTokenClaims) | AccessTokenFailure>;
}

/** Dependencies of {@link createAccessTokens}. */
export interface AccessTokenDeps extends TokenParties {
  keys: SigningKeys;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** Lifetime in seconds (default 300, at most {@link MAX_ACCESS_TOKEN_TTL_S}). */
  ttlSeconds?: number;
  /** How many verified tokens are remembered (their signature and claims are not checked again until expiry) [10 000]. */
  cacheSize?: number;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{0,512}$/;

/** Builds the issuer/verifier. */
export function createAccessTokens(deps: AccessTokenDeps): AccessTokens {
  const ttl = Math.min(deps.ttlSeconds ?? 300, MAX_ACCESS_TOKEN_TTL_S);
  if (!Number.isInteger(ttl) || ttl < 1) throw new Error('access token TTL must be a positive integer of seconds');
  const fail = (message: string): AccessTokenFailure => ({ ok: false, code: 'invalid-token', message });
  // A token that verified once verifies again until it expires (the keys never change within a process), so the
  // signature check and claim validation are skipped for a repeated token; only expiry is checked each time.
  const verified = new Map<string, AccessTokenClaims>();
  const cacheSize = deps.cacheSize ?? 10_000;
  return {
    async issue(clientId, scopes) {
      const iat = Math.floor(deps.now().getTime() / 1000);
      const scope = scopes.join(' ');
      const token = await new SignJWT({ scope, client_id: clientId })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: deps.keys.current.kid })
        .setIssuer(deps.issuer)
        .setAudience(deps.audience)
        .setSubject(clientId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .setJti(Buffer.from(deps.random(16)).toString('base64url'))
        .sign(deps.keys.current.key);
      return { token, expiresIn: ttl, scope };
    },
    async verify(token) {
      if (!TOKEN_SHAPE.test(token)) return fail('the access token is not a compact JWS');
      const hit = verified.get(token);
      if (hit) {
        // Same rule as jose: expired once `exp` <= now in whole seconds.
        if (hit.expiresAt.getTime() / 1000 > Math.floor(deps.now().getTime() / 1000)) return { ok: true, ...hit };
        verified.delete(token);
        return fail('the access token has expired; request a new one at POST /v1/oauth/token');
      }
      try {
        const { payload } = await jwtVerify(
          token,
          (header) => {
            const key = header.kid ? deps.keys.verifyKey(header.kid) : undefined;
            if (!key) throw new errors.JWKSNoMatchingKey();
            return key;
          },
          { algorithms: ['EdDSA'], issuer: deps.issuer, audience: deps.audience, typ: 'at+jwt', currentDate: deps.now(), requiredClaims: ['exp', 'iat', 'sub', 'jti', 'scope'], maxTokenAge: MAX_ACCESS_TOKEN_TTL_S },
        );
        if (typeof payload.scope !== 'string' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') return fail('the access token claims are malformed');
        const scopes = payload.scope.split(' ').filter((s): s is MerchantScope => (MERCHANT_SCOPES as readonly string[]).includes(s));
        const claims: AccessTokenClaims = { clientId: payload.sub, scopes, jti: payload.jti, expiresAt: new Date(payload.exp! * 1000) };
        if (verified.size >= cacheSize) verified.delete(verified.keys().next().value!);
        verified.set(token, claims);
        return { ok: true, ...claims };
      } catch (err) {
        if (err instanceof errors.JWTExpired) return fail('the access token has expired; request a new one at POST /v1/oauth/token');
        if (err instanceof errors.JOSEError) return fail(`the access token is not valid (${err.code})`);
        throw err;
      }
    },
  };
}
