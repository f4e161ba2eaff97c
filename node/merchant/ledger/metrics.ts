import { Counter } from 'prom-client';
import type { Metrics } from '../../observability/metrics';

/** Prometheus counters of the merchant ledger, registered in the node's registry. */
export interface LedgerMetrics {
  /** Hold requests by outcome (`ok` or the problem code). */
  holds: Counter<'outcome'>;
  /** Captures, releases and expiries. */
  transitions: Counter<'kind'>;
  /** Admin repayments by outcome (`ok`, `replayed` or the problem code). */
  repayments: Counter<'outcome'>;
}

/** Creates the counters in `metrics.registry`. Call once per node. */
export function createLedgerMetrics(metrics: Pick<Metrics, 'registry'>): LedgerMetrics {
  const registers = [metrics.registry];
  return {
    holds: new Counter({ name: 'consortium_merchant_holds_total', help: 'Authorization hold requests, by outcome', labelNames: ['outcome'] as const, registers }),
    transitions: new Counter({ name: 'consortium_merchant_authorization_transitions_total', help: 'Authorization captures, releases and expiries', labelNames: ['kind'] as const, registers }),
    repayments: new Counter({ name: 'consortium_merchant_repayments_total', help: 'Repayments recorded by the member, by outcome', labelNames: ['outcome'] as const, registers }),
  };
}
