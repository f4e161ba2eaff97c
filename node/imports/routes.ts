/**
 * `/admin/v1/imports`: back-office imports over HTTP (openapi.yaml, docs/mappings.md "Running an
 * import"). The export file is the raw request body, streamed to a spool file under the node's import
 * directory (bounded by `maxUploadBytes`); the mapping is named and read from the node directory's
 * `mappings/` folder. The import then runs in the background; clients poll its status and fetch its
 * rejects file.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Hono } from 'hono';
import { adminAuth } from '../http/admin/auth';
import { HttpProblem, problem } from '../http/problem';
import type { ImportService } from './service';

/** Default bound of one uploaded export file: 1 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

/** Mapping names: a file `mappings/<name>.json` in the node directory. */
export const MAPPING_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Export file names: a base name without path separators or control characters. */
const FILE_NAME = /^[^/\\\u0000-\u001f]{1,200}$/;
const ID = /^imp-[0-9a-f]{24}$/;
const MEDIA_TYPES = /^(text\/csv|text\/plain|application\/x-ndjson|application\/jsonl|application\/octet-stream)\b/i;

/** Dependencies of {@link importRoutes}. */
export interface ImportRoutesDeps {
  adminToken: string;
  service: ImportService;
  /** The node directory's `mappings/` folder. */
  mappingsDir: string;
  /** Where uploads are spooled (removed after the import ran). */
  spoolDir: string;
  maxUploadBytes?: number;
  random: (n: number) => Uint8Array;
}

const fail = (code: Parameters<typeof problem>[0], detail: string, extra: Record<string, unknown> = {}): never => {
  throw new HttpProblem(problem(code, detail, extra));
};

/** Public view of an import run. */
export function importView(run: NonNullable<Awaited<ReturnType<ImportService['get']>>>) {
  return {
    id: run.id,
    status: run.status,
    mapping: run.mapping,
    files: run.files,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    error: run.error,
    summary: run.summary,
    links: { self: `/admin/v1/imports/${run.id}`, rejects: `/admin/v1/imports/${run.id}/rejects` },
  };
}

/** Streams `body` to `path`, failing with 413 past `limit` bytes. */
async function spool(body: ReadableStream<Uint8Array>, path: string, limit: number): Promise<number> {
  let bytes = 0;
  const source = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        bytes += chunk.length;
        if (bytes > limit) fail('payload-too-large', `an uploaded export is limited to ${limit} bytes; split the file or use the CLI import`);
        yield chunk;
      }
    },
    createWriteStream(path, { mode: 0o600 }),
  );
  return bytes;
}

/** The import routes (admin bearer token). */
export function importRoutes(deps: ImportRoutesDeps) {
  const limit = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const app = new Hono();
  app.use('/admin/v1/imports', adminAuth(deps.adminToken));
  app.use('/admin/v1/imports/*', adminAuth(deps.adminToken));

  app.post('/admin/v1/imports', async (c) => {
    const mapping = c.req.query('mapping') ?? '';
    const file = c.req.query('file') ?? '';
    if (!MAPPING_NAME.test(mapping)) fail('validation-failed', 'query parameter mapping must name a file mappings/<name>.json in the node directory (letters, digits, . _ -)', { errors: [{ path: 'mapping', message: 'invalid mapping name' }] });
    if (!FILE_NAME.test(file) || file === '.' || file === '..') fail('validation-failed', 'query parameter file must be the export file name the mapping matches (e.g. orders.csv)', { errors: [{ path: 'file', message: 'invalid file name' }] });
    const type = c.req.header('content-type') ?? '';
    if (!MEDIA_TYPES.test(type)) fail('unsupported-media-type', `send the export as the raw body: text/csv, application/x-ndjson or application/octet-stream (got '${type || 'none'}')`);
    const length = Number(c.req.header('content-length') ?? NaN);
    if (Number.isFinite(length) && length > limit) fail('payload-too-large', `an uploaded export is limited to ${limit} bytes; split the file or use the CLI import`);
    const mappingPath = join(deps.mappingsDir, `${mapping}.json`);
    if (!(await stat(mappingPath).then((s) => s.isFile(), () => false))) fail('import-mapping-not-found', `no mapping '${mapping}': put it in the node directory as mappings/${mapping}.json`);
    const body = c.req.raw.body;
    if (!body) fail('bad-request', 'the request has no body: send the export file as the body');
    const dir = join(deps.spoolDir, Buffer.from(deps.random(12)).toString('hex'));
    await mkdir(dir, { recursive: true });
    const path = join(dir, file);
    try {
      await spool(body!, path, limit);
      const r = await deps.service.enqueue({ mappingPath, mappingName: mapping, files: [path] });
      if (!r.ok) {
        const { ok: _ok, code, message, ...extra } = r;
        fail(code, message, extra);
      }
      const queued = r as Extract<typeof r, { ok: true }>;
      void queued.done.finally(() => rm(dir, { recursive: true, force: true }).catch(() => undefined));
      const run = await deps.service.get(queued.id);
      return c.json(importView(run!), 202, { location: `/admin/v1/imports/${queued.id}` });
    } catch (err) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
  });

  const load = async (id: string) => {
    if (!ID.test(id)) fail('import-not-found', `no import ${id.slice(0, 64)}`);
    const run = await deps.service.get(id);
    if (!run) fail('import-not-found', `no import ${id}`);
    return run!;
  };

  app.get('/admin/v1/imports/:id', async (c) => c.json(importView(await load(c.req.param('id')))));

  app.get('/admin/v1/imports/:id/rejects', async (c) => {
    const run = await load(c.req.param('id'));
    if (run.status === 'queued' || run.status === 'running') fail('import-not-finished', `import ${run.id} is ${run.status}; poll /admin/v1/imports/${run.id} until it has finished`);
    const path = run.rejectsPath;
    const size = path ? await stat(path).then((s) => s.size, () => -1) : -1;
    if (!path || size < 0) fail('not-found', `the rejects file of import ${run.id} is no longer on the node`);
    const stream = Readable.toWeb(createReadStream(path!)) as unknown as ReadableStream<Uint8Array>;
    return c.body(stream, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': String(size), 'content-disposition': `attachment; filename="${run.id}-rejects.csv"` });
  });
  return app;
}
