/**
 * The ledger of authorizations on customers' joint limits (issue 8 §4) and merchant webhooks (issue 8 §6), as one
 * module the composition root builds after merchant access: `createMerchantModule({ ..., ledger: (access) =>
 * createLedgerModule({ ...deps, access }) })`.
 */
import { Hono } from 'hono';
import type { ConsentService } from '../../consent/service';
import type { DecisionService } from '../../decisions/service';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';
import type { Db } from '../../store/database';
import type { SubjectService } from '../../subjects/service';
import type { LedgerModule, MerchantAccess } from '../contracts';
import { createWebhooks, type Webhooks, type WebhookSettings } from '../webhooks/webhooks';
import { adminLedgerRoutes } from './admin-routes';
import { createLedgerJobs } from './jobs';
import { createLedgerMetrics } from './metrics';
import { merchantLedgerRoutes } from './routes';
import { createLedgerService, type LedgerService, type LedgerSettings } from './service';

/** Dependencies of {@link createLedgerModule}. */
export interface LedgerModuleDeps {
  db: Db;
  access: MerchantAccess;
  decisions: Pick<DecisionService, 'effective'>;
  /** Raw subject ids of `POST /admin/v1/repayments` are pseudonymized with it; null before the node joined (pseudonyms only). */
  subjects: Pick<SubjectService, 'pseudonymOf'> | null;
  /** Consents of webhook recipients: events about a customer go only to merchants whose consent is still active. */
  consents: Pick<ConsentService, 'get'> | null;
  /** The node's storage key: seals webhook signing secrets at rest. */
  storageKey: Uint8Array;
  adminToken: string;
  logger: Logger;
  metrics: Pick<Metrics, 'registry'>;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** Webhook deliveries go through it (tests pass a local receiver's fetch). */
  fetch: typeof globalThis.fetch;
  settings?: LedgerSettings & WebhookSettings & {
    /** How often lapsed holds are marked expired, ms [5000]. */
    jobEveryMs?: number;
    /** How often every line's decision in force is compared with the last seen, ms [60 000]. */
    watchEveryMs?: number;
    /** How often due webhook deliveries are attempted, ms [2000]. */
    deliverEveryMs?: number;
  };
}

/** The built module: the {@link LedgerModule} contract plus its parts (for tests and the CLI). */
export interface BuiltLedgerModule extends LedgerModule {
  service: LedgerService;
  webhooks: Webhooks;
}

/** Builds the ledger module: routes, `line(subject)`, and the background jobs (hold expiry, line watch, webhook delivery). */
export async function createLedgerModule(deps: LedgerModuleDeps): Promise<BuiltLedgerModule> {
  const s = deps.settings ?? {};
  const metrics = createLedgerMetrics(deps.metrics);
  const webhooks = createWebhooks({ db: deps.db, storageKey: deps.storageKey, consents: deps.consents, logger: deps.logger, now: deps.now, random: deps.random, fetch: deps.fetch, settings: s });
  const ledger = createLedgerService({ db: deps.db, decisions: deps.decisions, events: webhooks.events, metrics, logger: deps.logger, now: deps.now, random: deps.random, settings: s });
  const routes = new Hono<any>();
  routes.route('/', merchantLedgerRoutes({ access: deps.access, ledger, now: deps.now }));
  routes.route('/', adminLedgerRoutes({ adminToken: deps.adminToken, ledger, subjects: deps.subjects, webhooks }));
  const jobs = createLedgerJobs({
    ledger,
    webhooks,
    logger: deps.logger,
    jobEveryMs: s.jobEveryMs ?? 5000,
    watchEveryMs: s.watchEveryMs ?? 60_000,
    deliverEveryMs: s.deliverEveryMs ?? 2000,
  });
  return {
    routes,
    line: (subject, known) => ledger.line(subject, known),
    service: ledger,
    webhooks,
    start: () => jobs.start(),
    stop: () => jobs.stop(),
  };
}
