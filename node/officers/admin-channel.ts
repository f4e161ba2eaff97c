/**
 * How the `officers` CLI reaches officer accounts: through the running node's admin API when the node answers
 * (the embedded PGlite database is single-process and held by the node), or by opening the node's database
 * directly when no node answers (then account changes go into the audit log through a local audit writer).
 */
import { randomBytes } from 'node:crypto';
import { createAuditLog } from '../audit/log';
import { adminApiCaller, localNodeUrl, problemError } from '../http/admin/local-node';
import { openOwnDatabase } from '../store/own-database';
import type { NodeConfig } from '../config/schema';
import { loadAdminToken, loadKeys } from '../keys/keyfile';
import { createLogger } from '../observability/logger';
import { createOfficerAccounts, type AccountError, type OfficerView } from './accounts';
import type { ScryptParams } from './password';
import { createOfficerRepository } from './repository';

/** What the CLI needs; failures carry the problem code and detail. */
export interface OfficerAdminChannel {
  /** `api` (the running node) or `database` (opened directly). */
  via: 'api' | 'database';
  create(req: { username: string; role: string; password: string }): Promise<{ ok: true; officer: OfficerView } | AccountError>;
  list(): Promise<OfficerView[]>;
  disable(idOrUsername: string): Promise<{ ok: true; officer: OfficerView } | AccountError>;
  close(): Promise<void>;
}

function apiChannel(base: string, adminToken: string, fetchImpl: typeof fetch): OfficerAdminChannel {
  const call = adminApiCaller(base, adminToken, fetchImpl, 30_000);
  const failure = (json: Record<string, any>) => ({ ok: false, code: String(json.code ?? 'internal'), detail: String(json.detail ?? json.title ?? 'request failed') }) as AccountError;
  return {
    via: 'api',
    async create(req) {
      const r = await call('POST', '/admin/v1/officers', req);
      return r.status === 201 ? { ok: true, officer: r.json as OfficerView } : failure(r.json);
    },
    async list() {
      const r = await call('GET', '/admin/v1/officers');
      if (r.status !== 200) throw problemError(r.json);
      return r.json.officers as OfficerView[];
    },
    async disable(id) {
      const r = await call('POST', `/admin/v1/officers/${encodeURIComponent(id)}/disable`);
      return r.status === 200 ? { ok: true, officer: r.json as OfficerView } : failure(r.json);
    },
    close: async () => undefined,
  };
}

/** Options of {@link openOfficerAdminChannel}. */
export interface OfficerAdminChannelOptions {
  fetch?: typeof fetch;
  now?: () => Date;
  /** scrypt cost of new hashes when the database is opened directly (default: production); tests lower it. */
  scrypt?: ScryptParams;
}

/** Opens the channel for the node at `config.dir`. Throws `ConfigError`, `DatabaseUnavailableError`. */
export async function openOfficerAdminChannel(config: NodeConfig, opts: OfficerAdminChannelOptions = {}): Promise<OfficerAdminChannel> {
  const fetchImpl = opts.fetch ?? fetch;
  const base = await localNodeUrl(config, fetchImpl);
  if (base) return apiChannel(base, loadAdminToken(config.dir), fetchImpl);
  const keys = loadKeys(config.dir);
  const now = opts.now ?? (() => new Date());
  const database = await openOwnDatabase(config, { now });
  const audit = createAuditLog({ db: database.db, memberId: config.memberId, logKey: keys.log, now, logger: createLogger({ level: 'silent' }) });
  const accounts = createOfficerAccounts({ repo: createOfficerRepository({ db: database.db }), audit, now, random: (n) => new Uint8Array(randomBytes(n)), ...(opts.scrypt ? { scrypt: opts.scrypt } : {}) });
  return {
    via: 'database',
    create: (req) => accounts.create({ ...req, createdBy: 'cli' }),
    list: () => accounts.list(),
    disable: (id) => accounts.disable(id, 'cli'),
    async close() {
      // Signs a checkpoint covering the account changes, then releases the database.
      await audit.stop().catch(() => undefined);
      await database.close();
    },
  };
}
