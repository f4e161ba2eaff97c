/**
 * Customer consent tokens (issue 8 §2): a compact JWS (`typ: consent+jwt`, EdDSA) that the member's app hands to
 * a merchant. It names the customer by pseudonym only (`sub`), carries the consent id, is bound to one merchant
 * (`aud` = client id) and expires at the earlier of the consent's expiry and a configurable maximum. Verification
 * also reads the live consent, so a withdrawal stops the token at once.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import type { ConsentService, ConsentView } from '../../../consent/service';
import type { ConsentTokenFailure, VerifiedConsentToken } from '../../contracts';
import type { SigningKeys } from './signing-keys';

/** The purpose a merchant consent is granted for. */
export const MERCHANT_PURPOSE = 'merchant-limit';

/** Default longest validity of a consent token (30 days); the consent's own expiry may be earlier. */
export const DEFAULT_CONSENT_TOKEN_MAX_MS = 30 * 24 * 3600 * 1000;

/** Issues and verifies consent tokens. */
export interface ConsentTokens {
  /** Signs a token for `consent` bound to `clientId` (one of its recipients). */
  issue(consent: ConsentView, clientId: string): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string, clientId: string): Promise<({ ok: true } & VerifiedConsentToken) | ConsentTokenFailure>;
}

/** Dependencies of {@link createConsentTokens}. */
export interface ConsentTokenDeps {
  keys: SigningKeys;
  issuer: string;
  consents: Pick<ConsentService, 'get'> | null;
  now: () => Date;
  random: (n: number) => Uint8Array;
  maxMs?: number;
  /** How many verified tokens are remembered (signature and claims not checked again until expiry) [10 000]. */
  cacheSize?: number;
}

/** The claims of a consent token whose signature and claims verified for one merchant. */
interface VerifiedClaims {
  sub: string;
  consentId: string;
  exp: number;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,2048}\.[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{0,512}$/;

/** Builds the consent token issuer/verifier. */
export function createConsentTokens(deps: ConsentTokenDeps): ConsentTokens {
  const maxMs = deps.maxMs ?? DEFAULT_CONSENT_TOKEN_MAX_MS;
  const fail = (code: ConsentTokenFailure['code'], message: string): ConsentTokenFailure => ({ ok: false, code, message });
  // Keyed by merchant and token: a repeated token skips the signature check, never the expiry or the live consent.
  const verified = new Map<string, VerifiedClaims>();
  const cacheSize = deps.cacheSize ?? 10_000;
  const expired = () => fail('consent-token-expired', 'the consent token has expired; ask the customer to grant consent again');
  return {
    async issue(consent, clientId) {
      const now = deps.now();
      const expiresAt = new Date(Math.min(Date.parse(consent.record.expiresAt), now.getTime() + maxMs));
      const token = await new SignJWT({ consent_id: consent.id, purpose: MERCHANT_PURPOSE })
        .setProtectedHeader({ alg: 'EdDSA', typ: 'consent+jwt', kid: deps.keys.current.kid })
        .setIssuer(deps.issuer)
        .setAudience(clientId)
        .setSubject(consent.record.subject.value)
        .setIssuedAt(Math.floor(now.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .setJti(Buffer.from(deps.random(16)).toString('base64url'))
        .sign(deps.keys.current.key);
      return { token, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) };
    },
    async verify(token, clientId) {
      if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return fail('consent-token-invalid', 'the consent token is not a compact JWS');
      const now = deps.now();
      const cacheKey = `${clientId}\n${token}`;
      let claims = verified.get(cacheKey);
      if (claims && claims.exp <= Math.floor(now.getTime() / 1000)) {
        verified.delete(cacheKey);
        return expired();
      }
      if (!claims) {
        const checked = await checkSignature(token, clientId, now);
        if (!checked.ok) return checked;
        claims = checked.claims;
        if (verified.size >= cacheSize) verified.delete(verified.keys().next().value!);
        verified.set(cacheKey, claims);
      }
      const { sub, consentId } = claims;
      const consent = deps.consents ? await deps.consents.get(consentId) : null;
      if (!consent || consent.record.purpose !== MERCHANT_PURPOSE || consent.record.subject.value !== sub || !consent.record.recipients.includes(clientId)) {
        return fail('consent-token-invalid', 'the consent token does not match a consent recorded by this node');
      }
      const known = { subject: sub, consentId };
      if (consent.withdrawnAt) return { ...fail('consent-withdrawn', 'the customer withdrew this consent'), ...known };
      const consentEnds = Date.parse(consent.record.expiresAt);
      if (consentEnds <= now.getTime()) return { ...fail('consent-token-expired', 'the consent has expired; ask the customer to grant consent again'), ...known };
      return { ok: true, subject: sub, consentId, expiresAt: new Date(Math.min(consentEnds, claims.exp * 1000)) };
    },
  };

  /** The signature and claims check (jose), without the live consent. */
  async function checkSignature(token: string, clientId: string, now: Date): Promise<{ ok: true; claims: VerifiedClaims } | ConsentTokenFailure> {
    let payload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header) => {
          const key = header.kid ? deps.keys.verifyKey(header.kid) : undefined;
          if (!key) throw new errors.JWKSNoMatchingKey();
          return key;
        },
        { algorithms: ['EdDSA'], issuer: deps.issuer, audience: clientId, typ: 'consent+jwt', currentDate: now, requiredClaims: ['exp', 'iat', 'sub', 'jti'] },
      ));
    } catch (err) {
      if (err instanceof errors.JWTExpired) return expired();
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') return fail('consent-token-wrong-merchant', 'the consent token was issued to another merchant');
      if (err instanceof errors.JOSEError) return fail('consent-token-invalid', `the consent token is not valid (${err.code})`);
      throw err;
    }
    const consentId = payload.consent_id;
    if (typeof consentId !== 'string' || payload.purpose !== MERCHANT_PURPOSE || typeof payload.sub !== 'string') return fail('consent-token-invalid', 'the consent token claims are malformed');
    return { ok: true, claims: { sub: payload.sub, consentId, exp: payload.exp! } };
  }
}
