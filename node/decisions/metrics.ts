import { Counter } from 'prom-client';
import type { Metrics } from '../observability/metrics';

/** Prometheus counters of the decisions module, registered in the node's registry. */
export interface DecisionMetrics {
  decisions: Counter<'grade' | 'status' | 'trigger'>;
  earlyWarnings: Counter<'kind'>;
  shared: Counter<'type' | 'outcome'>;
  reviews: Counter<'kind' | 'outcome'>;
}

/** Creates the counters in `metrics.registry`. Call once per node. */
export function createDecisionMetrics(metrics: Pick<Metrics, 'registry'>): DecisionMetrics {
  const registers = [metrics.registry];
  return {
    decisions: new Counter({ name: 'consortium_decisions_total', help: 'Joint decisions made, by grade, status and trigger', labelNames: ['grade', 'status', 'trigger'] as const, registers }),
    earlyWarnings: new Counter({ name: 'consortium_decision_early_warnings_total', help: 'Early-warning events raised by (re-)evaluation, by kind', labelNames: ['kind'] as const, registers }),
    shared: new Counter({
      name: 'consortium_decision_signals_shared_total',
      help: 'grade.assigned / vip.status signals after decisions, by outcome (published, consent-missing, not-joined, failed)',
      labelNames: ['type', 'outcome'] as const,
      registers,
    }),
    reviews: new Counter({ name: 'consortium_decision_reviews_total', help: 'Review tasks finished, by kind and outcome', labelNames: ['kind', 'outcome'] as const, registers }),
  };
}
