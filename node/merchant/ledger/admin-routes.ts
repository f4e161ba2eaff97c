/**
 * The member's side of the ledger (issue 8 §4): `POST /admin/v1/repayments` records a customer's repayment, which
 * lowers the outstanding balance and restores the available amount; `GET /admin/v1/lines/{subject}` shows a line.
 * The customer is named by raw identifier (`{ id }`, pseudonymized here and never stored) or by pseudonym.
 * Also mounts the webhook administration routes.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { adminAuth } from '../../http/admin/auth';
import { readJson } from '../../http/body';
import { HttpProblem, problem, sendProblem } from '../../http/problem';
import type { SubjectService } from '../../subjects/service';
import type { Webhooks } from '../webhooks/webhooks';
import { webhookAdminRoutes } from '../webhooks/routes';
import { amountMinor, currencyCode } from './amounts';
import { isLedgerId } from './ids';
import type { LedgerService } from './service';

const pseudonymPattern = /^[A-Za-z0-9_-]{43}$/;

/** `POST /admin/v1/repayments` body. */
export const repaymentBody = z.strictObject({
  subject: z.union([z.strictObject({ id: z.string().min(1).max(64) }), z.strictObject({ pseudonym: z.string().regex(pseudonymPattern, 'a v1 pseudonym (43 base64url characters)') })]),
  amountMinor,
  currency: currencyCode,
  /** The member's own reference of the repayment (unique per customer; a replay with the same content is harmless). */
  reference: z.string().min(1).max(128).regex(/^[^\p{Cc}]+$/u, 'no control characters'),
  authorizationId: z.string().refine((s) => isLedgerId('az', s), 'an authorization id').optional(),
});

/** Dependencies of {@link adminLedgerRoutes}. */
export interface AdminLedgerRouteDeps {
  adminToken: string;
  ledger: LedgerService;
  subjects: Pick<SubjectService, 'pseudonymOf'> | null;
  webhooks: Webhooks;
}

/** Builds the routes. */
export function adminLedgerRoutes(deps: AdminLedgerRouteDeps) {
  const app = new Hono();
  const auth = adminAuth(deps.adminToken);
  app.use('/admin/v1/repayments', auth);
  app.use('/admin/v1/lines/*', auth);

  const subjectOf = (s: { id: string } | { pseudonym: string }): string => {
    if ('pseudonym' in s) return s.pseudonym;
    if (!deps.subjects) throw new HttpProblem(problem('not-joined', 'raw subject ids need the consortium key: join first, or send the pseudonym'));
    const p = deps.subjects.pseudonymOf(s.id);
    if (!p.ok) throw new HttpProblem(problem('subject-invalid', p.message));
    return p.pseudonym.value;
  };

  app.post('/admin/v1/repayments', async (c) => {
    const b = await readJson(c, repaymentBody);
    const r = await deps.ledger.repay({ subject: subjectOf(b.subject), amountMinor: b.amountMinor, currency: b.currency, reference: b.reference, authorizationId: b.authorizationId });
    if (!r.ok) return sendProblem(c, problem(r.code, r.message, r.extra ?? {}));
    return c.json(r.repayment, r.replayed ? 200 : 201);
  });

  app.get('/admin/v1/lines/:subject', async (c) => {
    const subject = c.req.param('subject');
    if (!pseudonymPattern.test(subject)) throw new HttpProblem(problem('line-not-found', 'name the customer by pseudonym'));
    const line = await deps.ledger.line(subject);
    if (!line) throw new HttpProblem(problem('line-not-found', 'the member has no decision in force for this customer'));
    return c.json(line);
  });

  app.route('/', webhookAdminRoutes({ adminToken: deps.adminToken, webhooks: deps.webhooks }));
  return app;
}
