import type { AuditSink, OfficerPrincipal } from '../compliance/contracts';
import { isValidUsername, normalizeUsername } from './accounts';
import { defaultScryptParams, hashPassword, MAX_PASSWORD_BYTES, needsRehash, saltBytes, verifyPassword, type ScryptParams } from './password';
import { createLoginLimiter, type LoginLimits } from './rate-limit';
import type { OfficerRepository } from './repository';
import { hashSessionToken, isSessionToken, newSessionId, newSessionToken } from './tokens';

/** Session lifetimes. */
export interface SessionTimes {
  /** Absolute lifetime from sign-in. */
  ttlMs: number;
  /** A session unused for this long ends. */
  idleMs: number;
}

/** Defaults: 8 hours absolute, 30 minutes idle (OWASP Session Management cheat sheet ranges). */
export const defaultSessionTimes: SessionTimes = { ttlMs: 8 * 3600_000, idleMs: 30 * 60_000 };

/** The result of a successful sign-in: the token is shown once and never stored. */
export interface SignedIn {
  ok: true;
  token: string;
  sessionId: string;
  expiresAt: Date;
  officer: OfficerPrincipal;
}

/** Sign-in failures; the answer is the same whether or not the username exists. */
export type SignInFailure = { ok: false; code: 'officer-login-failed' } | { ok: false; code: 'officer-login-rate-limited'; retryAfterSeconds: number };

/** A live session. */
export interface ResolvedSession {
  ok: true;
  officer: OfficerPrincipal;
  sessionId: string;
  kind: 'api' | 'console';
  expiresAt: Date;
}

/** Why a token was not accepted. */
export type SessionFailure = { ok: false; code: 'officer-session-invalid' | 'officer-session-expired' };

/** Deps of {@link createOfficerSessions}. */
export interface OfficerSessionsDeps {
  repo: OfficerRepository;
  audit: AuditSink;
  now: () => Date;
  random: (n: number) => Uint8Array;
  scrypt?: ScryptParams;
  limits?: Partial<LoginLimits>;
  times?: Partial<SessionTimes>;
}

/** How often `last_seen_at` is written for an active session (at most). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Officer sign-in and sessions (issue 9 §5): scrypt-verified passwords, throttled per username and address,
 * a dummy hash for unknown names so timing and answers are alike, sessions with absolute and idle expiry,
 * revocation at sign-out. Every sign-in and failure is audited.
 */
export function createOfficerSessions(deps: OfficerSessionsDeps) {
  const params = deps.scrypt ?? defaultScryptParams;
  const times = { ...defaultSessionTimes, ...deps.times };
  const limiter = createLoginLimiter({ now: deps.now, ...(deps.limits ? { limits: deps.limits } : {}) });
  // Unknown names are checked against a dummy hash. Making the dummy is the first such check's one scrypt (not
  // one more on top), so no sign-in costs two and timing does not tell unknown names; nothing is hashed at startup.
  let dummy: Promise<string> | undefined;
  const checkDummy = async (password: string): Promise<false> => {
    if (!dummy) {
      dummy = hashPassword('consortium-officer-dummy-password', deps.random(saltBytes), params);
      await dummy;
    } else {
      await verifyPassword(password, await dummy);
    }
    return false;
  };

  return {
    /** Signs in with a username and password from `address` (client IP, or `unknown`). */
    async signIn(input: { username: string; password: string; address: string; kind: 'api' | 'console' }): Promise<SignedIn | SignInFailure> {
      const username = normalizeUsername(input.username);
      const address = input.address.slice(0, 64);
      // A name that cannot be a username is not logged (it is often a password typed into the wrong field).
      const logged = { username: isValidUsername(username) ? username : '(not a valid username)', address, kind: input.kind };
      // Counted before the password check, so concurrent guesses cannot all slip under the limit.
      const wait = limiter.acquire(username, address);
      if (wait > 0) {
        await deps.audit.record({ type: 'officer.login-failed', actor: 'anonymous', detail: { ...logged, reason: 'rate-limited' } });
        return { ok: false, code: 'officer-login-rate-limited', retryAfterSeconds: Math.ceil(wait / 1000) };
      }
      const row = isValidUsername(username) ? await deps.repo.byUsername(username) : null;
      const password = Buffer.byteLength(input.password, 'utf8') > MAX_PASSWORD_BYTES ? '' : input.password;
      // Always run one scrypt, against the dummy hash when there is no such account.
      const matches = row ? await verifyPassword(password, row.passwordHash) : await checkDummy(password);
      const reason = !row ? 'bad-credentials' : !matches || password === '' ? 'bad-credentials' : row.disabledAt ? 'disabled' : null;
      if (reason || !row) {
        await deps.audit.record({ type: 'officer.login-failed', actor: 'anonymous', detail: { ...logged, reason } });
        return { ok: false, code: 'officer-login-failed' };
      }
      limiter.succeed(username, address);
      const at = deps.now();
      if (needsRehash(row.passwordHash, params)) await deps.repo.setPasswordHash(row.id, await hashPassword(password, deps.random(saltBytes), params), at);
      // Sessions that ended more than a day ago are no longer needed (the audit log keeps their ids).
      await deps.repo.purgeEnded(row.id, new Date(at.getTime() - 86_400_000));
      const token = newSessionToken(deps.random);
      const sessionId = newSessionId(deps.random);
      const expiresAt = new Date(at.getTime() + times.ttlMs);
      await deps.repo.insertSession({ id: sessionId, tokenHash: hashSessionToken(token), officerId: row.id, kind: input.kind, createdAt: at, expiresAt });
      const officer: OfficerPrincipal = { id: row.id, username: row.username, role: row.role };
      await deps.audit.record({ type: 'officer.login', actor: `officer:${row.username}`, detail: { sessionId, address, kind: input.kind, role: row.role } });
      return { ok: true, token, sessionId, expiresAt, officer };
    },

    /** The live session of `token`, refreshing its idle timer; expired, revoked and disabled sessions fail. */
    async resolve(token: string): Promise<ResolvedSession | SessionFailure> {
      if (!isSessionToken(token)) return { ok: false, code: 'officer-session-invalid' };
      const s = await deps.repo.sessionByTokenHash(hashSessionToken(token));
      if (!s || s.revokedAt || s.officer.disabledAt) return { ok: false, code: 'officer-session-invalid' };
      const at = deps.now();
      const idleEnd = s.lastSeenAt.getTime() + times.idleMs;
      if (at.getTime() >= s.expiresAt.getTime() || at.getTime() >= idleEnd) return { ok: false, code: 'officer-session-expired' };
      if (at.getTime() - s.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await deps.repo.touchSession(s.id, at);
      return { ok: true, officer: { id: s.officer.id, username: s.officer.username, role: s.officer.role }, sessionId: s.id, kind: s.kind, expiresAt: s.expiresAt };
    },

    /** Ends the session of `token` (sign-out); true when a live session was revoked. */
    async signOut(token: string): Promise<boolean> {
      if (!isSessionToken(token)) return false;
      const s = await deps.repo.sessionByTokenHash(hashSessionToken(token));
      if (!s) return false;
      const revoked = await deps.repo.revokeSession(s.id, deps.now());
      if (revoked) await deps.audit.record({ type: 'officer.access', actor: `officer:${s.officer.username}`, detail: { action: 'logout', sessionId: s.id } });
      return revoked;
    },
  };
}

/** The session manager's type. */
export type OfficerSessions = ReturnType<typeof createOfficerSessions>;
