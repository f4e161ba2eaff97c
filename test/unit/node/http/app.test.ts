import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../../node/http/app';
import { HttpProblem, problem } from '../../../../node/http/problem';
import type { Readiness } from '../../../../node/http/routes/health';
import { createLogger } from '../../../../node/observability/logger';
import { createMetrics } from '../../../../node/observability/metrics';

function makeApp(opts: { readiness?: () => Promise<Readiness>; surfaces?: Hono<any>[]; logLines?: string[] } = {}) {
  const lines = opts.logLines ?? [];
  return createApp({
    logger: createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } }),
    metrics: createMetrics({ defaultMetrics: false }),
    readiness: opts.readiness ?? (async () => ({ ready: true, checks: { database: 'ok', migrations: 'ok' } })),
    openapiText: 'openapi: 3.1.0\n',
    bodyLimitBytes: 2048,
    surfaces: opts.surfaces,
  });
}

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as Record<string, unknown>;
}

describe('operational endpoints', () => {
  it('/healthz answers ok', async () => {
    const res = await makeApp().request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it.each([
    ['ready', { ready: true, checks: { database: 'ok', migrations: 'ok' } }, 200],
    ['database down', { ready: false, checks: { database: 'unreachable: ECONNREFUSED' } }, 503],
    ['migrations pending', { ready: false, checks: { database: 'ok', migrations: 'pending: 0 of 1 applied' } }, 503],
  ] as const)('/readyz when %s', async (_name, readiness, status) => {
    const res = await makeApp({ readiness: async () => readiness }).request('/readyz');
    expect(res.status).toBe(status);
    const body = (await res.json()) as { checks: Record<string, string>; code?: string };
    expect(body.checks).toEqual(readiness.checks);
    if (status === 503) {
      expect(body.code).toBe('not-ready');
      expect(res.headers.get('retry-after')).toBe('1');
    }
  });

  it('/metrics counts requests per route template', async () => {
    const surface = new Hono().get('/things/:id', (c) => c.json({ id: c.req.param('id') }));
    const app = makeApp({ surfaces: [surface] });
    await app.request('/things/1');
    await app.request('/things/2');
    await app.request('/nowhere');
    const text = await (await app.request('/metrics')).text();
    expect(text).toMatch(/consortium_http_requests_total\{method="GET",route="\/things\/:id",status="200"\} 2/);
    expect(text).toMatch(/consortium_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(/consortium_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/things\/:id"\}/);
  });

  it('serves the spec and a self-contained docs page', async () => {
    const app = makeApp();
    const spec = await app.request('/openapi.yaml');
    expect(spec.headers.get('content-type')).toContain('application/yaml');
    expect(await spec.text()).toBe('openapi: 3.1.0\n');
    const docs = await app.request('/docs');
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    const js = await app.request('/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect(await (await app.request('/docs/assets/init.js')).text()).toContain("url: '/openapi.yaml'");
    expect((await app.request('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });
});

describe('errors are problem+json', () => {
  it('404 for an unknown path', async () => {
    const res = await makeApp().request('/no/such/thing');
    expect(res.status).toBe(404);
    const p = await problemOf(res);
    expect(p).toMatchObject({ type: 'urn:consortium-node:problem:not-found', code: 'not-found', status: 404 });
    expect(String(p.instance)).toMatch(/^urn:request:/);
  });

  it('405 with Allow for a known path and another method', async () => {
    const res = await makeApp().request('/healthz', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await problemOf(res)).toMatchObject({ code: 'method-not-allowed' });
  });

  it('413 for a body over the limit', async () => {
    const surface = new Hono().post('/echo', async (c) => c.text(await c.req.text()));
    const res = await makeApp({ surfaces: [surface] }).request('/echo', { method: 'POST', body: 'x'.repeat(4096), headers: { 'content-length': '4096' } });
    expect(res.status).toBe(413);
    expect(await problemOf(res)).toMatchObject({ code: 'payload-too-large' });
  });

  it('a thrown HttpProblem becomes its problem; anything else a 500 that leaks nothing', async () => {
    const lines: string[] = [];
    const surface = new Hono()
      .get('/conflict', () => {
        throw new HttpProblem(problem('conflict', 'already there'));
      })
      .get('/boom', () => {
        throw new Error('secret connection string postgres://u:p@h/db');
      });
    const app = makeApp({ surfaces: [surface], logLines: lines });
    const c = await app.request('/conflict');
    expect(c.status).toBe(409);
    expect(await problemOf(c)).toMatchObject({ code: 'conflict', detail: 'already there' });
    const b = await app.request('/boom');
    expect(b.status).toBe(500);
    const body = await problemOf(b);
    expect(JSON.stringify(body)).not.toContain('postgres://');
    expect(body.code).toBe('internal');
    expect(lines.some((l) => l.includes('unhandled error'))).toBe(true);
  });

  it('echoes a caller-supplied request id and logs one line per request', async () => {
    const lines: string[] = [];
    const res = await makeApp({ logLines: lines }).request('/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const entry = JSON.parse(lines.find((l) => l.includes('"request"'))!);
    expect(entry).toMatchObject({ reqId: 'abc-123', method: 'GET', route: '/healthz', status: 200 });
  });
});
