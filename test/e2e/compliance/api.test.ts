import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, fromBase64Url, leafHash, openCheckpoint, verifyInclusion, verifyTlogProof, ed25519Verify } from '../../../protocol';
import { receiptSigningInput, type SignedReceipt } from '../../../node/compliance/receipt';
import type { SubjectReport } from '../../../node/compliance/subject-report';
import { startMerchantNode, type MerchantE2e } from '../merchant/harness';

const customer = '+8613900239377';

/**
 * Issue 9 "done when": an officer answers "who looked at this customer, why, and with what consent" and "what did we
 * share about them, and with whom" over the compliance API, with cryptographic evidence (signed receipts, audit
 * entries proven against a signed checkpoint).
 */
describe('compliance API against a running node', { timeout: 120_000 }, () => {
  let e: MerchantE2e;
  let auditor: string;
  let viewer: string;
  let shopId: string;
  let consentId: string;

  const officer = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${e.node.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : null });
    return { status: res.status, body: (await res.json()) as any };
  };
  const signIn = async (username: string, role: 'viewer' | 'auditor') => {
    const password = `${username}-long-enough-passphrase`;
    const created = await e.admin('POST', '/admin/v1/officers', { username, role, password });
    expect(created.status).toBe(201);
    const res = await fetch(`${e.node.url}/compliance/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    e = await startMerchantNode();
    auditor = await signIn('alice.audit', 'auditor');
    viewer = await signIn('victor.view', 'viewer');
    const shop = await e.merchant();
    shopId = shop.id;
    await e.decide(customer);
    const consent = await e.consent(customer, shop.id);
    consentId = consent.id;
    const q = await shop.client.api.POST('/v1/joint-limits/query', { body: { consentToken: consent.consentToken } });
    expect(q.response.status).toBe(200);
  });
  afterAll(async () => e?.close());

  it('finds the consent by raw identifier and returns a receipt signed by the node', async () => {
    const found = await officer(viewer, 'GET', `/compliance/v1/consents?subject=${encodeURIComponent(customer)}&purpose=merchant-limit`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([consentId]);
    expect(found.body.items[0].recipients).toEqual([shopId]);
    const r = await officer(viewer, 'GET', `/compliance/v1/consents/${consentId}/receipt`);
    expect(r.status).toBe(200);
    const signed = r.body as SignedReceipt;
    expect(signed.receipt.recordId).toBe(consentId);
    expect(signed.receipt.state).toBe('given');
    expect(signed.receipt.pipl.separateConsent).toBe(true);
    expect(ed25519Verify(fromBase64Url(signed.signature.value), receiptSigningInput(signed.receipt), e.node.runtime.keys.signal.publicKey)).toBe(true);
    expect(JSON.stringify(signed)).not.toContain(customer);
  });

  it('answers who looked at the customer, why, and with what consent, with audit entries proven against a signed checkpoint', async () => {
    const rep = await officer(auditor, 'POST', '/compliance/v1/subject-reports', { subject: customer });
    expect(rep.status).toBe(200);
    const report = rep.body as SubjectReport;
    expect(report.merchantQueries.length).toBeGreaterThanOrEqual(1);
    expect(report.merchantQueries[0]).toMatchObject({ clientId: shopId, consentId });
    expect(report.decisions.length).toBeGreaterThanOrEqual(1);
    expect(report.consents.map((c) => c.id)).toContain(consentId);
    const pseudonym = report.subject.pseudonym;

    const page = await officer(auditor, 'GET', '/compliance/v1/audit/entries?from=0&limit=500');
    expect(page.status).toBe(200);
    const mine = (page.body.items as { index: number; body: { type: string; subject?: string } }[]).filter((x) => x.body.subject === pseudonym);
    const types = mine.map((x) => x.body.type);
    expect(types).toEqual(expect.arrayContaining(['decision.made', 'consent.granted', 'merchant.query', 'export.made']));
    expect(JSON.stringify(page.body)).not.toContain(customer);

    const query = mine.find((x) => x.body.type === 'merchant.query')!;
    const proof = await officer(auditor, 'GET', `/compliance/v1/audit/entries/${query.index}`);
    expect(proof.status).toBe(200);
    const cp = await officer(auditor, 'GET', '/compliance/v1/audit/checkpoint');
    const opened = openCheckpoint(proof.body.checkpoint.note, { logKeys: [cp.body.verifierKey], origin: cp.body.origin });
    const leaf = leafHash(new TextEncoder().encode(proof.body.entry));
    expect(verifyInclusion(leaf, query.index, opened.size, proof.body.inclusionProof.map((h: string) => fromBase64(h)), opened.rootHash)).toBe(true);
    expect(verifyTlogProof(proof.body.tlogProof, leaf, { logKeys: [cp.body.verifierKey], origin: cp.body.origin }).index).toBe(query.index);
  });

  it('answers what was shared about the customer and with whom', async () => {
    const rep = await officer(auditor, 'POST', '/compliance/v1/subject-reports', { subject: customer, format: 'json' });
    const report = rep.body as SubjectReport;
    // Each published signal lists the peers its log entry was served to; each held signal names its issuer.
    for (const s of report.signalsPublished) expect(Array.isArray(s.servedTo)).toBe(true);
    expect(report.consents.every((c) => c.recipients.length > 0)).toBe(true);
    const html = await fetch(`${e.node.url}/compliance/v1/subject-reports`, { method: 'POST', headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' }, body: JSON.stringify({ subject: customer, format: 'html' }) });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('Merchant queries');
  });

  it('keeps viewers out of the audit log and subject reports, and anonymous callers out of everything', async () => {
    expect((await officer(viewer, 'GET', '/compliance/v1/audit/checkpoint')).body.code).toBe('officer-role-required');
    expect((await officer(viewer, 'POST', '/compliance/v1/subject-reports', { subject: customer })).status).toBe(403);
    expect((await fetch(`${e.node.url}/compliance/v1/consents`)).status).toBe(401);
    expect((await officer(auditor, 'GET', '/compliance/v1/consents?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z')).body.code).toBe('validation-failed');
    expect((await officer(auditor, 'GET', '/compliance/v1/audit/entries?limit=100000')).body.code).toBe('validation-failed');
  });

  it('runs a retention sweep and an erasure on the admin surface, and shows their evidence to officers', async () => {
    const sweep = await e.admin('POST', '/admin/v1/retention/sweep');
    expect(sweep.status).toBe(200);
    expect(Object.keys(sweep.body.counts)).toEqual(expect.arrayContaining(['expiredPeerSignals', 'expiredExternalScores', 'memberRecordsPastRetention']));
    const other = '+8613900239378';
    await e.decide(other);
    const erased = await e.admin('POST', '/admin/v1/erasures', { subject: other, reason: 'subject request, ticket 42' });
    expect(erased.status).toBe(201);
    expect(erased.body.kept.map((k: { category: string }) => k.category)).toContain('decisions');
    expect(erased.body.kept.find((k: { category: string }) => k.category === 'decisions').count).toBe(1);
    const sweeps = await officer(viewer, 'GET', '/compliance/v1/retention/sweeps');
    expect(sweeps.body.items[0].id).toBe(sweep.body.id);
    const erasures = await officer(viewer, 'GET', '/compliance/v1/erasures');
    expect(erasures.body.items[0].id).toBe(erased.body.id);
    expect(JSON.stringify(erasures.body)).not.toContain(other);
  });
});
