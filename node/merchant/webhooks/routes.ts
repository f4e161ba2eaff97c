/**
 * Webhook administration on the member's admin API (issue 8 §6; docs/api-webhooks.md):
 * `POST /admin/v1/clients/{id}/webhooks` registers an endpoint (the signing secret is in this answer only),
 * `GET` lists them, `DELETE /admin/v1/clients/{id}/webhooks/{endpointId}` disables one, and
 * `GET /admin/v1/webhook-deliveries` is the delivery log.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { adminAuth } from '../../http/admin/auth';
import { readJson } from '../../http/body';
import { HttpProblem, problem, sendProblem } from '../../http/problem';
import { isLedgerId } from '../ledger/ids';
import type { Webhooks } from './webhooks';

/** An endpoint URL: absolute http(s), no credentials, no fragment, at most 2048 characters. */
export const webhookUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '' && u.hash === '' && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'an absolute http(s) URL without credentials or fragment');

/** `POST /admin/v1/clients/{id}/webhooks` body. */
export const registerWebhookBody = z.strictObject({ url: webhookUrl });

const deliveriesQuery = z.strictObject({
  clientId: z.string().max(64).optional(),
  state: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime({ offset: true }).optional(),
});

/** Builds the routes. */
export function webhookAdminRoutes(deps: { adminToken: string; webhooks: Webhooks }) {
  const app = new Hono();
  const auth = adminAuth(deps.adminToken);
  app.use('/admin/v1/clients/:id/webhooks', auth);
  app.use('/admin/v1/clients/:id/webhooks/*', auth);
  app.use('/admin/v1/webhook-deliveries', auth);

  app.post('/admin/v1/clients/:id/webhooks', async (c) => {
    const { url } = await readJson(c, registerWebhookBody);
    const r = await deps.webhooks.register(c.req.param('id'), url);
    if (!r.ok) return sendProblem(c, problem(r.code, r.message));
    return c.json({ ...r.endpoint, secret: r.secret }, 201, { 'cache-control': 'no-store' });
  });

  app.get('/admin/v1/clients/:id/webhooks', async (c) => c.json({ endpoints: await deps.webhooks.list(c.req.param('id')) }));

  app.delete('/admin/v1/clients/:id/webhooks/:endpointId', async (c) => {
    const endpointId = c.req.param('endpointId');
    const ok = isLedgerId('we', endpointId) && (await deps.webhooks.disable(c.req.param('id'), endpointId));
    if (!ok) throw new HttpProblem(problem('webhook-endpoint-not-found', 'no such active endpoint of this client'));
    return c.body(null, 204);
  });

  app.get('/admin/v1/webhook-deliveries', async (c) => {
    const parsed = deliveriesQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const errors = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.') || '(query)', message: i.message }));
      return sendProblem(c, problem('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }));
    }
    const q = parsed.data;
    const deliveries = await deps.webhooks.deliveries({ clientId: q.clientId, state: q.state, limit: q.limit, before: q.before ? new Date(q.before) : undefined });
    return c.json({ deliveries });
  });
  return app;
}
