import { Hono } from 'hono';
import { z } from 'zod';
import { decodeRoster, ProtocolError } from '../../../protocol';
import { createConsentRequest } from '../../consent/request';
import type { ConsentService, ConsentView } from '../../consent/service';
import type { RosterService } from '../../membership/roster-service';
import type { Network } from '../../network/types';
import { publishSignalRequest, type PublishService } from '../../signals/publish';
import type { SubjectService } from '../../subjects/service';
import { readJson } from '../body';
import { HttpProblem, problem, sendProblem, type ProblemCode } from '../problem';
import { adminAuth } from './auth';
import { heldSignalView } from './views';

/** What the member-operator surface needs; `null` members mean "not joined yet". */
export interface AdminDeps {
  adminToken: string;
  roster: RosterService;
  subjects: SubjectService | null;
  consents: ConsentService | null;
  publish: PublishService;
  network: Pick<Network, 'signals' | 'peers'> | null;
  /** Called after a consent is recorded (e.g. to derive and publish the subject's pending signals). */
  onConsentGranted?: ((consent: ConsentView) => Promise<void>)[];
  /** Called after a consent is withdrawn (e.g. to drop cached external scores of the subject). */
  onConsentWithdrawn?: ((subjectPseudonym: string) => Promise<void>)[];
  /**
   * Partner-merchant consents (issue 8 §2): `check` refuses a `merchant-limit` grant whose recipients are not one
   * active merchant client; `issue` signs the consent token returned with the record.
   */
  merchantConsents?: {
    check(recipients: string[]): Promise<{ ok: false; code: 'consent-recipient-unknown'; message: string } | { ok: true }>;
    issue(consent: ConsentView): Promise<{ consentToken: string; consentTokenExpiresAt: string }>;
  };
  now: () => Date;
}

const lookupRequest = z.strictObject({ subject: z.strictObject({ id: z.string().min(1).max(64) }) });
const fail = (f: { code: string; message: string } & Record<string, unknown>): never => {
  const { ok: _ok, code, message, ...extra } = f;
  throw new HttpProblem(problem(code as ProblemCode, message, extra));
};

/** `/admin/v1/`: the member's own back office (admin bearer token). */
export function adminRoutes(deps: AdminDeps) {
  const app = new Hono();
  app.use('/admin/v1/*', adminAuth(deps.adminToken));
  const joined = () => {
    if (!deps.consents || !deps.subjects || !deps.network) throw new HttpProblem(problem('not-joined', 'run consortium-node join, then restart the node'));
    return { consents: deps.consents, subjects: deps.subjects, network: deps.network };
  };

  app.get('/admin/v1/roster', (c) => {
    const cur = deps.roster.current();
    if (!cur) return sendProblem(c, problem('not-joined', 'no roster yet: run consortium-node join'));
    return c.json(cur.signed);
  });
  app.post('/admin/v1/roster', async (c) => {
    const raw = await readJson(c, z.unknown());
    let signed;
    try {
      signed = decodeRoster(new TextEncoder().encode(JSON.stringify(raw)));
    } catch (err) {
      if (err instanceof ProtocolError) fail({ code: 'roster-invalid', message: err.message });
      throw err;
    }
    const r = await deps.roster.apply(signed!);
    if (!r.ok) fail(r);
    return c.json({ version: (r as { version: number }).version });
  });

  app.post('/admin/v1/consents', async (c) => {
    const { consents } = joined();
    const req = await readJson(c, createConsentRequest);
    const merchant = req.purpose === 'merchant-limit' ? deps.merchantConsents : undefined;
    if (req.purpose === 'merchant-limit' && !merchant) throw new HttpProblem(problem('consent-recipient-unknown', 'partner-merchant access is not enabled on this node'));
    if (merchant) {
      const checked = await merchant.check(req.recipients);
      if (!checked.ok) fail(checked);
    }
    const r = await consents.grant(req);
    if (!r.ok) fail(r);
    const consent = (r as { consent: ConsentView }).consent;
    for (const hook of deps.onConsentGranted ?? []) await hook(consent);
    if (merchant) return c.json({ ...consent, ...(await merchant.issue(consent)) }, 201, { 'cache-control': 'no-store' });
    return c.json(consent, 201);
  });
  app.get('/admin/v1/consents/:id', async (c) => {
    const consent = await joined().consents.get(c.req.param('id'));
    if (!consent) return sendProblem(c, problem('consent-not-found', `no consent ${c.req.param('id')}`));
    return c.json(consent);
  });
  app.post('/admin/v1/consents/:id/withdraw', async (c) => {
    const { consents } = joined();
    const r = await consents.withdraw(c.req.param('id'));
    if (!r.ok) fail(r);
    let consent = (r as Extract<typeof r, { ok: true }>).consent;
    for (const hook of deps.onConsentWithdrawn ?? []) await hook(consent.record.subject.value);
    let tombstone = null;
    if (consent.record.purpose === 'signal-sharing') {
      const t = await deps.publish.publishTombstone({ id: consent.id, ref: consent.ref, subject: consent.record.subject });
      if (t.ok) {
        await consents.markTombstone(consent.id, t.signal.id);
        consent = { ...consent, withdrawalSignalId: t.signal.id };
        tombstone = t.signal;
      }
    }
    return c.json({ ...consent, tombstone });
  });

  app.post('/admin/v1/signals', async (c) => {
    joined();
    const r = await deps.publish.publish(await readJson(c, publishSignalRequest));
    if (!r.ok) fail(r);
    return c.json((r as { signal: unknown }).signal, 201);
  });

  app.post('/admin/v1/subjects/lookup', async (c) => {
    const { subjects, network } = joined();
    const { subject } = await readJson(c, lookupRequest);
    const p = subjects.pseudonymOf(subject.id);
    if (!p.ok) fail(p);
    const pseudonym = (p as Extract<typeof p, { ok: true }>).pseudonym;
    const held = await network.signals.bySubject(pseudonym.value, deps.now());
    return c.json({ subject: { pseudonym: pseudonym.value, kid: pseudonym.kid }, asOf: deps.now().toISOString(), signals: held.map(heldSignalView) });
  });

  app.get('/admin/v1/peers', async (c) => {
    const { network } = joined();
    return c.json({ peers: await network.peers.status() });
  });
  app.get('/admin/v1/peers/:id/evidence', async (c) => {
    const { network } = joined();
    const evidence = await network.peers.evidence(c.req.param('id'));
    return c.json({ memberId: c.req.param('id'), evidence });
  });
  app.post('/admin/v1/peers/:id/release', async (c) => {
    const { network } = joined();
    if (!(await network.peers.releaseQuarantine(c.req.param('id')))) {
      return sendProblem(c, problem('conflict', `peer ${c.req.param('id').slice(0, 64)} is not quarantined`));
    }
    return c.json({ memberId: c.req.param('id'), released: true });
  });
  return app;
}
