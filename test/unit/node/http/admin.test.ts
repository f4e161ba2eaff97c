import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRoster } from '../../../../protocol';
import { composeNode, type NodeRuntime } from '../../../../node/compose';
import { loadConfig } from '../../../../node/config/load';
import { setMemberStatus } from '../../../../node/governance/roster-edit';
import { createLogger } from '../../../../node/observability/logger';
import { subjects } from '../../../../node/store/schema';
import { createSubjectService } from '../../../../node/subjects/service';
import { readMembership } from '../../../../node/membership/files';
import { createFakeNetwork } from '../../../support/fake-network';
import { joinedNodes } from '../../../support/member-fixture';
import { migratedPglite } from '../../../support/pglite';
import { tempNode } from '../../../support/node-dir';

const RID = '11010519491231002X';
const notice = { version: '2026-11', hash: `sha256:${'ab'.repeat(32)}` };
const overdue = { product: 'bnpl', bucket: 'M2', amountBand: '1k-5k', asOf: '2026-10' };

describe('member-operator API', () => {
  let fx: Awaited<ReturnType<typeof joinedNodes>>;
  let node: NodeRuntime;
  let fake: ReturnType<typeof createFakeNetwork>;
  let token: string;
  const now = () => new Date('2026-11-23T10:00:00Z');

  beforeAll(async () => {
    fx = await joinedNodes(['shop-a', 'shop-b']);
    const dir = fx.nodes[0]!.dir;
    token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
    fake = createFakeNetwork('shop-a');
    node = await composeNode(loadConfig(dir, {}), { now, database: await migratedPglite(), logger: createLogger({ level: 'silent' }), createNetwork: () => fake });
  });
  afterAll(async () => {
    await node.close();
    fx.cleanup();
  });

  const call = (method: string, path: string, body?: unknown, auth = true) =>
    node.app.request(path, {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const consent = (id = RID) => ({ subject: { id }, purpose: 'signal-sharing', recipients: ['consortium:test-consortium'], dataCategories: ['repayments'], notice, collectionMethod: 'app-checkbox' });

  it('requires the admin token', async () => {
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${token}`]) {
      const res = await node.app.request('/admin/v1/peers', { headers: auth ? { authorization: auth } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(await res.json()).toMatchObject({ code: 'unauthorized' });
    }
  });

  it('validates consent requests and never echoes identifiers', async () => {
    const bad = await call('POST', '/admin/v1/consents', { ...consent(), purpose: 'marketing', extra: 1 });
    expect(bad.status).toBe(400);
    const p = (await bad.json()) as { code: string; errors: { path: string }[] };
    expect(p.code).toBe('validation-failed');
    expect(p.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['purpose']));
    const invalid = await call('POST', '/admin/v1/consents', consent('110105194912310021'));
    expect(invalid.status).toBe(422);
    const text = await invalid.text();
    expect(JSON.parse(text).code).toBe('subject-invalid');
    expect(text).not.toContain('110105194912310021');
    const wrongRecipient = await call('POST', '/admin/v1/consents', { ...consent(), recipients: ['shop-b'] });
    expect(wrongRecipient.status).toBe(400);
    expect(((await wrongRecipient.json()) as { detail: string }).detail).toContain('consortium:test-consortium');
    expect((await node.app.request('/admin/v1/consents', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await node.app.request('/admin/v1/consents', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{' })).status).toBe(400);
  });

  it('publishes only with an active sharing consent, and withdrawal publishes a tombstone', async () => {
    const phone = '+86 139 1234 5678';
    const denied = await call('POST', '/admin/v1/signals', { subject: { id: phone }, type: 'repayment.overdue', data: overdue });
    expect(denied.status).toBe(409);
    expect(await denied.json()).toMatchObject({ code: 'consent-required', purpose: 'signal-sharing', recipient: 'consortium:test-consortium' });

    const granted = await call('POST', '/admin/v1/consents', consent(phone));
    expect(granted.status).toBe(201);
    const c = (await granted.json()) as { id: string; ref: string; status: string; record: { subject: { value: string }; expiresAt: string } };
    expect(c.status).toBe('active');
    expect(c.ref).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(c.record.expiresAt).toBe('2027-11-23T10:00:00Z');
    expect((await (await call('GET', `/admin/v1/consents/${c.id}`)).json()) as object).toMatchObject({ id: c.id, status: 'active' });

    const bad = await call('POST', '/admin/v1/signals', { subject: { id: phone }, type: 'repayment.overdue', data: { ...overdue, bucket: 'M9' } });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'signal-invalid', protocolCode: 'SIGNAL_SCHEMA' });

    const ok = await call('POST', '/admin/v1/signals', { subject: { id: phone }, type: 'repayment.overdue', data: overdue });
    expect(ok.status).toBe(201);
    const published = (await ok.json()) as { id: string; index: number; consentId: string };
    expect(published).toMatchObject({ index: fake.appended.length - 1, consentId: c.id });
    const logged = fake.appended.at(-1)!;
    expect(logged.body).toMatchObject({ type: 'repayment.overdue', issuer: 'shop-a', consent: c.ref, subject: c.record.subject });

    const lookup = (await (await call('POST', '/admin/v1/subjects/lookup', { subject: { id: '13912345678' } })).json()) as { subject: { pseudonym: string }; signals: { id: string; issuer: string; verification: string }[] };
    expect(lookup.subject.pseudonym).toBe(c.record.subject.value);
    expect(lookup.signals).toEqual([expect.objectContaining({ id: published.id, issuer: 'shop-a', verification: 'verified' })]);

    const w = await call('POST', `/admin/v1/consents/${c.id}/withdraw`);
    expect(w.status).toBe(200);
    const withdrawn = (await w.json()) as { status: string; withdrawalSignalId: string; tombstone: { type: string } };
    expect(withdrawn).toMatchObject({ status: 'withdrawn', tombstone: { type: 'consent.withdrawn' } });
    expect(fake.appended.at(-1)!.body).toMatchObject({ type: 'consent.withdrawn', id: withdrawn.withdrawalSignalId, consent: c.ref, data: { scope: 'all' } });
    expect((await call('POST', `/admin/v1/consents/${c.id}/withdraw`)).status).toBe(409);
    expect((await call('POST', '/admin/v1/consents/cns_AAAAAAAAAAAAAAAAAAAAAA/withdraw')).status).toBe(404);
    expect((await call('POST', '/admin/v1/signals', { subject: { id: phone }, type: 'repayment.overdue', data: overdue })).status).toBe(409);
  });

  it('shows peer evidence and refuses to release a peer that is not quarantined', async () => {
    expect(await (await call('GET', '/admin/v1/peers/shop-b/evidence')).json()).toEqual({ memberId: 'shop-b', evidence: [] });
    const r = await call('POST', '/admin/v1/peers/shop-b/release');
    expect(r.status).toBe(409);
    expect(await r.json()).toMatchObject({ code: 'conflict' });
  });

  it('keeps identifiers only encrypted at rest', async () => {
    await call('POST', '/admin/v1/consents', consent());
    const rows = await node.database.db.select().from(subjects);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Buffer.from(r.sealedIdentifier).toString('latin1')).not.toContain('1101051949');
    const m = readMembership(fx.nodes[0]!.dir)!;
    await sodium.ready;
    const svc = createSubjectService({ db: node.database.db, pseudonymKey: m.pseudonymKey, storageKey: node.keys.storageKey, now, random: (n) => new Uint8Array(n) });
    const p = svc.pseudonymOf(RID);
    expect(p.ok && (await svc.identifierOf(p.pseudonym.value))).toBe(`cn-rid:${RID}`);
  });

  it('applies only newer rosters signed by the governance key', async () => {
    const cur = (await (await call('GET', '/admin/v1/roster')).json()) as { body: { version: number } };
    expect(cur.body.version).toBe(fx.roster.body.version);
    expect(await (await call('POST', '/admin/v1/roster', fx.roster)).json()).toMatchObject({ code: 'roster-not-newer' });
    const next = setMemberStatus(fx.roster.body, 'shop-b', 'suspended', now());
    const forged = signRoster(next, { kid: 'gov-test', secretKey: sodium.crypto_sign_keypair().privateKey });
    expect(await (await call('POST', '/admin/v1/roster', forged)).json()).toMatchObject({ code: 'roster-untrusted' });
    expect(await (await call('POST', '/admin/v1/roster', { body: {}, kid: 'x', sig: 'y' })).json()).toMatchObject({ code: 'roster-invalid' });
    const ok = await call('POST', '/admin/v1/roster', signRoster(next, fx.governance.signer));
    expect(await ok.json()).toEqual({ version: next.version });
    expect(node.network && (await (await call('GET', '/admin/v1/roster')).json())).toMatchObject({ body: { version: next.version } });
  });
});

describe('a node that has not joined', () => {
  it('answers not-joined on membership routes', async () => {
    const n = await tempNode('lonely');
    const token = readFileSync(join(n.dir, 'admin-token'), 'utf8').trim();
    const node = await composeNode(n.config, { database: await migratedPglite(), logger: createLogger({ level: 'silent' }), createNetwork: () => createFakeNetwork('lonely') });
    try {
      for (const [method, path] of [['GET', '/admin/v1/roster'], ['GET', '/admin/v1/peers'], ['POST', '/admin/v1/subjects/lookup']] as const) {
        const res = await node.app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: method === 'POST' ? '{"subject":{"id":"x"}}' : undefined });
        expect(res.status).toBe(409);
        expect(await res.json()).toMatchObject({ code: 'not-joined' });
      }
    } finally {
      await node.close();
      n.cleanup();
    }
  });
});
