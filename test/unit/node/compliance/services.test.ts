import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { createComplianceServices, type ComplianceServices } from '../../../../node/compliance/services';
import type { Database } from '../../../../node/store/database';
import { auditEntries, consents, externalScoreCache, heldSignals, memberRecords, subjects } from '../../../../node/store/schema';
import { drivers, silentLogger, testKey, warmPglite } from '../audit/support';
import { insertConsent } from './fixture';

const NOW = new Date('2026-06-01T00:00:00Z');
const held = (issuer: string, logIndex: number, subject: string, expiresAt: string) => ({
  issuer, logIndex, signalId: `sig_${issuer}_${logIndex}`, type: 'repayment.overdue', subjectKid: 'k1', subjectValue: subject,
  issuedAt: new Date('2026-01-01T00:00:00Z'), expiresAt: new Date(expiresAt), entry: new TextEncoder().encode('{}'), status: 'valid' as const,
});

describe.each(drivers())('compliance services on $name', ({ open }) => {
  beforeAll(warmPglite);
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await dispose?.();
    dispose = undefined;
  });
  async function setup(): Promise<{ database: Database; services: ComplianceServices; withdrawn: string[] }> {
    const o = await open();
    dispose = o.dispose;
    const withdrawn: string[] = [];
    let n = 0;
    const services = createComplianceServices({
      db: o.database.db, memberId: 'm1', logKey: await testKey(7), signalKey: await testKey(8), storageKey: new Uint8Array(32), logger: silentLogger,
      now: () => NOW, random: (k) => new Uint8Array(k).fill(++n), identifierOf: async () => 'tel:+8613800000000',
      withdrawConsent: async (id) => {
        withdrawn.push(id);
        await o.database.db.update(consents).set({ withdrawnAt: NOW }).where(eq(consents.id, id));
      },
    });
    const db = o.database.db;
    await db.insert(heldSignals).values([held('m1', 0, 'pA', '2026-03-01T00:00:00Z'), held('m1', 1, 'pA', '2030-01-01T00:00:00Z'), held('m2', 0, 'pA', '2026-03-01T00:00:00Z'), held('m2', 1, 'pA', '2030-01-01T00:00:00Z'), held('m2', 2, 'pB', '2030-01-01T00:00:00Z')]);
    await db.insert(externalScoreCache).values([{ provider: 'alipay', subject: 'pA', outcome: {}, expiresAt: new Date('2026-05-01T00:00:00Z') }, { provider: 'wechat', subject: 'pB', outcome: {}, expiresAt: new Date('2026-07-01T00:00:00Z') }]);
    await db.insert(memberRecords).values([
      { key: 'order:1', entity: 'order', subject: 'pA', customerRef: 'c1', hash: 'h1', data: {}, importId: 'i1', updatedAt: new Date('2020-01-01T00:00:00Z') },
      { key: 'order:2', entity: 'order', subject: 'pA', customerRef: 'c1', hash: 'h2', data: { amount: 1 }, importId: 'i1', updatedAt: new Date('2026-01-01T00:00:00Z') },
    ]);
    await db.insert(subjects).values({ pseudonym: 'pA', pseudonymKid: 'k1', sealedIdentifier: new Uint8Array(40), createdAt: NOW });
    return { database: o.database, services, withdrawn };
  }

  it('sweeps only expired peer signals, expired cache entries and records past retention, and records the sweep', async () => {
    const { database, services } = await setup();
    const r = await services.retention.sweep('admin');
    expect(r.counts).toEqual({ expiredPeerSignals: 1, expiredExternalScores: 1, externalProvenancePastRetention: 0, memberRecordsPastRetention: 1 });
    expect((await database.db.select({ n: count() }).from(heldSignals))[0]!.n).toBe(4);
    const entry = (await services.audit.entries(r.auditIndex, 1))[0]!;
    expect(entry.body).toMatchObject({ type: 'retention.swept', actor: 'admin', detail: { sweep: r.id } });
    expect((await services.retention.list(10)).map((s) => s.id)).toEqual([r.id]);
  });

  it('reports which peers received each published signal and what is held from others', async () => {
    const { services } = await setup();
    services.served.served('m2', 0, 1);
    services.served.served('m3', 0, 2);
    services.served.served('m3', 0, 2);
    await services.served.drain();
    const report = await services.subjectReports.build({ value: 'pA', kid: 'k1' });
    expect(report.signalsPublished.map((s) => [s.logIndex, s.servedTo.map((p) => p.peer).sort()])).toEqual([[0, ['m2', 'm3']], [1, ['m3']]]);
    expect(report.signalsHeld.map((s) => [s.issuer, s.logIndex, s.expired])).toEqual([['m2', 0, true], ['m2', 1, false]]);
    expect(report.records.map((r) => r.key)).toEqual(['order:1', 'order:2']);
    expect(report.subject.identifier).toBe('tel:+8613800000000');
    const audited = await services.audit.entries(0, 10);
    expect(audited.filter((e) => e.body?.type === 'peer.pull-served').map((e) => e.body?.actor)).toEqual(['peer:m2', 'peer:m3']);
  });

  it('executes an erasure: withdraws active consents, deletes personal data, keeps evidence with reasons', async () => {
    const { database, services, withdrawn } = await setup();
    await insertConsent(database, { id: 'cns_live', subject: 'pA', grantedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z' });
    await insertConsent(database, { id: 'cns_old', subject: 'pA', grantedAt: '2025-01-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z', withdrawnAt: '2025-06-01T00:00:00Z' });
    const r = await services.erasures.execute({ subject: 'pA', reason: 'ticket 7', actor: 'admin' });
    expect(withdrawn).toEqual(['cns_live']);
    expect(r.deleted).toMatchObject({ consentsWithdrawn: 1, memberRecords: 2, peerSignals: 2, externalScores: 1, sealedIdentifier: 1 });
    expect(Object.fromEntries(r.kept.map((k) => [k.category, k.count]))).toMatchObject({ ownLogEntries: 2, consentRecords: 2, decisions: 0 });
    expect(r.kept.every((k) => k.why.length > 20)).toBe(true);
    const audit = await database.db.select().from(auditEntries).where(eq(auditEntries.type, 'erasure.executed'));
    expect(audit.map((a) => a.subject)).toEqual(['pA']);
    expect(new TextDecoder().decode(audit[0]!.body)).not.toContain('ticket 7');
    expect((await services.erasures.list({ subject: 'pA', limit: 5 })).map((e) => e.id)).toEqual([r.id]);
    expect((await database.db.select().from(heldSignals).where(eq(heldSignals.subjectValue, 'pB'))).length).toBe(1);
  });
});
