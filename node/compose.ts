import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { ready } from '../protocol';
import type { NodeConfig } from './config/schema';
import { ConfigError } from './config/errors';
import { createConsentService, type ConsentView } from './consent/service';
import { createExternalScoresModule } from './external/module';
import { externalScoresForDecisions } from './external/scoring-inputs';
import { createDecisionsModule } from './decisions/module';
import { ownHistoryFromRecords } from './decisions/own-history';
import { createImportsModule } from './imports';
import { createMerchantModule } from './merchant/module';
import { createLedgerModule } from './merchant/ledger/module';
import { createApp, type AppEnv } from './http/app';
import { adminRoutes } from './http/admin/routes';
import { loadAdminToken, loadKeys, type NodeKeys } from './keys/keyfile';
import { joinedRosterPath, readMembership } from './membership/files';
import { createRosterService } from './membership/roster-service';
import { createNetwork } from './network';
import type { Network, NetworkDeps } from './network/types';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { createPublishService } from './signals/publish';
import { openDatabase, type Database } from './store/database';
import { runMigrations } from './store/migrate';
import { databaseReadiness } from './store/readiness';
import { createMetaRepository } from './store/repositories/meta';
import { createSubjectService } from './subjects/service';

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
  network: Network;
  /** Starts background jobs (checkpointing, pulling, retries). */
  start(): Promise<void>;
  /** Stops background work and closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface ComposeOptions {
  now?: () => Date;
  random?: (n: number) => Uint8Array;
  fetch?: typeof fetch;
  logger?: Logger;
  /** Pre-opened database (tests); otherwise opened from the configuration. */
  database?: Database;
  createNetwork?: (deps: NetworkDeps) => Network | Promise<Network>;
  network?: Pick<NetworkDeps, 'pull' | 'checkpointIntervalMs'>;
}

async function openAndMigrate(config: NodeConfig, logger: Logger, given?: Database): Promise<Database> {
  const database =
    given ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.pgdataDir,
      onError: (err) => logger.warn({ err: { message: err.message } }, 'database connection lost; the pool will reconnect'),
    }));
  try {
    await runMigrations(database);
    const owner = await createMetaRepository({ db: database.db, now: () => new Date() }).claimOwner(config.memberId);
    if (owner !== config.memberId) {
      throw new ConfigError('database', `belongs to member '${owner}', not '${config.memberId}'; point DATABASE_URL at this member's own database`);
    }
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  return database;
}

