import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../observability/metrics';

/** Prometheus series of the network module, registered on the node's registry. */
export interface NetworkMetrics {
  /** Misbehaviour detected per peer and kind (fork, shrink, inconsistent, bad-signature). */
  misbehaviour: Counter<'peer' | 'kind'>;
  /** Rejected peer requests and peer entries, by stable code. */
  rejections: Counter<'code'>;
  /** Signals appended to the own log. */
  appended: Counter;
  /** Peer signals applied. */
  applied: Counter<'peer'>;
  /** Entries known at a peer but not applied yet. */
  lag: Gauge<'peer'>;
}

/** Creates the network series on `metrics.registry` (once per node). */
export function createNetworkMetrics(metrics: Metrics): NetworkMetrics {
  const registers = [metrics.registry];
  return {
    misbehaviour: new Counter({
      name: 'consortium_peer_misbehaviour_total',
      help: 'Peer misbehaviour detected (evidence stored, peer quarantined), by peer and kind',
      labelNames: ['peer', 'kind'] as const,
      registers,
    }),
    rejections: new Counter({
      name: 'consortium_peer_rejections_total',
      help: 'Rejected peer requests and peer log entries, by stable code',
      labelNames: ['code'] as const,
      registers,
    }),
    appended: new Counter({ name: 'consortium_log_appended_total', help: 'Signals appended to the own log', registers }),
    applied: new Counter({
      name: 'consortium_peer_signals_applied_total',
      help: 'Peer signals verified and applied, by peer',
      labelNames: ['peer'] as const,
      registers,
    }),
    lag: new Gauge({ name: 'consortium_peer_lag_entries', help: 'Entries at a peer not yet applied here', labelNames: ['peer'] as const, registers }),
  };
}
