import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { observe } from './middleware/observe';
import { HttpProblem, problem, sendProblem } from './problem';
import { allowedMethods } from './routes/allowed-methods';
import { docsRoutes } from './routes/docs';
import { healthRoutes, type Readiness } from './routes/health';

export type AppEnv = { Variables: { requestId: string } };

/** Everything the HTTP layer needs; built by the composition root. */
export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
  openapiText: string;
  bodyLimitBytes: number;
  /** Path prefixes whose routes bound their own (streamed) bodies, e.g. uploads spooled to disk. */
  bodyLimitExempt?: string[];
  /** Extra route groups mounted at `/` (peer, admin, partner, compliance surfaces). */
  surfaces?: Hono<any>[];
}

/**
 * The node's HTTP application: request ids, size limits, metrics and access logs, then the surfaces.
 * Every error, including 404 and 405, is RFC 9457 problem+json.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    requestId({ limitLength: 64, headerName: 'X-Request-Id' }),
    observe(deps),
    secureHeaders({ contentSecurityPolicy: undefined, crossOriginResourcePolicy: 'same-origin' }),
  );
  const limit = bodyLimit({
    maxSize: deps.bodyLimitBytes,
    onError: (c) => sendProblem(c, problem('payload-too-large', `request bodies are limited to ${deps.bodyLimitBytes} bytes`)),
  });
  const exempt = deps.bodyLimitExempt ?? [];
  app.use('*', (c, next) => (exempt.some((p) => c.req.path.startsWith(p)) ? next() : limit(c, next)));
  app.route('/', healthRoutes(deps));
  app.route('/', docsRoutes(deps));
  for (const surface of deps.surfaces ?? []) app.route('/', surface);

  app.notFound((c) => {
    const allow = allowedMethods(app, c.req.path);
    if (allow.length > 0 && !allow.includes(c.req.method)) {
      return sendProblem(c, problem('method-not-allowed', `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow.join(', ')}`), { allow: allow.join(', ') });
    }
    return sendProblem(c, problem('not-found', `nothing is served at ${c.req.path}`));
  });
  app.onError((err, c) => {
    if (err instanceof HttpProblem) return sendProblem(c, err.problem, err.headers);
    deps.logger.error({ reqId: c.get('requestId'), err: { name: err.name, message: err.message, stack: err.stack } }, 'unhandled error');
    return sendProblem(c, problem('internal', 'the node failed to handle this request; the request id identifies it in the node log'));
  });
  return app;
}
