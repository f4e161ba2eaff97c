import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { NodeConfig } from './config/schema';
import { ConfigError } from './config/errors';
import { createApp, type AppEnv } from './http/app';
import type { Readiness } from './http/routes/health';
import { loadAdminToken, loadKeys, type NodeKeys } from './keys/keyfile';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { openDatabase, type Database } from './store/database';
import { appliedMigrationCount, runMigrations, shippedMigrationCount } from './store/migrate';
import { createMetaRepository } from './store/repositories/meta';

/** The repository's `openapi.yaml`, the contract every route follows. */
export const openapiPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'openapi.yaml');

/** A composed node: everything built, nothing listening yet. */
export interface NodeRuntime {
  config: NodeConfig;
  keys: NodeKeys;
  app: Hono<AppEnv>;
  database: Database;
  logger: Logger;
  metrics: Metrics;
  /** Stops background work and closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  now?: () => Date;
  logger?: Logger;
  /** Pre-opened database (tests); otherwise opened from the configuration. */
  database?: Database;
}

/** The one composition root: loads keys, opens and migrates storage, builds services and the HTTP app. */
export async function composeNode(config: NodeConfig, opts: ComposeOptions = {}): Promise<NodeRuntime> {
  const now = opts.now ?? (() => new Date());
  const logger = opts.logger ?? createLogger({ level: config.logLevel, memberId: config.memberId });
  const metrics = createMetrics();
  const keys = loadKeys(config.dir);
  loadAdminToken(config.dir);
  const openapiText = readFileSync(openapiPath, 'utf8');

  const database =
    opts.database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.pgdataDir,
      onError: (err) => logger.warn({ err: { message: err.message } }, 'database connection lost; the pool will reconnect'),
    }));
  try {
    await runMigrations(database);
    const owner = await createMetaRepository({ db: database.db, now }).claimOwner(config.memberId);
    if (owner !== config.memberId) {
      throw new ConfigError('database', `belongs to member '${owner}', not '${config.memberId}'; point DATABASE_URL at this member's own database`);
    }
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  const shipped = shippedMigrationCount();

  const readiness = async (): Promise<Readiness> => {
    try {
      await database.ping();
    } catch (err) {
      return { ready: false, checks: { database: `unreachable: ${(err as Error).message}` } };
    }
    const applied = await appliedMigrationCount(database).catch(() => -1);
    const migrations = applied >= shipped ? 'ok' : `pending: ${applied} of ${shipped} applied`;
    return { ready: migrations === 'ok', checks: { database: 'ok', migrations } };
  };

  const app = createApp({ logger, metrics, readiness, openapiText, bodyLimitBytes: config.http.bodyLimitBytes });
  let closed = false;
  return {
    config,
    keys,
    app,
    database,
    logger,
    metrics,
    async close() {
      if (closed) return;
      closed = true;
      await database.close();
    },
  };
}
