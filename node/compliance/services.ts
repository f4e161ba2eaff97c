import { createAuditLog, type AuditLog } from '../audit/log';
import type { Ed25519Key } from '../keys/keyfile';
import type { Logger } from '../observability/logger';
import type { Db } from '../store/database';
import { createConsentReceipts, type ConsentReceipts } from './consents';
import { createErasureService, type ErasureService } from './erasure';
import { createRetentionService, type RetentionPolicy, type RetentionService } from './retention';
import { createServedRecorder, type ServedRecorder } from './served';
import { createSubjectReports, type SubjectReports } from './subject-report';

/** Dependencies of {@link createComplianceServices}. */
export interface ComplianceServicesDeps {
  db: Db;
  memberId: string;
  /** Signs audit checkpoints (origin `<member>.audit.consortium`). */
  logKey: Ed25519Key;
  /** Signs consent receipts (the key that signed the consent records). */
  signalKey: Ed25519Key;
  storageKey: Uint8Array;
  /** Decrypts a subject's identifier (SubjectService.identifierOf); null before joining. */
  identifierOf: (pseudonym: string) => Promise<string | null>;
  /** Withdraws one consent as the admin API does (used by erasure). */
  withdrawConsent: (id: string) => Promise<void>;
  logger: Logger;
  now: () => Date;
  random: (n: number) => Uint8Array;
  retention?: Partial<RetentionPolicy>;
  checkpointIntervalMs?: number;
}

/** The compliance services (issue 9 §1-4), for `/compliance/v1/`, the admin surface and C2's console pages. */
export interface ComplianceServices {
  audit: AuditLog;
  receipts: ConsentReceipts;
  subjectReports: SubjectReports;
  retention: RetentionService;
  erasures: ErasureService;
  served: ServedRecorder;
}

/** Builds the compliance services on one database. */
export function createComplianceServices(deps: ComplianceServicesDeps): ComplianceServices {
  const { db, now, logger } = deps;
  const audit = createAuditLog({ db, memberId: deps.memberId, logKey: deps.logKey, now, logger, ...(deps.checkpointIntervalMs ? { checkpointIntervalMs: deps.checkpointIntervalMs } : {}) });
  const receipts = createConsentReceipts({ db, signingKey: deps.signalKey, now });
  const served = createServedRecorder({ db, audit, now, logger });
  const subjectReports = createSubjectReports({ db, memberId: deps.memberId, storageKey: deps.storageKey, receipts, served, identifierOf: deps.identifierOf, now });
  const retention = createRetentionService({ db, audit, memberId: deps.memberId, now, random: deps.random, ...(deps.retention ? { policy: deps.retention } : {}) });
  const erasures = createErasureService({ db, audit, memberId: deps.memberId, now, random: deps.random, withdrawConsent: deps.withdrawConsent });
  return { audit, receipts, subjectReports, retention, erasures, served };
}
