/**
 * The ledger's background jobs: hold expiry, line watch (decision changes -> webhooks) and webhook delivery, each on
 * its own timer. A run never overlaps the previous one; failures are logged and retried at the next tick.
 */
import type { Logger } from '../../observability/logger';
import type { Webhooks } from '../webhooks/webhooks';
import type { LedgerService } from './service';

/** Dependencies of {@link createLedgerJobs}. */
export interface LedgerJobDeps {
  ledger: Pick<LedgerService, 'expireDue' | 'watchLines'>;
  webhooks: Pick<Webhooks, 'deliverDue'>;
  logger: Logger;
  /** Hold expiry interval. */
  jobEveryMs: number;
  /** Line watch interval (compares every line's decision in force; holds also check on the spot). */
  watchEveryMs: number;
  deliverEveryMs: number;
}

/** A periodic task that skips a tick while its previous run is still going. */
function every(ms: number, name: string, logger: Logger, run: () => Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = run()
      .then(() => undefined, (err: Error) => logger.error({ err: { message: err.message }, job: name }, 'ledger job failed; retried at the next interval'))
      .finally(() => {
        running = null;
      });
  };
  return {
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, ms);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** Builds the jobs (not started). */
export function createLedgerJobs(deps: LedgerJobDeps) {
  const expiry = every(deps.jobEveryMs, 'hold-expiry', deps.logger, () => deps.ledger.expireDue());
  const watch = every(deps.watchEveryMs, 'line-watch', deps.logger, () => deps.ledger.watchLines());
  const delivery = every(deps.deliverEveryMs, 'webhook-delivery', deps.logger, () => deps.webhooks.deliverDue());
  return {
    start() {
      expiry.start();
      watch.start();
      delivery.start();
    },
    async stop() {
      await Promise.all([expiry.stop(), watch.stop(), delivery.stop()]);
    },
  };
}
