import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { ready } from '../protocol';
import type { NodeConfig } from './config/schema';
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
import type { Database } from './store/database';
import { openOwnDatabase } from './store/own-database';
import { databaseReadiness } from './store/readiness';
import { createMetaRepository } from './store/repositories/meta';
import { auditKeyChanges, keyFingerprints } from './audit/keys';
import type { AuditSink } from './compliance/contracts';
import { complianceAdminRoutes } from './compliance/admin-routes';
import { createComplianceServices } from './compliance/services';
import { complianceRoutes } from './compliance/routes';
import { createOfficersModule } from './officers/module';
import { asOfficerAccess } from './officers/access';
import { consoleRoutes } from './console/routes';
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
  const database = await openOwnDatabase(config, {
    onError: (err) => logger.warn({ err: { message: err.message } }, 'database connection lost; the pool will reconnect'),
    ...(opts.database ? { database: opts.database } : {}),
  });
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

  // Compliance (issue 9): the audit log and its services. Hooks record through `auditSink`, which logs (never
  // throws) when an append fails, so an audit outage cannot undo business operations already committed.
  const compliance = createComplianceServices({
    db, memberId: config.memberId, logKey: keys.log, signalKey: keys.signal, storageKey: keys.storageKey, logger, now, random,
    identifierOf: async (p) => (subjects ? subjects.identifierOf(p) : null),
    withdrawConsent: (id) => withdrawForErasure(id),
  });
  const auditSink: AuditSink = {
    record: (event) => compliance.audit.record(event).catch((err: Error) => logger.error({ err: { message: err.message }, type: event.type }, 'audit append failed')),
  };

  const roster = await createRosterService({ meta, logger, consortiumId: membership?.consortiumId ?? null, anchors: membership?.anchors ?? [], rosterFile: joinedRosterPath(config.dir), audit: auditSink });
  // Decisions are built after the network (they read its signals); new peer signals reach them through this.
  let afterApply: (subjects: string[]) => Promise<void> = async () => undefined;
  const network = await (opts.createNetwork ?? createNetwork)({
    config, keys, db, logger, metrics, now, random, fetch: opts.fetch ?? fetch, roster, ...opts.network,
    onSignalsApplied: async (subjects) => {
      // Recorded concurrently so the audit log group-commits them in one transaction.
      await Promise.all(subjects.slice(0, 1000).map((subject) => auditSink.record({ type: 'peer.signals-applied', actor: 'system', subject })));
      if (subjects.length > 1000) await auditSink.record({ type: 'peer.signals-applied', actor: 'system', detail: { moreSubjects: subjects.length - 1000 } });
      await afterApply(subjects);
    },
    onEntriesServed: (peer, from, to) => compliance.served.served(peer, from, to),
  });
  const subjects = membership ? createSubjectService({ db, pseudonymKey: membership.pseudonymKey, storageKey: keys.storageKey, now, random }) : null;
  const consents = membership
    ? createConsentService({ db, subjects: subjects!, memberId: config.memberId, consortiumId: membership.consortiumId, signingKey: keys.signal, now, random })
    : null;
  const external = await createExternalScoresModule({ config, db, consents, subjects, adminToken, logger, metrics, now, random, audit: auditSink, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const publish = createPublishService({ memberId: config.memberId, consortiumId: membership?.consortiumId ?? null, signalKey: keys.signal, subjects, consents, network, now, random, audit: auditSink });

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
    audit: auditSink,
  });
  afterApply = decisions.onSignalsApplied;
  // PostgreSQL takes two batch writes in flight (pipelined behind cleaning); PGlite has one connection.
  const imports = createImportsModule({ db, bulk: database.bulk, subjects, publish: membership ? publish : null, storageKey: keys.storageKey, now, random, logger, adminToken, nodeDir: config.dir, parallelWrites: database.kind === 'postgres' ? 2 : 1 });
  // A subject's records wait as `pending` (not derived yet) or `no-consent` (skipped). Consent grants derive that
  // one subject, so start-up only needs the pending ones, not a pass over every subject without consent.
  const derivePending = async (subjects?: string[]) => {
    await imports.service.derivePending?.(subjects ? { includeNoConsent: true, subjects } : {});
  };

  const deriveAfterSharingConsent = async (c: ConsentView) => {
    if (c.record.purpose !== 'signal-sharing') return;
    await derivePending([c.record.subject.value]).catch((err: Error) => logger.error({ err: { message: err.message } }, 'derivation after consent failed; retried at next start'));
  };
  const auditConsentGranted = (c: ConsentView) =>
    auditSink.record({ type: 'consent.granted', actor: 'admin', subject: c.record.subject.value, detail: { consent: c.id, purpose: c.record.purpose, recipients: c.record.recipients, automatedDecision: c.record.automatedDecision } });
  const auditConsentWithdrawn = (subject: string) => auditSink.record({ type: 'consent.withdrawn', actor: 'admin', subject });
  // Erasure (issue 9 §4) withdraws active consents exactly as POST /admin/v1/consents/{id}/withdraw does.
  async function withdrawForErasure(id: string): Promise<void> {
    if (!consents) return;
    const r = await consents.withdraw(id);
    if (!r.ok) return;
    await auditSink.record({ type: 'consent.withdrawn', actor: 'admin', subject: r.consent.record.subject.value, detail: { consent: id, reason: 'erasure' } });
    await external.onConsentWithdrawn(r.consent.record.subject.value);
    if (r.consent.record.purpose !== 'signal-sharing') return;
    const t = await publish.publishTombstone({ id: r.consent.id, ref: r.consent.ref, subject: r.consent.record.subject });
    if (t.ok) await consents.markTombstone(id, t.signal.id);
  }
  const complianceAdmin = complianceAdminRoutes({ adminToken, services: compliance, subjects });
  // Officer accounts (C2, node/officers): their routes go before the admin surface (officer sessions get 403 there).
  const officers = createOfficersModule({ db, audit: auditSink, adminToken, now, random });
  const complianceApi = complianceRoutes({ officers: asOfficerAccess(officers.access), services: compliance, subjects });
  // Compliance console (C2, node/console): server-rendered, read-only, cookie sessions from the officers module.
  const consolePages = consoleRoutes({
    db, sessions: officers.sessions, audit: auditSink, auditLog: compliance.audit, memberId: config.memberId, now,
    peers: membership ? network.peers : null, decisions: decisions.service, subjects,
    pseudonymKid: membership?.pseudonymKey.kid ?? null, compliance,
  });

  // Partner merchants (issue 8): OAuth2 clients, consent tokens, joint-limit queries (and the ledger when wired).
  const merchant = await createMerchantModule({
    db, storageKey: keys.storageKey, baseUrl: config.baseUrl, adminToken, consents, decisions: decisions.service, logger, now, random, audit: auditSink,
    ledger: (access) => createLedgerModule({ db, access, decisions: decisions.service, subjects, consents, storageKey: keys.storageKey, adminToken, logger, metrics, now, random, fetch: opts.fetch ?? fetch }),
  });
  const admin = adminRoutes({
    adminToken,
    roster,
    subjects,
    consents,
    publish,
    network: membership ? network : null,
    onConsentGranted: [auditConsentGranted, deriveAfterSharingConsent],
    onConsentWithdrawn: [auditConsentWithdrawn, external.onConsentWithdrawn],
    merchantConsents: merchant.accessModule.merchantConsents,
    now,
  });
  const app = createApp({ logger, metrics, readiness: databaseReadiness(database), openapiText, bodyLimitBytes: config.http.bodyLimitBytes, surfaces: [network.surface, officers.routes, admin, complianceAdmin, complianceApi, consolePages, external.routes, decisions.routes, imports.routes, ...merchant.routes], bodyLimitExempt: ['/admin/v1/imports'] });

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
      compliance.audit.start();
      compliance.retention.start(24 * 3600 * 1000, (err) => logger.error({ err: { message: err.message } }, 'retention sweep failed; retried at the next interval'));
      await auditKeyChanges(db, auditSink, keyFingerprints(keys));
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
      compliance.retention.stop();
      await compliance.served.drain();
      await compliance.audit.stop();
      await external.close();
      await database.close();
    },
  };
}
