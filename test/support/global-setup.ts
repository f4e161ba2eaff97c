import type { TestProject } from 'vitest/node';
import { findPostgresBin, startCluster, type Cluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of a PostgreSQL server for the storage suite, or '' when none is available (local runs only). */
    postgresUrl: string;
  }
}

let cluster: Cluster | undefined;

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
}

export async function teardown(): Promise<void> {
  await cluster?.stop();
}
