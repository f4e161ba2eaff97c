/**
 * Partner-merchant access control (issue 8 §1, §2, §5, §7) in one place: OAuth2 clients, access tokens and the
 * JWK Set, customer consent tokens, `/v1/` authentication with per-client rate limits and idempotency, and the
 * credit query log. {@link createMerchantAccess} returns the {@link MerchantAccess} seam the ledger uses plus the
 * routes it owns.
 */
import type { Hono } from 'hono';
import type { AuditSink } from '../../compliance/contracts';
import type { ConsentService, ConsentView } from '../../consent/service';
import type { Db } from '../../store/database';
import type { MerchantAccess } from '../contracts';
import { bearerAuth, requireScope } from './authenticate';
import { createClientRepository } from './clients/repository';
import { clientRoutes } from './clients/routes';
import { createSecretHasher } from './clients/secret';
import { createClientService, type ClientService } from './clients/service';
import { createIdempotencyRepository } from './idempotency/repository';
import { idempotency, MIN_IDEMPOTENCY_RETENTION_MS, purgeIdempotency } from './idempotency/middleware';
import { createRateLimiter } from './limits/rate-limiter';
import { createQueryLog, type QueryLog } from './query-log';
import { createAccessTokens, type AccessTokens } from './tokens/access-token';
import { createConsentTokens, type ConsentTokens } from './tokens/consent-token';
import { tokenRoutes } from './tokens/routes';
import { loadSigningKeys, type SigningKeys } from './tokens/signing-keys';

/** Settings of merchant access (defaults in brackets). */
export interface MerchantAccessSettings {
  /** Access token lifetime, seconds [300; at most 600]. */
  accessTokenTtlSeconds?: number;
  /** Longest validity of a consent token, ms [30 days]. */
  consentTokenMaxMs?: number;
  /** How long idempotency records are kept, ms [24 h; never less]. */
  idempotencyRetentionMs?: number;
  /** How long a client's looked-up state is reused, ms [5 s]. */
  clientCacheMs?: number;
}

/** Dependencies of {@link createMerchantAccess}. */
export interface MerchantAccessDeps {
  db: Db;
  /** The node's storage key (seals the signing key, keys the client-secret hash). */
  storageKey: Uint8Array;
  /** The node's base URL: `iss` of every token; access tokens are for `<baseUrl>/v1`. */
  baseUrl: string;
  adminToken: string;
  /** Null before the node joined (no consent can be recorded, so no consent token verifies). */
  consents: Pick<ConsentService, 'get'> | null;
  audit?: Pick<AuditSink, 'record'> | undefined;
  now: () => Date;
  random: (n: number) => Uint8Array;
  settings?: MerchantAccessSettings;
}

/** The built access module. */
export interface MerchantAccessModule {
  access: MerchantAccess;
  clients: ClientService;
  tokens: AccessTokens;
  consentTokens: ConsentTokens;
  keys: SigningKeys;
  queryLog: QueryLog;
  /** `/v1/oauth/token`, `/.well-known/jwks.json`, `/admin/v1/clients*`. */
  routes: Hono<any>[];
  /** Deletes idempotency records past retention; returns how many. */
  purgeIdempotency(): Promise<number>;
  /** For `POST /admin/v1/consents` with purpose `merchant-limit` (AdminDeps.merchantConsents). */
  merchantConsents: {
    check(recipients: string[]): Promise<{ ok: false; code: 'consent-recipient-unknown'; message: string } | { ok: true }>;
    issue(consent: ConsentView): Promise<{ consentToken: string; consentTokenExpiresAt: string }>;
  };
}

/** Paths whose POSTs require an `Idempotency-Key` (money moves there). */
export const idempotencyRequired = (path: string) => path === '/v1/authorizations' || path.startsWith('/v1/authorizations/');

/** Builds merchant access. */
export async function createMerchantAccess(deps: MerchantAccessDeps): Promise<MerchantAccessModule> {
  const s = deps.settings ?? {};
  const issuer = deps.baseUrl.replace(/\/+$/, '');
  const keys = await loadSigningKeys({ db: deps.db, storageKey: deps.storageKey, now: deps.now, random: deps.random });
  const clients = createClientService({ repo: createClientRepository(deps.db), hasher: createSecretHasher(deps.storageKey), now: deps.now, random: deps.random, ...(s.clientCacheMs !== undefined ? { cacheMs: s.clientCacheMs } : {}) });
  const tokens = createAccessTokens({ keys, issuer, audience: `${issuer}/v1`, now: deps.now, random: deps.random, ...(s.accessTokenTtlSeconds !== undefined ? { ttlSeconds: s.accessTokenTtlSeconds } : {}) });
  const consentTokens = createConsentTokens({ keys, issuer, consents: deps.consents, now: deps.now, random: deps.random, ...(s.consentTokenMaxMs !== undefined ? { maxMs: s.consentTokenMaxMs } : {}) });
  const limiter = createRateLimiter({ now: deps.now });
  const idemRepo = createIdempotencyRepository(deps.db);
  const queryLog = createQueryLog({ db: deps.db, audit: deps.audit });
  const access: MerchantAccess = {
    authenticate: bearerAuth({ tokens, clients, limiter, after: idempotency({ repo: idemRepo, now: deps.now, requiredFor: idempotencyRequired }) }),
    requireScope,
    verifyConsentToken: (token, clientId) => consentTokens.verify(token, clientId),
    logQuery: (entry) => queryLog.record(entry),
  };
  return {
    access,
    clients,
    tokens,
    consentTokens,
    keys,
    queryLog,
    routes: [tokenRoutes({ clients, tokens, keys, limiter }), clientRoutes({ adminToken: deps.adminToken, clients })],
    purgeIdempotency: () => purgeIdempotency(idemRepo, deps.now(), s.idempotencyRetentionMs ?? MIN_IDEMPOTENCY_RETENTION_MS),
    merchantConsents: {
      // One consent per merchant (PIPL art. 23: separate consent per recipient): exactly one active client.
      async check(recipients) {
        const [only] = recipients;
        if (recipients.length !== 1 || !only || !(await clients.active(only))) {
          return { ok: false, code: 'consent-recipient-unknown', message: 'name exactly one recipient: the client id of a registered, active merchant (GET /admin/v1/clients)' };
        }
        return { ok: true };
      },
      async issue(consent) {
        const t = await consentTokens.issue(consent, consent.record.recipients[0]!);
        return { consentToken: t.token, consentTokenExpiresAt: t.expiresAt.toISOString() };
      },
    },
  };
}
