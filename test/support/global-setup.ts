import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { makePgliteTemplate } from './pglite-template';
import { findPostgresBin, startCluster, type Cluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of a PostgreSQL server for the storage suite, or '' when none is available (local runs only). */
    postgresUrl: string;
    /** File holding a dump of a migrated PGlite cluster (test/support/pglite.ts), made once per run. */
    pgliteTemplate: string;
  }
}

let cluster: Cluster | undefined;
let templateDir: string | undefined;

/**
 * Gives the tests a PostgreSQL server: `TEST_DATABASE_URL` when set (CI starts one), otherwise a throw-away
 * cluster from the locally installed server. In CI, no server is an error: the storage suite must run on both.
 */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.TEST_DATABASE_URL ?? '';
  if (!url) {
    const bin = findPostgresBin();
    if (bin) {
      cluster = await startCluster(bin);
      url = cluster.url;
    } else if (process.env.CI) {
      throw new Error('CI needs PostgreSQL for the storage suite: set TEST_DATABASE_URL or install postgresql');
    } else {
      console.warn('No PostgreSQL server found (install postgresql or set TEST_DATABASE_URL): the PostgreSQL storage suite will not run.');
    }
  }
  project.provide('postgresUrl', url);
  templateDir = mkdtempSync(join(tmpdir(), 'consortium-pglite-template-'));
  const templatePath = join(templateDir, 'migrated.tar');
  writeFileSync(templatePath, Buffer.from(await (await makePgliteTemplate()).arrayBuffer()));
  project.provide('pgliteTemplate', templatePath);
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
  if (templateDir) rmSync(templateDir, { recursive: true, force: true });
}
