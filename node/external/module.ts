/**
 * The external credit scores feature of the node (issue 6): validates `externalScores` from node.json
 * at start, builds the provider adapters, the consent gate over the node's ConsentService, the
 * database-backed cache and provenance store, and the admin routes. compose.ts builds it once.
 */
import type { Hono } from 'hono';
import { Counter } from 'prom-client';
import { createExternalScoreService, realSleep, toDecisionInput, type ConsentCheck, type ExternalScoreInput, type ExternalScoreService } from '../../adapters/external/index';
import type { NodeConfig } from '../config/schema';
import type { ConsentService } from '../consent/service';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Db } from '../store/database';
import type { SubjectService } from '../subjects/service';
import { externalScoreRoutes } from './routes';
import { setupExternalScores } from './setup';
import { createDbProvenanceStore, createDbScoreCache, provenanceId } from './store';
import { subjectIdentifiers, type ExtraIdentifiers } from './subject';
import type { AuditSink } from '../compliance/contracts';

/** What the module needs from the composition root. */
export interface ExternalScoresModuleDeps {
  config: NodeConfig;
  db: Db;
  /** Null until the node has joined a consortium: every fetch then answers `consent_missing`. */
  consents: ConsentService | null;
  subjects: SubjectService | null;
  /** The admin bearer token (`/admin/v1/` auth is applied by the module's routes). */
  adminToken: string;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** HTTP client for the providers; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Reads key files (paths in node.json are relative to the node directory); defaults to the file system. */
  readFile?: (path: string) => Promise<string>;
  /** Records `external-score.fetched` for every verified provider answer (issue 9 audit log). */
  audit?: AuditSink;
}

/** The built module. */
export interface ExternalScoresModule {
  /** The score service for decisions; null when no provider is configured. */
  service: ExternalScoreService | null;
  /** `/admin/v1/external-scores/...`; mount next to the admin routes. */
  routes: Hono;
  /**
   * Every configured provider's (or the named ones') contribution for a decision about a subject:
   * consent-gated, cached, never throwing for provider trouble (the input then carries a reason code).
   * `provenanceIds` lists the stored answers the decision relied on.
   */
  decisionInputs(subjectPseudonym: string, opts?: { providers?: string[]; extra?: ExtraIdentifiers }): Promise<{ inputs: ExternalScoreInput[]; provenanceIds: string[] }>;
  /** Drops every cached score of the subject; call when any of its consents is withdrawn. */
  onConsentWithdrawn(subjectPseudonym: string): Promise<void>;
  close(): Promise<void>;
}

/** Consent gate: an active consent for `external-score:<provider>` held by this node's registry (architecture §6). */
export function consentCheckOf(consents: ConsentService | null, now: () => Date): ConsentCheck {
  return async (subject, purpose) => {
    if (!consents) return { ok: false, reason: 'this node has not joined a consortium, so it holds no consents' };
    const found = await consents.findActive(subject, purpose, now());
    return found ? { ok: true, consentId: found.id } : { ok: false, reason: 'missing, expired or withdrawn' };
  };
}

/** Builds the module; throws ConfigError (naming e.g. `node.json externalScores.providers.0.appId`) on bad settings. */
export async function createExternalScoresModule(deps: ExternalScoresModuleDeps): Promise<ExternalScoresModule> {
  const setup = await setupExternalScores(deps.config.externalScores, {
    dir: deps.config.dir,
    now: deps.now,
    random: deps.random,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.readFile ? { readFile: deps.readFile } : {}),
  });
  const cache = createDbScoreCache(deps.db);
  const stored = createDbProvenanceStore(deps.db);
  const provenance: typeof stored = !deps.audit
    ? stored
    : {
        ...stored,
        async save(record) {
          await stored.save(record);
          await deps.audit!.record({ type: 'external-score.fetched', actor: 'system', subject: record.subjectPseudonym, detail: { provider: record.provider, operation: record.operation, consent: record.consentId, provenance: provenanceId(record) } });
        },
      };
  const service =
    setup.providers.length === 0
      ? null
      : createExternalScoreService({
          providers: setup.providers,
          checkConsent: consentCheckOf(deps.consents, deps.now),
          cache,
          provenanceStore: provenance,
          now: deps.now,
          random: deps.random,
          sleep: realSleep,
        });
  const fetches = new Counter({
    name: 'consortium_external_score_fetches_total',
    help: 'External score fetches, by provider, outcome (ok or failure code) and whether the cache answered',
    labelNames: ['provider', 'outcome', 'cached'] as const,
    registers: [deps.metrics.registry],
  });
  if (service) deps.logger.info({ providers: service.providerNames() }, 'external score providers configured');
  const routes = externalScoreRoutes({
    adminToken: deps.adminToken,
    service,
    config: setup.config,
    publicKeys: setup.publicKeys,
    provenance,
    subjects: deps.subjects,
    now: deps.now,
    onFetched: (provider, outcome, cached) => {
      fetches.inc({ provider, outcome, cached: String(cached) });
      if (outcome !== 'ok' && outcome !== 'consent_missing') deps.logger.warn({ provider, outcome }, 'external score fetch failed');
    },
  });
  return {
    service,
    routes,
    async decisionInputs(subjectPseudonym, opts = {}) {
      if (!service) return { inputs: [], provenanceIds: [] };
      const subject = await subjectIdentifiers(deps.subjects, subjectPseudonym, opts.extra);
      // Providers are independent: ask them in parallel, each bounded by its own timeout.
      const results = await Promise.all((opts.providers ?? service.providerNames()).map(async (name) => [name, await service.fetchScore(name, subject)] as const));
      const inputs: ExternalScoreInput[] = [];
      const provenanceIds: string[] = [];
      for (const [name, result] of results) {
        fetches.inc({ provider: name, outcome: result.ok ? 'ok' : result.code, cached: String(result.cached) });
        inputs.push(toDecisionInput(name, result));
        if (result.provenance) provenanceIds.push(provenanceId(result.provenance));
      }
      return { inputs, provenanceIds };
    },
    onConsentWithdrawn: (subjectPseudonym) => cache.delete(subjectPseudonym),
    async close() {
      deps.metrics.registry.removeSingleMetric('consortium_external_score_fetches_total');
    },
  };
}
