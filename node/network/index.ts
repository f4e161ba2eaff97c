/**
 * The consortium network module (architecture sections 4-7): the member's own append-only signal log,
 * serving it to authenticated peers in the C2SP tlog-tiles layout, pulling and verifying every peer's
 * log, quarantining misbehaving peers, and witnessing (cosigning) the checkpoints it verified.
 */
import { Hono } from 'hono';
import { parseCheckpoint, parseNote } from '../../protocol';
import { peerAuth, type PeerEnv } from './http/auth';
import { logRoutes } from './http/log-routes';
import { createPeerTokenIssuer } from './http/tokens';
import { createCheckpointer } from './log/checkpointer';
import { createSequencer } from './log/sequencer';
import { createNetworkMetrics } from './metrics';
import { createPeerClient } from './pull/client';
import { createPuller } from './pull/puller';
import { createPullScheduler } from './pull/scheduler';
import { requireSelf } from './roster';
import { peerStatuses } from './status';
import { heldBySubject } from './store/held';
import { cosignatureLines, latestOwnCheckpoint } from './store/own-log';
import { getPeer, listEvidence, putPeer } from './store/peers';
import type { Network, NetworkDeps } from './types';

export { NetworkError, isNetworkError, NETWORK_ERROR_CODES, type NetworkErrorCode } from './errors';
export { PEER_AUTH_CODES } from './http/auth';
export type * from './types';

/** Defaults of the pull loop. */
export const PULL_DEFAULTS = { intervalMs: 2000, maxBackoffMs: 60_000, batchEntries: 1_000_000, timeoutMs: 10_000, concurrency: 8 } as const;

/**
 * Builds the network module. Nothing runs until {@link Network.start}; `surface` can be mounted at once.
 * Requires the migrations (`node/store/migrations`) to have been applied to `deps.db`.
 */
export function createNetwork(deps: NetworkDeps): Network {
  const memberId = deps.config.memberId;
  const metrics = createNetworkMetrics(deps.metrics);
  const intervalMs = deps.pull?.intervalMs ?? PULL_DEFAULTS.intervalMs;
  const origin = () => {
    const cur = deps.roster.current();
    return cur?.body.members.find((m) => m.id === memberId)?.log.origin ?? null;
  };
  const checkpointer = createCheckpointer({
    db: deps.db,
    logKey: deps.keys.log,
    origin,
    now: deps.now,
    logger: deps.logger,
    intervalMs: deps.checkpointIntervalMs ?? 1000,
  });
  const sequencer = createSequencer({
    db: deps.db,
    memberId,
    signalKey: deps.keys.signal,
    requireJoined: () => void requireSelf(deps.roster, memberId),
    onCommitted: (_size, added) => {
      metrics.appended.inc(added);
      checkpointer.notify();
    },
  });
  const tokens = createPeerTokenIssuer({ memberId, nodeKey: deps.keys.node, now: deps.now, random: deps.random });
  const client = createPeerClient({ fetch: deps.fetch, tokens, timeoutMs: PULL_DEFAULTS.timeoutMs });
  const puller = createPuller({
    db: deps.db,
    memberId,
    roster: deps.roster,
    client,
    witnessKey: deps.keys.witness,
    now: deps.now,
    logger: deps.logger,
    metrics,
    maxRoundEntries: deps.pull?.batchEntries ?? PULL_DEFAULTS.batchEntries,
    concurrency: PULL_DEFAULTS.concurrency,
    ...(deps.onSignalsApplied ? { onSignalsApplied: deps.onSignalsApplied } : {}),
  });
  const scheduler = createPullScheduler({
    db: deps.db,
    memberId,
    roster: deps.roster,
    puller,
    now: deps.now,
    random: deps.random,
    logger: deps.logger,
    metrics,
    intervalMs,
    maxBackoffMs: deps.pull?.maxBackoffMs ?? PULL_DEFAULTS.maxBackoffMs,
  });

  const surface = new Hono<PeerEnv>();
  surface.use('/peer/v1/*', peerAuth({ db: deps.db, memberId, roster: deps.roster, now: deps.now, metrics }));
  surface.route('/', logRoutes({ db: deps.db, memberId, roster: deps.roster, now: deps.now, metrics, ...(deps.onEntriesServed ? { onEntriesServed: deps.onEntriesServed } : {}) }));

  let started = false;
  let unsubscribe: (() => void) | null = null;
  return {
    surface,
    log: {
      append: (signals) => sequencer.append(signals),
      async latestCheckpoint() {
        const cp = await latestOwnCheckpoint(deps.db);
        if (!cp) return null;
        const lines = await cosignatureLines(deps.db, parseCheckpoint(parseNote(cp.note).text).origin, cp.size);
        return cp.note + lines.join('');
      },
      checkpointNow: () => checkpointer.signNow(),
    },
    signals: {
      bySubject: (subjectValue, asOf) => heldBySubject(deps.db, subjectValue, asOf, memberId),
    },
    peers: {
      status: () => peerStatuses(deps.db, deps.roster, memberId, deps.now()),
      pullOnce: () => scheduler.pullOnce(),
      evidence: (id) => listEvidence(deps.db, id),
      async releaseQuarantine(id) {
        const peer = await getPeer(deps.db, id);
        if (!peer || peer.state !== 'quarantined') return false;
        await putPeer(deps.db, { ...peer, state: 'ok', lastError: null, attempts: 0, nextAttemptAt: null });
        deps.logger.warn({ peer: id }, 'peer quarantine lifted by the operator');
        return true;
      },
    },
    start() {
      if (started) return;
      started = true;
      const sign = () =>
        void checkpointer.signNow().catch((err: Error) => deps.logger.error({ err: { message: err.message } }, 'checkpoint signing failed'));
      sign();
      unsubscribe = deps.roster.onChange(sign);
      scheduler.start();
    },
    async stop() {
      started = false;
      unsubscribe?.();
      unsubscribe = null;
      await scheduler.stop();
      await sequencer.drain();
      await checkpointer.stop();
    },
  };
}
