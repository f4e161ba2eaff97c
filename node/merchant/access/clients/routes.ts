/**
 * `/admin/v1/clients` (issue 8 §1): the member registers partner merchants as OAuth2 clients, lists them, rotates
 * a client's secret and revokes a client. The secret is in the response of create and rotate only. Admin token.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { adminAuth } from '../../../http/admin/auth';
import { readJson } from '../../../http/body';
import { problem, sendProblem } from '../../../http/problem';
import { createClientRequest, type ClientService } from './service';

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(1000) });

/** The admin routes for clients. */
export function clientRoutes(deps: { adminToken: string; clients: ClientService }) {
  const app = new Hono();
  app.use('/admin/v1/clients', adminAuth(deps.adminToken));
  app.use('/admin/v1/clients/*', adminAuth(deps.adminToken));

  app.post('/admin/v1/clients', async (c) => {
    const r = await deps.clients.create(await readJson(c, createClientRequest));
    return c.json({ ...r.client, clientSecret: r.clientSecret }, 201, { 'cache-control': 'no-store' });
  });
  app.get('/admin/v1/clients', async (c) => {
    const q = listQuery.safeParse(c.req.query());
    if (!q.success) return sendProblem(c, problem('validation-failed', q.error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ')));
    return c.json({ clients: await deps.clients.list(q.data.limit) });
  });
  app.get('/admin/v1/clients/:id', async (c) => {
    const client = await deps.clients.get(c.req.param('id'));
    return client ? c.json(client) : sendProblem(c, problem('client-not-found', `no client ${c.req.param('id').slice(0, 64)}`));
  });
  app.post('/admin/v1/clients/:id/rotate', async (c) => {
    const r = await deps.clients.rotate(c.req.param('id'));
    if (!r.ok) return sendProblem(c, problem(r.code, r.message));
    return c.json({ ...r.client, clientSecret: r.clientSecret }, 200, { 'cache-control': 'no-store' });
  });
  app.post('/admin/v1/clients/:id/revoke', async (c) => {
    const r = await deps.clients.revoke(c.req.param('id'));
    if (!r.ok) return sendProblem(c, problem(r.code, r.message));
    return c.json(r.client);
  });
  return app;
}
