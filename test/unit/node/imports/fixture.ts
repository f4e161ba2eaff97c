/**
 * A member node's import stack over a fresh database (PGlite in memory unless `database` is given):
 * subjects, consents and publishing over the fake network, and the import service.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready } from '../../../../protocol';
import { createConsentService } from '../../../../node/consent/service';
import { createImportService, type ImportServiceDeps } from '../../../../node/imports';
import { loadKeys } from '../../../../node/keys/keyfile';
import { readMembership } from '../../../../node/membership/files';
import { createLogger } from '../../../../node/observability/logger';
import { createPublishService } from '../../../../node/signals/publish';
import { openDatabase, type Database } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';
import { createSubjectService } from '../../../../node/subjects/service';
import { createFakeNetwork } from '../../../support/fake-network';
import { joinedNodes } from '../../../support/member-fixture';

/** Consent request fields other than the subject. */
export const sharingConsent = {
  purpose: 'signal-sharing', recipients: ['consortium:test-consortium'], dataCategories: ['repayments'],
  notice: { version: '2026-11', hash: `sha256:${'ab'.repeat(32)}` }, collectionMethod: 'app-checkbox',
} as const;

/** Builds the stack for member `memberId` at the fixed clock `now` (small batches by default, to exercise batching; two writers on PostgreSQL). */
export async function importStack(memberId: string, now: () => Date, database?: Database, batchSize = 50, extra: Partial<ImportServiceDeps> = {}) {
  await ready();
  const fx = await joinedNodes([memberId]);
  const dir = fx.nodes[0]!.dir;
  const keys = loadKeys(dir);
  const membership = readMembership(dir)!;
  const db = database ?? (await openDatabase({ url: null }));
  await runMigrations(db);
  const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
  const network = createFakeNetwork(memberId);
  const subjects = createSubjectService({ db: db.db, pseudonymKey: membership.pseudonymKey, storageKey: keys.storageKey, now, random });
  const consents = createConsentService({ db: db.db, subjects, memberId, consortiumId: membership.consortiumId, signingKey: keys.signal, now, random });
  const publish = createPublishService({ memberId, consortiumId: membership.consortiumId, signalKey: keys.signal, subjects, consents, network, now, random });
  const workDir = mkdtempSync(join(tmpdir(), 'imports-'));
  const logger = createLogger({ level: 'silent' });
  const service = createImportService({ db: db.db, bulk: db.bulk, subjects, publish, storageKey: keys.storageKey, workDir, now, random, logger, batchSize, parallelWrites: db.kind === 'postgres' ? 2 : 1, ...extra });
  return {
    dir, keys, db, network, subjects, consents, publish, service, workDir, logger,
    grant: async (rawId: string) => {
      const r = await consents.grant({ subject: { id: rawId }, ...sharingConsent, dataCategories: [...sharingConsent.dataCategories], recipients: [...sharingConsent.recipients], automatedDecision: false });
      if (!r.ok) throw new Error(r.message);
      return r.consent;
    },
    close: async () => {
      if (!database) await db.close();
      rmSync(workDir, { recursive: true, force: true });
      fx.cleanup();
    },
  };
}
