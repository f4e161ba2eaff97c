import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';

/**
 * Records each request's count and latency per route template (bounded label cardinality) and writes one
 * structured access-log line. Logs the path template, never query strings or bodies.
 */
export function observe(deps: { logger: Logger; metrics: Metrics }): MiddlewareHandler {
  return async (c, next) => {
    const start = process.hrtime.bigint();
    await next();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const matched = c.req.routePath;
    const route = c.res.status === 404 && (!matched || matched === '/*' || matched === '*') ? 'unmatched' : matched || 'unmatched';
    const method = c.req.method;
    deps.metrics.httpRequests.inc({ method, route, status: String(c.res.status) });
    deps.metrics.httpDuration.observe({ method, route }, seconds);
    const level = c.res.status >= 500 ? 'error' : 'info';
    deps.logger[level]({ reqId: c.get('requestId'), method, route, status: c.res.status, ms: Math.round(seconds * 1e4) / 10 }, 'request');
  };
}
