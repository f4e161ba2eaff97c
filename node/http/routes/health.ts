import { Hono } from 'hono';
import type { Metrics } from '../../observability/metrics';
import { problem, sendProblem } from '../problem';

/** What `/readyz` reports: each check is `ok` or a short reason. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

/** `/healthz` (process up), `/readyz` (dependencies usable), `/metrics` (Prometheus text format). */
export function healthRoutes(deps: { readiness: () => Promise<Readiness>; metrics: Metrics }) {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const r = await deps.readiness();
    if (r.ready) return c.json({ status: 'ready', checks: r.checks });
    return sendProblem(c, problem('not-ready', 'a dependency is not available; see checks', { checks: r.checks }), { 'retry-after': '1' });
  });
  app.get('/metrics', async (c) => {
    const text = await deps.metrics.registry.metrics();
    return c.body(text, 200, { 'content-type': deps.metrics.registry.contentType });
  });
  return app;
}
