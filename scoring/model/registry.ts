/**
 * Model registry (issue 7 §2): install validated ONNX models into a models directory, activate one,
 * keep the previous one for rollback, and hot-swap the active model without a restart.
 *
 * Storage is the small {@link ModelFiles} port (the node passes {@link createDirModelFiles} or its own);
 * the state lives in `registry.json`, models in `<sha256>.onnx`. Mutations are serialised. The active and the
 * previous model stay loaded, so a rollback is instant and in-flight predictions on a replaced model finish.
 */
import { loadOnnxModel, type LoadOptions, type ScoringModel } from './load';
import { modelFail, type ModelResult } from './errors';

/** The filesystem port: flat names inside one directory. `write` must be atomic (temp file + rename). */
export interface ModelFiles {
  read(name: string): Promise<Uint8Array | undefined>;
  write(name: string, bytes: Uint8Array): Promise<void>;
}

/** An installed model as recorded in `registry.json`. */
export interface InstalledModel {
  /** Hex SHA-256 of the ONNX bytes. */
  id: string;
  modelVersion: string;
  kind: 'scorecard' | 'onnx';
  file: string;
  installedAt: string;
}

/** The registry state. */
export interface RegistryState {
  active: string | null;
  previous: string | null;
  models: InstalledModel[];
}

/** Dependencies of {@link createModelRegistry}. */
export interface ModelRegistryDeps {
  files: ModelFiles;
  now: () => Date;
  loadOptions?: LoadOptions;
}

/** The registry API. */
export interface ModelRegistry {
  /** Read `registry.json` and load the active (and previous) model. */
  init(): Promise<ModelResult<RegistryState>>;
  /** Validate and store a model; activates it when `activate` is true. Installing the same bytes twice is a no-op. */
  install(bytes: Uint8Array, opts?: { activate?: boolean }): Promise<ModelResult<InstalledModel>>;
  /** Make an installed model active; the current one becomes `previous`. */
  activate(id: string): Promise<ModelResult<InstalledModel>>;
  /** Swap back to the previous model. */
  rollback(): Promise<ModelResult<InstalledModel>>;
  /** The model decisions should use now, or undefined before any activation. */
  active(): ScoringModel | undefined;
  state(): RegistryState;
}

const STATE_FILE = 'registry.json';
const enc = new TextEncoder();

/** Build a registry over `deps.files`. */
export function createModelRegistry(deps: ModelRegistryDeps): ModelRegistry {
  let state: RegistryState = { active: null, previous: null, models: [] };
  const loaded = new Map<string, ScoringModel>();
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(fn, fn);
    chain = p.catch(() => undefined);
    return p;
  };
  const save = () => deps.files.write(STATE_FILE, enc.encode(JSON.stringify(state, null, 2)));
  const ensureLoaded = async (id: string): Promise<ModelResult<ScoringModel>> => {
    const have = loaded.get(id);
    if (have) return { ok: true, value: have };
    const rec = state.models.find((m) => m.id === id);
    if (!rec) return modelFail('MODEL_NOT_FOUND', `no installed model ${id}`);
    const bytes = await deps.files.read(rec.file);
    if (!bytes) return modelFail('MODEL_NOT_FOUND', `model file ${rec.file} is missing`);
    const r = await loadOnnxModel(bytes, deps.loadOptions);
    if (r.ok) loaded.set(id, r.value);
    return r;
  };
  const releaseUnused = async () => {
    for (const [id, m] of loaded) {
      if (id !== state.active && id !== state.previous) { loaded.delete(id); await m.release(); }
    }
  };
  const doActivate = async (id: string): Promise<ModelResult<InstalledModel>> => {
    const rec = state.models.find((m) => m.id === id);
    if (!rec) return modelFail('MODEL_NOT_FOUND', `no installed model ${id}`);
    const m = await ensureLoaded(id);
    if (!m.ok) return m;
    if (state.active !== id) state = { ...state, previous: state.active, active: id };
    await save();
    await releaseUnused();
    return { ok: true, value: rec };
  };
  return {
    init: () => serial(async () => {
      const raw = await deps.files.read(STATE_FILE);
      if (raw) state = JSON.parse(new TextDecoder().decode(raw)) as RegistryState;
      for (const id of [state.active, state.previous]) {
        if (id === null) continue;
        const r = await ensureLoaded(id);
        if (!r.ok) return r;
      }
      return { ok: true as const, value: state };
    }),
    install: (bytes, opts = {}) => serial(async () => {
      const r = await loadOnnxModel(bytes, deps.loadOptions);
      if (!r.ok) return r;
      const id = r.value.sha256;
      let rec = state.models.find((m) => m.id === id);
      if (!rec) {
        rec = { id, modelVersion: r.value.modelVersion, kind: r.value.kind, file: `${id}.onnx`, installedAt: deps.now().toISOString() };
        await deps.files.write(rec.file, bytes);
        state = { ...state, models: [...state.models, rec] };
        await save();
      }
      if (!loaded.has(id)) loaded.set(id, r.value); else await r.value.release();
      if (opts.activate) return doActivate(id);
      await releaseUnused();
      return { ok: true as const, value: rec };
    }),
    activate: (id) => serial(() => doActivate(id)),
    rollback: () => serial(async () => {
      if (state.previous === null) return modelFail('MODEL_NO_PREVIOUS', 'there is no previous model to roll back to');
      return doActivate(state.previous);
    }),
    active: () => (state.active === null ? undefined : loaded.get(state.active)),
    state: () => state,
  };
}
