/**
 * The partner-merchant module (issue 8): access control (clients, tokens, consent tokens, idempotency, rate
 * limits, query log), the joint-limit query and, through {@link MerchantModuleDeps.ledger}, the ledger of
 * authorizations. What the composition root builds and mounts.
 */
import type { Hono } from 'hono';
import type { DecisionService } from '../decisions/service';
import type { Logger } from '../observability/logger';
import { createMerchantAccess, type MerchantAccessDeps, type MerchantAccessModule } from './access/access';
import { DEFAULT_DECISION_VALIDITY_MS, type LedgerModule, type MerchantAccess } from './contracts';
import { jointLimitRoutes } from './joint-limits/routes';

/** Dependencies of {@link createMerchantModule}. */
export interface MerchantModuleDeps extends MerchantAccessDeps {
  decisions: Pick<DecisionService, 'effective'>;
  logger: Logger;
  /** Builds the ledger once access exists (node/merchant/ledger); omitted: queries report available = limit. */
  ledger?: (access: MerchantAccess) => Promise<LedgerModule>;
  /** How long a decision is offered to merchants after it was made (default 30 days). */
  decisionValidityMs?: number;
  /** How often expired idempotency records are purged (default hourly). */
  purgeEveryMs?: number;
}

/** The built module. */
export interface MerchantModule {
  /** Mount each with `app.route('/', r)`. */
  routes: Hono<any>[];
  access: MerchantAccess;
  /** Clients, tokens and consent tokens (the admin consent route issues consent tokens through it). */
  accessModule: MerchantAccessModule;
  ledger: LedgerModule | null;
  /** Starts the idempotency purge job and the ledger's jobs. */
  start(): void;
  stop(): Promise<void>;
}

/** Builds the merchant module. */
export async function createMerchantModule(deps: MerchantModuleDeps): Promise<MerchantModule> {
  const accessModule = await createMerchantAccess(deps);
  const { access } = accessModule;
  const ledger = deps.ledger ? await deps.ledger(access) : null;
  const routes: Hono<any>[] = [
    ...accessModule.routes,
    jointLimitRoutes({ access, decisions: deps.decisions, line: ledger ? (s, d) => ledger.line(s, d) : null, now: deps.now, decisionValidityMs: deps.decisionValidityMs ?? DEFAULT_DECISION_VALIDITY_MS }),
    ...(ledger ? [ledger.routes] : []),
  ];
  let timer: NodeJS.Timeout | undefined;
  const purge = () =>
    accessModule.purgeIdempotency().then(
      (n) => n > 0 && deps.logger.info({ purged: n }, 'purged expired idempotency records'),
      (err: Error) => deps.logger.error({ err: { message: err.message } }, 'idempotency purge failed; retried at the next interval'),
    );
  return {
    routes,
    access,
    accessModule,
    ledger,
    start() {
      if (timer) return;
      void purge();
      timer = setInterval(() => void purge(), deps.purgeEveryMs ?? 3600_000);
      timer.unref();
      ledger?.start();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await ledger?.stop();
    },
  };
}
