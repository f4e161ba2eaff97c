/**
 * The node's model registry (issue 7 §2): `DIR/models/` holds installed models and `registry.json`. At first
 * start the shipped default model (`models/default/*.onnx`) is installed and activated. The `model` CLI verbs
 * change the registry from another process; {@link ModelSource.current} notices a changed `registry.json` and
 * re-reads it, so an install or rollback takes effect at the next evaluation without a restart.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDirModelFiles, createModelRegistry, type ModelError, type ModelRegistry, type ScoringModel } from '../../scoring';

/** Where the repository ships its default model. */
export const SHIPPED_MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'default');

/** The registry state file inside the models directory. */
export const REGISTRY_FILE = 'registry.json';

/** The active model as decisions use it. */
export interface ModelSource {
  /** The active model (re-reading `registry.json` first when it changed), or null when none is installed. */
  current(): Promise<{ id: string; model: ScoringModel } | null>;
  registry: ModelRegistry;
}

const fingerprint = async (path: string): Promise<string> => {
  try {
    const s = await stat(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
};

/** Opens (creating if needed) the registry in `modelsDir`; installs the shipped models when it is empty. */
export async function openModelSource(opts: { modelsDir: string; now: () => Date; defaultsDir?: string }): Promise<{ ok: true; source: ModelSource } | { ok: false; error: ModelError }> {
  const registry = createModelRegistry({ files: createDirModelFiles(opts.modelsDir), now: opts.now });
  const init = await registry.init();
  if (!init.ok) return init;
  if (registry.state().models.length === 0) {
    const r = await installShipped(registry, opts.defaultsDir ?? SHIPPED_MODELS_DIR);
    if (!r.ok) return r;
  }
  const statePath = join(opts.modelsDir, REGISTRY_FILE);
  let seen = await fingerprint(statePath);
  let reloading: Promise<void> | null = null;
  const source: ModelSource = {
    registry,
    async current() {
      const fp = await fingerprint(statePath);
      if (fp !== seen) {
        reloading ??= (async () => {
          const r = await registry.init();
          if (!r.ok) throw new Error(`models directory ${opts.modelsDir}: ${r.error.code}: ${r.error.message}`);
          seen = fp;
        })().finally(() => (reloading = null));
        await reloading;
      }
      const id = registry.state().active;
      const model = registry.active();
      return id !== null && model ? { id, model } : null;
    },
  };
  return { ok: true, source };
}

async function installShipped(registry: ModelRegistry, dir: string): Promise<{ ok: true } | { ok: false; error: ModelError }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.onnx')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true };
    throw e;
  }
  for (const [i, name] of names.entries()) {
    const r = await registry.install(new Uint8Array(await readFile(join(dir, name))), { activate: i === 0 });
    if (!r.ok) return { ok: false, error: { ...r.error, message: `shipped model ${name}: ${r.error.message}` } };
  }
  return { ok: true };
}
