/**
 * How the `clients` CLI reaches the client registry: through the running node's admin API when the node answers
 * (the embedded PGlite database is held by that process, and the node's cache sees revocations at once), or by
 * opening the node's database directly when it does not.
 */
import { randomBytes } from 'node:crypto';
import { adminApiCaller, localNodeUrl, problemError } from '../../../http/admin/local-node';
import { openOwnDatabase } from '../../../store/own-database';
import type { NodeConfig } from '../../../config/schema';
import { loadAdminToken, loadKeys } from '../../../keys/keyfile';
import { createClientRepository } from './repository';
import { createSecretHasher } from './secret';
import { createClientService, type ClientView, type CreateClientRequest } from './service';

/** The operations the CLI needs; failures carry the problem code and message. */
export interface ClientAdminChannel {
  /** `api` (the running node) or `database` (opened directly). */
  via: 'api' | 'database';
  create(req: CreateClientRequest): Promise<{ client: ClientView; clientSecret: string }>;
  list(): Promise<ClientView[]>;
  rotate(id: string): Promise<{ ok: true; client: ClientView; clientSecret: string } | { ok: false; code: string; message: string }>;
  revoke(id: string): Promise<{ ok: true; client: ClientView } | { ok: false; code: string; message: string }>;
  close(): Promise<void>;
}

function apiChannel(base: string, adminToken: string, fetchImpl: typeof fetch): ClientAdminChannel {
  const call = adminApiCaller(base, adminToken, fetchImpl, 10_000);
  const failure = (json: Record<string, any>) => ({ ok: false as const, code: String(json.code ?? 'internal'), message: String(json.detail ?? json.title ?? 'request failed') });
  const split = (json: Record<string, any>) => {
    const { clientSecret, ...client } = json;
    return { client: client as ClientView, clientSecret: String(clientSecret) };
  };
  return {
    via: 'api',
    async create(req) {
      const r = await call('POST', '/admin/v1/clients', req);
      if (r.status !== 201) throw problemError(r.json);
      return split(r.json);
    },
    async list() {
      const r = await call('GET', '/admin/v1/clients');
      if (r.status !== 200) throw problemError(r.json);
      return r.json.clients as ClientView[];
    },
    async rotate(id) {
      const r = await call('POST', `/admin/v1/clients/${encodeURIComponent(id)}/rotate`);
      return r.status === 200 ? { ok: true, ...split(r.json) } : failure(r.json);
    },
    async revoke(id) {
      const r = await call('POST', `/admin/v1/clients/${encodeURIComponent(id)}/revoke`);
      return r.status === 200 ? { ok: true, client: r.json as ClientView } : failure(r.json);
    },
    close: async () => undefined,
  };
}

/** Opens the channel for the node at `config.dir`. Throws `ConfigError`, `DatabaseUnavailableError`. */
export async function openClientAdminChannel(config: NodeConfig, opts: { fetch?: typeof fetch; now?: () => Date } = {}): Promise<ClientAdminChannel> {
  const fetchImpl = opts.fetch ?? fetch;
  const base = await localNodeUrl(config, fetchImpl);
  if (base) return apiChannel(base, loadAdminToken(config.dir), fetchImpl);
  const keys = loadKeys(config.dir);
  const now = opts.now ?? (() => new Date());
  const database = await openOwnDatabase(config, { now });
  const service = createClientService({ repo: createClientRepository(database.db), hasher: createSecretHasher(keys.storageKey), now, random: (n) => new Uint8Array(randomBytes(n)) });
  return {
    via: 'database',
    create: (req) => service.create(req),
    list: () => service.list(),
    rotate: (id) => service.rotate(id),
    revoke: (id) => service.revoke(id),
    close: () => database.close(),
  };
}