/** The one composition root: loads keys, opens and migrates storage, builds services and the HTTP app. */
export async function composeNode(config: NodeConfig, opts: ComposeOptions = {}): Promise<NodeRuntime> {
  await ready();
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  const logger = opts.logger ?? createLogger({ level: config.logLevel, memberId: config.memberId });
  const metrics = createMetrics();
  const keys = loadKeys(config.dir);
  const adminToken = loadAdminToken(config.dir);
  const membership = readMembership(config.dir);
  const openapiText = readFileSync(openapiPath, 'utf8');
  const database = await openAndMigrate(config, logger, opts.database);
  try {
    return await composeServices({ config, opts, now, random, logger, metrics, keys, adminToken, membership, openapiText, database });
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
}

async function composeServices(ctx: {
  config: NodeConfig;
  opts: ComposeOptions;
  now: () => Date;
  random: (n: number) => Uint8Array;
  logger: Logger;
  metrics: Metrics;
  keys: NodeKeys;
  adminToken: string;
  membership: ReturnType<typeof readMembership>;
  openapiText: string;
  database: Database;
}): Promise<NodeRuntime> {
  const { config, opts, now, random, logger, metrics, keys, adminToken, membership, openapiText, database } = ctx;
  const db = database.db;
  const meta = createMetaRepository({ db, now });

  const roster = await createRosterService({ meta, logger, consortiumId: membership?.consortiumId ?? null, anchors: membership?.anchors ?? [], rosterFile: joinedRosterPath(config.dir) });
  // Decisions are built after the network (they read its signals); new peer signals reach them through this.
  let afterApply: (subjects: string[]) => Promise<void> = async () => undefined;
  const network = await (opts.createNetwork ?? createNetwork)({
    config, keys, db, logger, metrics, now, random, fetch: opts.fetch ?? fetch, roster, ...opts.network,
    onSignalsApplied: (subjects) => afterApply(subjects),
  });
  const subjects = membership ? createSubjectService({ db, pseudonymKey: membership.pseudonymKey, storageKey: keys.storageKey, now, random }) : null;
  const consents = membership
    ? createConsentService({ db, subjects: subjects!, memberId: config.memberId, consortiumId: membership.consortiumId, signingKey: keys.signal, now, random })
    : null;
  const external = await createExternalScoresModule({ config, db, consents, subjects, adminToken, logger, metrics, now, random, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const publish = createPublishService({ memberId: config.memberId, consortiumId: membership?.consortiumId ?? null, signalKey: keys.signal, subjects, consents, network, now, random });

  const decisions = await createDecisionsModule({
    db,
    network,
    subjects,
    publish,
    ownHistory: ownHistoryFromRecords(db),
    external: externalScoresForDecisions(external, config.externalScores),
    modelsDir: join(config.dir, 'models'),
    memberId: config.memberId,
    adminToken,
    logger,
    metrics,
    now,
    random,
  });
  afterApply = decisions.onSignalsApplied;
  const imports = createImportsModule({ db, subjects, publish: membership ? publish : null, storageKey: keys.storageKey, now, random, logger, adminToken, nodeDir: config.dir });
  // A subject's records wait as `pending` (not derived yet) or `no-consent` (skipped). Consent grants derive that
  // one subject, so start-up only needs the pending ones, not a pass over every subject without consent.
  const derivePending = async (subjects?: string[]) => {
    await imports.service.derivePending?.(subjects ? { includeNoConsent: true, subjects } : {});
  };

  const deriveAfterSharingConsent = async (c: ConsentView) => {
    if (c.record.purpose !== 'signal-sharing') return;
    await derivePending([c.record.subject.value]).catch((err: Error) => logger.error({ err: { message: err.message } }, 'derivation after consent failed; retried at next start'));
  };
  // Partner merchants (issue 8): OAuth2 clients, consent tokens, joint-limit queries (and the ledger when wired).
  const merchant = await createMerchantModule({
    db, storageKey: keys.storageKey, baseUrl: config.baseUrl, adminToken, consents, decisions: decisions.service, logger, now, random,
    ledger: (access) => createLedgerModule({ db, access, decisions: decisions.service, subjects, consents, storageKey: keys.storageKey, adminToken, logger, metrics, now, random, fetch: opts.fetch ?? fetch }),
  });
  const admin = adminRoutes({
    adminToken,
    roster,
    subjects,
    consents,
    publish,
    network: membership ? network : null,
    onConsentGranted: [deriveAfterSharingConsent],
    onConsentWithdrawn: [external.onConsentWithdrawn],
    merchantConsents: merchant.accessModule.merchantConsents,
    now,
  });
  const app = createApp({ logger, metrics, readiness: databaseReadiness(database), openapiText, bodyLimitBytes: config.http.bodyLimitBytes, surfaces: [network.surface, admin, external.routes, decisions.routes, imports.routes, ...merchant.routes], bodyLimitExempt: ['/admin/v1/imports'] });

  let closed = false;
  return {
    config,
    keys,
    app,
    database,
    logger,
    metrics,
    network,
    async start() {
      network.start();
      merchant.start();
      // A withdrawal whose tombstone could not be published (crash, not yet joined) is published now.
      try {
        for (const c of (await consents?.pendingTombstones()) ?? []) {
          const t = await publish.publishTombstone({ id: c.id, ref: c.ref, subject: c.record.subject });
          if (t.ok) await consents!.markTombstone(c.id, t.signal.id);
        }
      } catch (err) {
        logger.error({ err: { message: (err as Error).message } }, 'could not publish pending consent withdrawals; will retry at next start');
      }
      // Records imported while the node was down (CLI `import --defer-signals`, or a crash mid-import): derive them now.
      await derivePending().catch((err: Error) => logger.error({ err: { message: err.message } }, 'derivation of imported records failed; will retry at next start'));
    },
    async close() {
      if (closed) return;
      closed = true;
      await network.stop();
      await merchant.stop();
      await external.close();
      await database.close();
    },
  };
}
