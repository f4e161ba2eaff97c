/**
 * Partner-merchant clients (issue 8 §1): registration, rotation and revocation of OAuth2 client credentials,
 * client authentication for the token endpoint, and a short-lived cache of client state for per-request checks
 * (revocation through this service takes effect at once; changes made by another process within `cacheMs`).
 */
import { z } from 'zod';
import { MERCHANT_SCOPES, type MerchantScope } from '../../contracts';
import type { ClientRepository, ClientRow } from './repository';
import { CLIENT_ID_PATTERN, newClientId, newClientSecret, SECRET_PATTERN, type SecretHasher } from './secret';

/** Default rate limits of a new client. */
export const DEFAULT_CLIENT_LIMITS = { ratePerSecond: 50, burst: 100, dailyQuota: 200_000 } as const;

/** `POST /admin/v1/clients` body. */
export const createClientRequest = z.strictObject({
  name: z.string().trim().min(1).max(120),
  scopes: z.array(z.enum(MERCHANT_SCOPES)).min(1).max(MERCHANT_SCOPES.length),
  rateLimit: z
    .strictObject({
      perSecond: z.number().int().min(1).max(10_000).optional(),
      burst: z.number().int().min(1).max(100_000).optional(),
      dailyQuota: z.number().int().min(1).max(100_000_000).optional(),
    })
    .optional(),
});
export type CreateClientRequest = z.infer<typeof createClientRequest>;

/** A client as the admin API shows it (never the secret or its hash). */
export interface ClientView {
  id: string;
  name: string;
  scopes: MerchantScope[];
  status: 'active' | 'revoked';
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  rateLimit: { perSecond: number; burst: number; dailyQuota: number };
}

/** Failures of client operations (codes in the problem catalogue). */
export type ClientFailure = { ok: false; code: 'client-not-found' | 'client-revoked'; message: string };

/** The client service. */
export interface ClientService {
  create(req: CreateClientRequest): Promise<{ client: ClientView; clientSecret: string }>;
  list(limit?: number): Promise<ClientView[]>;
  get(id: string): Promise<ClientView | null>;
  rotate(id: string): Promise<{ ok: true; client: ClientView; clientSecret: string } | ClientFailure>;
  revoke(id: string): Promise<{ ok: true; client: ClientView } | ClientFailure>;
  /** Checks client credentials (constant-time); the active client or null (unknown, wrong secret, revoked). */
  authenticate(id: string, secret: string): Promise<ClientRow | null>;
  /** The client if it exists and is not revoked (cached for `cacheMs`). */
  active(id: string): Promise<ClientRow | null>;
}

/** Dependencies of {@link createClientService}. */
export interface ClientServiceDeps {
  repo: ClientRepository;
  hasher: SecretHasher;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** How long a looked-up client state is reused (default 5 s). */
  cacheMs?: number;
}

/** The JSON view of a stored client. */
export function clientView(r: ClientRow): ClientView {
  return {
    id: r.id,
    name: r.name,
    scopes: r.scopes,
    status: r.revokedAt ? 'revoked' : 'active',
    createdAt: r.createdAt.toISOString(),
    rotatedAt: r.rotatedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    rateLimit: { perSecond: r.ratePerSecond, burst: r.burst, dailyQuota: r.dailyQuota },
  };
}

/** Builds the client service. */
export function createClientService(deps: ClientServiceDeps): ClientService {
  const { repo, hasher, now, random } = deps;
  const cacheMs = deps.cacheMs ?? 5000;
  const cache = new Map<string, { row: ClientRow | null; at: number }>();
  const MAX_CACHE = 10_000;
  const remember = (id: string, row: ClientRow | null) => {
    if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
    cache.set(id, { row, at: now().getTime() });
  };
  const lookup = async (id: string): Promise<ClientRow | null> => {
    if (!CLIENT_ID_PATTERN.test(id)) return null;
    const hit = cache.get(id);
    if (hit && now().getTime() - hit.at < cacheMs) return hit.row;
    const row = await repo.get(id);
    remember(id, row);
    return row;
  };
  const notFound = (id: string): ClientFailure => ({ ok: false, code: 'client-not-found', message: `no client ${id.slice(0, 64)}` });

  return {
    async create(req) {
      const clientSecret = newClientSecret(random);
      const row: ClientRow = {
        id: newClientId(random),
        name: req.name,
        scopes: [...new Set(req.scopes)].sort() as MerchantScope[],
        secretHash: hasher.hash(clientSecret),
        createdAt: now(),
        rotatedAt: null,
        revokedAt: null,
        ratePerSecond: req.rateLimit?.perSecond ?? DEFAULT_CLIENT_LIMITS.ratePerSecond,
        burst: req.rateLimit?.burst ?? DEFAULT_CLIENT_LIMITS.burst,
        dailyQuota: req.rateLimit?.dailyQuota ?? DEFAULT_CLIENT_LIMITS.dailyQuota,
      };
      await repo.insert(row);
      return { client: clientView(row), clientSecret };
    },
    async list(limit = 1000) {
      return (await repo.list(Math.min(Math.max(1, limit), 1000))).map(clientView);
    },
    async get(id) {
      const r = CLIENT_ID_PATTERN.test(id) ? await repo.get(id) : null;
      return r ? clientView(r) : null;
    },
    async rotate(id) {
      if (!CLIENT_ID_PATTERN.test(id)) return notFound(id);
      const clientSecret = newClientSecret(random);
      const row = await repo.rotate(id, hasher.hash(clientSecret), now());
      if (!row) {
        const existing = await repo.get(id);
        return existing ? { ok: false, code: 'client-revoked', message: `client ${id} is revoked; register a new client` } : notFound(id);
      }
      cache.delete(id);
      return { ok: true, client: clientView(row), clientSecret };
    },
    async revoke(id) {
      if (!CLIENT_ID_PATTERN.test(id)) return notFound(id);
      const row = await repo.revoke(id, now());
      cache.delete(id);
      return row ? { ok: true, client: clientView(row) } : notFound(id);
    },
    async authenticate(id, secret) {
      if (!SECRET_PATTERN.test(secret)) return null;
      const row = CLIENT_ID_PATTERN.test(id) ? await repo.get(id) : null;
      if (row) remember(id, row);
      // Hash even for unknown ids so timing does not tell which client ids exist.
      const ok = hasher.verify(secret, row?.secretHash ?? new Uint8Array(32));
      return ok && row && !row.revokedAt ? row : null;
    },
    async active(id) {
      const row = await lookup(id);
      return row && !row.revokedAt ? row : null;
    },
  };
}
