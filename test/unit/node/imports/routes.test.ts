import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../../node/http/app';
import { createImportsModule, importPaths } from '../../../../node/imports';
import { createMetrics } from '../../../../node/observability/metrics';
import { importStack } from './fixture';
import { smallMapping, writeSmallExport } from './small-fixture';

const TOKEN = 'test-admin-token-0123456789';

describe('/admin/v1/imports', () => {
  let stack: Awaited<ReturnType<typeof importStack>>;
  let app: ReturnType<typeof createApp>;
  let files: string[];
  beforeAll(async () => {
    stack = await importStack('shop-http', () => new Date('2026-11-23T10:00:00Z'));
    const { mappingsDir } = importPaths(stack.dir);
    mkdirSync(mappingsDir, { recursive: true });
    writeFileSync(join(mappingsDir, 'small.json'), JSON.stringify(smallMapping));
    const mod = createImportsModule({ ...stack, db: stack.db.db, bulk: stack.db.bulk, storageKey: stack.keys.storageKey, now: () => new Date('2026-11-23T10:00:00Z'), random: (n) => crypto.getRandomValues(new Uint8Array(n)), adminToken: TOKEN, nodeDir: stack.dir, maxUploadBytes: 4096 });
    app = createApp({ logger: stack.logger, metrics: createMetrics(), readiness: async () => ({ ready: true, checks: {} }), openapiText: '', bodyLimitBytes: 1 << 20, surfaces: [mod.routes] });
    files = writeSmallExport(stack.workDir, { overdue: true, badId: true });
  });
  afterAll(() => stack.close());

  const upload = (file: string, body: string | Uint8Array, opts: { mapping?: string; type?: string; auth?: string } = {}) =>
    app.request(`/admin/v1/imports?mapping=${opts.mapping ?? 'small'}&file=${encodeURIComponent(file)}`, {
      method: 'POST',
      headers: { authorization: opts.auth ?? `Bearer ${TOKEN}`, 'content-type': opts.type ?? 'text/csv' },
      body,
    });
  const get = (path: string, auth = `Bearer ${TOKEN}`) => app.request(path, { headers: { authorization: auth } });
  async function finished(id: string) {
    for (let i = 0; i < 200; i++) {
      const run = (await (await get(`/admin/v1/imports/${id}`)).json()) as { status: string; summary: Record<string, unknown> };
      if (run.status !== 'queued' && run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('import did not finish');
  }

  it('uploads files, runs them in the background, reports status and serves the rejects', async () => {
    const ids: string[] = [];
    for (const f of files) {
      const res = await upload(f.split('/').pop()!, readFileSync(f));
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: string; status: string; links: { self: string } };
      expect(res.headers.get('location')).toBe(`/admin/v1/imports/${body.id}`);
      expect(body.links.self).toBe(`/admin/v1/imports/${body.id}`);
      ids.push(body.id);
    }
    const runs = [];
    for (const id of ids) runs.push(await finished(id));
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(runs[0]!.summary).toMatchObject({ read: 3, accepted: 2, inserted: 2, rejected: 1, rejectedByReason: { invalid_identifier: 1 } });
    expect(runs[2]!.summary).toMatchObject({ read: 2, accepted: 2, inserted: 2 });
    const rejects = await get(`/admin/v1/imports/${ids[0]}/rejects`);
    expect(rejects.status).toBe(200);
    expect(rejects.headers.get('content-type')).toContain('text/csv');
    const text = await rejects.text();
    expect(text.split('\n')[0]).toBe('file,line,field,reason,message');
    expect(text).toContain('customers.csv,4,subjectId,invalid_identifier');
    expect(text).not.toContain('110105194912310021');
  });

  it('requires the admin token on every import route', async () => {
    expect((await upload('customers.csv', 'x', { auth: 'Bearer nope' })).status).toBe(401);
    expect((await get('/admin/v1/imports/imp-000000000000000000000000', 'Bearer nope')).status).toBe(401);
    expect((await get('/admin/v1/imports/imp-000000000000000000000000/rejects', '')).status).toBe(401);
  });

  it.each([
    ['unknown import', () => get('/admin/v1/imports/imp-000000000000000000000000'), 404, 'import-not-found'],
    ['malformed id', () => get('/admin/v1/imports/../../etc'), 404, 'not-found'],
    ['unknown mapping', () => upload('customers.csv', 'a', { mapping: 'nope' }), 404, 'import-mapping-not-found'],
    ['bad mapping name', () => upload('customers.csv', 'a', { mapping: '..%2Fx' }), 400, 'validation-failed'],
    ['bad file name', () => upload('../customers.csv', 'a'), 400, 'validation-failed'],
    ['unmatched file', () => upload('other.csv', 'a'), 422, 'import-file-unmatched'],
    ['wrong media type', () => upload('customers.csv', 'a', { type: 'application/json' }), 415, 'unsupported-media-type'],
    ['too large', () => upload('customers.csv', new Uint8Array(5000)), 413, 'payload-too-large'],
  ] as const)('%s -> %i %s', async (_name, call, status, code) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { code: string }).code).toBe(code);
  });
});
