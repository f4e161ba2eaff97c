import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens and CSRF tokens of officer sessions. A session token is 32 random bytes (base64url, prefix
 * `cso_`); only its SHA-256 is stored. The console's CSRF token is bound to the session without storing
 * anything: HMAC-SHA256(session token, "consortium-console-csrf/v1"), so it is valid exactly as long as the
 * session and useless without the HttpOnly cookie (the synchronizer-token pattern of the OWASP CSRF cheat sheet).
 */

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** A new session token from `random`. */
export const newSessionToken = (random: (n: number) => Uint8Array) => `cso_${b64(random(32))}`;

/** A new public session id (audit entries name sessions by it). */
export const newSessionId = (random: (n: number) => Uint8Array) => `ses_${b64(random(12))}`;

/** A new officer id. */
export const newOfficerId = (random: (n: number) => Uint8Array) => `off_${b64(random(12))}`;

/** True for strings shaped like a session token (checked before hashing or touching storage). */
export const isSessionToken = (s: string) => /^cso_[A-Za-z0-9_-]{43}$/.test(s);

/** The stored form of a session token. */
export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The CSRF token of the session holding `token`. */
export const csrfTokenFor = (token: string) => createHmac('sha256', token).update('consortium-console-csrf/v1').digest('base64url');

/** Constant-time check of a submitted CSRF token against the session's. */
export function csrfTokenMatches(token: string, submitted: string | undefined | null): boolean {
  if (typeof submitted !== 'string' || submitted.length === 0 || submitted.length > 128) return false;
  const want = Buffer.from(csrfTokenFor(token));
  const got = Buffer.from(submitted);
  return want.length === got.length && timingSafeEqual(want, got);
}
