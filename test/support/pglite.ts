import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../node/store/database';
import { makePgliteTemplate } from './pglite-template';

let template: Promise<Blob> | undefined;

/** The template the global setup wrote for this run (one migration pass for the whole suite), else one made here. */
async function loadTemplate(): Promise<Blob> {
  let path: string | undefined;
  try {
    path = inject('pgliteTemplate');
  } catch {
    path = undefined; // outside vitest (benchmarks reuse the test harness): make the template here
  }
  if (path) return new Blob([await readFile(path)]);
  return makePgliteTemplate();
}

/**
 * A fresh in-memory PGlite database with every migration applied, cloned from a template: creating a PGlite
 * cluster and migrating it is the slow part, loading a dump is several times faster. The global setup makes the
 * template once per run; each test file only loads it.
 */
export async function migratedPglite(): Promise<Database> {
  template ??= loadTemplate();
  return openDatabase({ url: null, loadDataDir: await template });
}
