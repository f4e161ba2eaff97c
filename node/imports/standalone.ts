/**
 * The import stack outside a running node (`consortium-node import`): opens and migrates the node's
 * database, builds subjects, consents and the network's own log for publishing, and the import
 * service. PGlite is single-process: while the node runs, imports go through `POST /admin/v1/imports`.
 */
import { randomBytes } from 'node:crypto';
import { ready } from '../../protocol';
import type { NodeConfig } from '../config/schema';
import { localNodeUrl } from '../http/admin/local-node';
import { openOwnDatabase } from '../store/own-database';
import { createConsentService } from '../consent/service';
import { loadKeys } from '../keys/keyfile';
import { joinedRosterPath, readMembership } from '../membership/files';
import { createRosterService } from '../membership/roster-service';
import { createNetwork } from '../network';
import type { Logger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import { fullGarbageCollector } from '../observability/memory';
import { createPublishService } from '../signals/publish';
import type { Database } from '../store/database';
import { createMetaRepository } from '../store/repositories/meta';
import { createSubjectService } from '../subjects/service';
import { importPaths } from './index';
import { createImportService, type ImportService } from './service';

/** Why the stack could not be opened: not joined yet, or the node is serving (use the admin API). */
export class ImportStackError extends Error {
  override readonly name = 'ImportStackError';
  constructor(readonly code: 'not-joined' | 'node-running', message: string) {
    super(message);
  }
}

/** An open import stack; `close` stops the log writer and closes the database. */
export interface ImportStack { service: ImportService; database: Database; close(): Promise<void> }

/** Opens the import stack of the node at `config.dir`. Throws {@link ImportStackError}, `DatabaseUnavailableError`, `ConfigError`. */
export async function openImportStack(config: NodeConfig, opts: { logger: Logger; fetch?: typeof fetch; now?: () => Date }): Promise<ImportStack> {
  await ready();
  const now = opts.now ?? (() => new Date());
  const random = (n: number) => new Uint8Array(randomBytes(n));
  const membership = readMembership(config.dir);
  if (!membership) throw new ImportStackError('not-joined', 'this node has not joined a consortium; run consortium-node join first (imports need the pseudonymization key)');
  const keys = loadKeys(config.dir);
  if (!config.databaseUrl && (await localNodeUrl(config, opts.fetch ?? fetch))) {
    throw new ImportStackError('node-running', `the node is running (it answers on port ${config.http.port}) and holds the embedded database; import through it instead: POST /admin/v1/imports?mapping=NAME&file=FILE with the admin token`);
  }
  const database = await openOwnDatabase(config, { now });
  try {
    const meta = createMetaRepository({ db: database.db, now });
    const db = database.db;
    const roster = await createRosterService({ meta, logger: opts.logger, consortiumId: membership.consortiumId, anchors: membership.anchors, rosterFile: joinedRosterPath(config.dir) });
    const network = await createNetwork({ config, keys, db, logger: opts.logger, metrics: createMetrics(), now, random, fetch: opts.fetch ?? fetch, roster });
    const subjects = createSubjectService({ db, pseudonymKey: membership.pseudonymKey, storageKey: keys.storageKey, now, random });
    const consents = createConsentService({ db, subjects, memberId: config.memberId, consortiumId: membership.consortiumId, signingKey: keys.signal, now, random });
    const publish = createPublishService({ memberId: config.memberId, consortiumId: membership.consortiumId, signalKey: keys.signal, subjects, consents, network, now, random });
    const service = createImportService({
      db, bulk: database.bulk, subjects, publish, storageKey: keys.storageKey, workDir: importPaths(config.dir).workDir, now, random, logger: opts.logger,
      parallelWrites: database.kind === 'postgres' ? 2 : 1,
      // The CLI process does nothing else: full collections keep its memory flat. The running node
      // leaves collection to V8, so imports through its admin API never pause its HTTP and network work.
      collectGarbage: fullGarbageCollector(),
    });
    let closed = false;
    return {
      service,
      database,
      async close() {
        if (closed) return;
        closed = true;
        await network.stop();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
}
