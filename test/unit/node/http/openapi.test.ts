import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeNode, openapiPath, type NodeRuntime } from '../../../../node/compose';
import { registeredRoutes } from '../../../../node/http/routes/allowed-methods';
import { createLogger } from '../../../../node/observability/logger';
import { migratedPglite } from '../../../support/pglite';
import { tempNode } from '../../../support/node-dir';

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** `/v1/things/:id` (hono) -> `/v1/things/{id}` (OpenAPI). */
const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');

describe('openapi.yaml is the contract', () => {
  let runtime: NodeRuntime;
  let cleanup: () => void;
  const spec = parse(readFileSync(openapiPath, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const documented = new Set(
    Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => methods.includes(k)).map((m) => `${m.toUpperCase()} ${path}`)),
  );

  beforeAll(async () => {
    const node = await tempNode();
    cleanup = node.cleanup;
    runtime = await composeNode(node.config, { database: await migratedPglite(), logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await runtime.close();
    cleanup();
  });

  it('documents every registered route', () => {
    const registered = registeredRoutes(runtime.app).map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    expect(registered.length).toBeGreaterThan(0);
    expect(registered.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('registers every documented route', () => {
    const registered = new Set(registeredRoutes(runtime.app).map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    expect([...documented].filter((d) => !registered.has(d))).toEqual([]);
  });

  it('has generated types that are up to date (run `npm run gen` if this fails)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'openapi-gen-')), 'generated.ts');
    execFileSync(join('node_modules', '.bin', 'openapi-typescript'), [openapiPath, '-o', out], { stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync('node/http/openapi.generated.ts', 'utf8'));
  });
});
