/**
 * The decisions module (issue 7): what the composition root builds and mounts. It opens the model registry in
 * `modelsDir` (installing the shipped default model at first start), builds the service and its admin routes, and
 * exposes `onSignalsApplied` for the network to call after it applied new signals.
 */
import type { Hono } from 'hono';
import { defaultPolicy, type Policy } from '../../scoring';
import type { Network } from '../network/types';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { PublishService } from '../signals/publish';
import type { Db } from '../store/database';
import type { SubjectService } from '../subjects/service';
import { createDecisionMetrics } from './metrics';
import { openModelSource, type ModelSource } from './models';
import type { ExternalScoresProvider, OwnHistoryProvider } from './providers';
import { createDecisionRepository } from './repository';
import { decisionRoutes } from './routes';
import { createDecisionService, type DecisionService } from './service';
import type { AuditSink } from '../compliance/contracts';

/** Dependencies of {@link createDecisionsModule}. */
export interface DecisionsModuleDeps {
  db: Db;
  network: Pick<Network, 'signals'>;
  /** Null before the node joined a consortium (evaluation by raw id answers `not-joined`). */
  subjects: SubjectService | null;
  publish: Pick<PublishService, 'publishFor'>;
  ownHistory: OwnHistoryProvider;
  external: ExternalScoresProvider;
  /** The registry directory, `DIR/models`. */
  modelsDir: string;
  /** Default: `defaultPolicy()`. */
  policy?: Policy;
  memberId: string;
  adminToken: string;
  logger: Logger;
  metrics: Pick<Metrics, 'registry'>;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** Records `decision.made` and `review.action` (issue 9 audit log). */
  audit?: AuditSink;
  /** Where the shipped default model lives (default `models/default/` of this repository). */
  defaultModelsDir?: string;
}

/** The built module. */
export interface DecisionsModule {
  service: DecisionService;
  models: ModelSource;
  /** Mount with `app.route('/', routes)` (the composition root passes it as a surface). */
  routes: Hono;
  /** Re-evaluates subjects that already have a decision; call after new signals about `pseudonyms` were applied. */
  onSignalsApplied(pseudonyms: string[]): Promise<void>;
}

/** Builds the decisions module. Throws when the models directory holds a registry that cannot be loaded. */
export async function createDecisionsModule(deps: DecisionsModuleDeps): Promise<DecisionsModule> {
  const opened = await openModelSource({ modelsDir: deps.modelsDir, now: deps.now, ...(deps.defaultModelsDir ? { defaultsDir: deps.defaultModelsDir } : {}) });
  if (!opened.ok) throw new Error(`models directory ${deps.modelsDir}: ${opened.error.code}: ${opened.error.message}`);
  const service = createDecisionService({
    repo: createDecisionRepository(deps.db),
    models: opened.source,
    policy: deps.policy ?? defaultPolicy(),
    memberId: deps.memberId,
    network: deps.network,
    ownHistory: deps.ownHistory,
    external: deps.external,
    publish: deps.publish,
    logger: deps.logger,
    metrics: createDecisionMetrics(deps.metrics),
    now: deps.now,
    random: deps.random,
    ...(deps.audit ? { audit: deps.audit } : {}),
  });
  return {
    service,
    models: opened.source,
    routes: decisionRoutes({ adminToken: deps.adminToken, service, subjects: deps.subjects }),
    onSignalsApplied: (pseudonyms) => service.onSignalsApplied(pseudonyms),
  };
}
