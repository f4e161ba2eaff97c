import type { MiddlewareHandler } from 'hono';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type CryptoKey as JoseKey } from 'jose';
import { memberKeys, memberStatusAt, rosterKeyBytes } from '../../../protocol';
import { problem, sendProblem } from '../../http/problem';
import type { Db } from '../../store/database';
import type { NetworkMetrics } from '../metrics';
import { findMember } from '../roster';
import { purgeTokenIds } from '../store/peers';
import type { RosterSource } from '../types';
import { createTokenClaimer } from './token-claims';
import { MAX_PEER_TOKEN_SECONDS, importPeerPublicKey } from './tokens';

/** Hono variables set by {@link peerAuth}: the authenticated caller's member id. */
export type PeerEnv = { Variables: { requestId: string; peer: string } };

/** Stable codes of rejected peer requests (label of `consortium_peer_rejections_total`). */
export const PEER_AUTH_CODES = [
  'auth-missing',
  'auth-malformed',
  'auth-not-member',
  'auth-unknown-key',
  'auth-bad-signature',
  'auth-expired',
  'auth-wrong-audience',
  'auth-lifetime-too-long',
  'auth-invalid',
  'auth-replayed',
  'auth-inactive-member',
] as const;
/** A peer authentication rejection code. */
export type PeerAuthCode = (typeof PEER_AUTH_CODES)[number];

const CLOCK_TOLERANCE_S = 30;
const MAX_TOKEN_CHARS = 4096;

/** Dependencies of {@link peerAuth}. */
export interface PeerAuthDeps {
  db: Db;
  memberId: string;
  roster: RosterSource;
  now: () => Date;
  metrics: NetworkMetrics;
}

class Reject extends Error {
  constructor(readonly code: PeerAuthCode) {
    super(code);
  }
}

function classify(err: unknown): PeerAuthCode {
  if (err instanceof errors.JWTExpired) return 'auth-expired';
  if (err instanceof errors.JWTClaimValidationFailed) return err.claim === 'aud' ? 'auth-wrong-audience' : 'auth-invalid';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'auth-bad-signature';
  return 'auth-invalid';
}

/**
 * Peer authentication for `/peer/v1/*` (architecture section 7): `Authorization: Bearer <JWT>`, EdDSA
 * only, signed by the caller's roster `node` key named in `kid`, `iss` = caller member id, `aud` = this
 * member, `exp` at most 5 minutes ahead, `iat`, and a `jti` never seen before (kept until `exp`). The
 * caller must be an active member. Verified keys are cached per roster key; the `jti` of concurrent
 * requests are recorded together (group commit, see {@link createTokenClaimer}). 401 for bad credentials, 403 for non-members and inactive members;
 * responses say nothing about why, the reason is counted in `consortium_peer_rejections_total{code}`.
 */
export function peerAuth(deps: PeerAuthDeps): MiddlewareHandler<PeerEnv> {
  const keyCache = new Map<string, Promise<JoseKey | Uint8Array>>();
  const claims = createTokenClaimer(deps.db);
  let accepted = 0;

  async function authenticate(header: string | undefined): Promise<string> {
    const m = header ? /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header) : null;
    if (!m) throw new Reject(header ? 'auth-malformed' : 'auth-missing');
    const token = m[1]!;
    if (token.length > MAX_TOKEN_CHARS) throw new Reject('auth-malformed');
    let iss: unknown;
    let kid: unknown;
    try {
      iss = decodeJwt(token).iss;
      const h = decodeProtectedHeader(token);
      if (h.alg !== 'EdDSA') throw new Reject('auth-malformed');
      kid = h.kid;
    } catch (err) {
      if (err instanceof Reject) throw err;
      throw new Reject('auth-malformed');
    }
    if (typeof iss !== 'string' || typeof kid !== 'string') throw new Reject('auth-malformed');
    const roster = deps.roster.current();
    const member = roster ? findMember(roster.body, iss) : undefined;
    if (!member || member.id === deps.memberId) throw new Reject('auth-not-member');
    const now = deps.now();
    const rk = memberKeys(member, 'node', now).find((k) => k.kid === kid);
    if (!rk) throw new Reject('auth-unknown-key');
    let key = keyCache.get(rk.publicKey);
    if (!key) keyCache.set(rk.publicKey, (key = importPeerPublicKey(rosterKeyBytes(rk))));
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await key, {
        algorithms: ['EdDSA'],
        issuer: member.id,
        audience: deps.memberId,
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
      }));
    } catch (err) {
      throw new Reject(classify(err));
    }
    const nowS = now.getTime() / 1000;
    if (payload.exp! > nowS + MAX_PEER_TOKEN_SECONDS + CLOCK_TOLERANCE_S) throw new Reject('auth-lifetime-too-long');
    if (payload.iat! > nowS + CLOCK_TOLERANCE_S) throw new Reject('auth-invalid');
    if (typeof payload.jti !== 'string' || payload.jti.length < 8 || payload.jti.length > 128) throw new Reject('auth-invalid');
    if (memberStatusAt(member, now) !== 'active') throw new Reject('auth-inactive-member');
    if (!(await claims.claim(`${member.id}:${payload.jti}`, member.id, new Date((payload.exp! + CLOCK_TOLERANCE_S) * 1000)))) {
      throw new Reject('auth-replayed');
    }
    if (++accepted % 256 === 0) await purgeTokenIds(deps.db, now);
    return member.id;
  }

  return async (c, next) => {
    let peer: string;
    try {
      peer = await authenticate(c.req.header('authorization'));
    } catch (err) {
      if (!(err instanceof Reject)) throw err;
      deps.metrics.rejections.inc({ code: err.code });
      const forbidden = err.code === 'auth-not-member' || err.code === 'auth-inactive-member';
      return forbidden
        ? sendProblem(c, problem('forbidden', 'this resource is only served to active consortium members'))
        : sendProblem(c, problem('unauthorized', 'a valid peer token is required'), { 'www-authenticate': 'Bearer' });
    }
    c.set('peer', peer);
    await next();
  };
}
