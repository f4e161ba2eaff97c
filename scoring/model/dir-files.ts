/**
 * {@link ModelFiles} over one local directory with node:fs (the models directory of a node).
 * Writes go to a temporary file and are renamed into place, so readers never see a partial model.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFiles } from './registry';

const SAFE = /^[A-Za-z0-9._-]{1,128}$/;

/** Model files stored flat under `dir` (created on first write). */
export function createDirModelFiles(dir: string): ModelFiles {
  const path = (name: string) => {
    if (!SAFE.test(name) || name.startsWith('.')) throw new RangeError(`unsafe model file name ${JSON.stringify(name)}`);
    return join(dir, name);
  };
  return {
    async read(name) {
      try { return new Uint8Array(await readFile(path(name))); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async write(name, bytes) {
      await mkdir(dir, { recursive: true });
      const tmp = `${path(name)}.tmp-${process.pid}`;
      await writeFile(tmp, bytes);
      await rename(tmp, path(name));
    },
  };
}
