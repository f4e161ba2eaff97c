import type { ConsentRecord } from '../../../../node/consent/record';
import type { Database } from '../../../../node/store/database';
import { consents } from '../../../../node/store/schema';

/** Inserts a consent row directly (the consent service is tested elsewhere); returns its id. */
export async function insertConsent(
  database: Database,
  o: { id: string; subject: string; purpose?: string; recipients?: string[]; grantedAt: string; expiresAt: string; withdrawnAt?: string; automatedDecision?: boolean },
): Promise<string> {
  const record: ConsentRecord = {
    v: 1, id: o.id, controller: 'm1', consortium: 'c1', subject: { kid: 'k1', value: o.subject }, purpose: o.purpose ?? 'signal-sharing',
    recipients: o.recipients ?? ['consortium:c1'], dataCategories: ['repayment'], notice: { version: 'n1', hash: `sha256:${'ab'.repeat(32)}` },
    collectionMethod: 'app-checkbox', automatedDecision: o.automatedDecision ?? true, grantedAt: o.grantedAt, expiresAt: o.expiresAt,
  };
  await database.db.insert(consents).values({
    id: o.id, subject: o.subject, purpose: record.purpose, record, ref: `sha256:${o.id}`, signature: 'sig', grantedAt: new Date(o.grantedAt), expiresAt: new Date(o.expiresAt),
    withdrawnAt: o.withdrawnAt ? new Date(o.withdrawnAt) : null,
  });
  return o.id;
}
