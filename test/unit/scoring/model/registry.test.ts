import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '../../../../scoring/features/catalogue';
import { createDirModelFiles } from '../../../../scoring/model/dir-files';
import { createModelRegistry, type ModelFiles } from '../../../../scoring/model/registry';
import { externalModel, smallTrained } from '../../../fixtures/scoring/models';

function memoryFiles(): ModelFiles & { names: () => string[] } {
  const m = new Map<string, Uint8Array>();
  return { read: async (n) => m.get(n), write: async (n, b) => { m.set(n, new Uint8Array(b)); }, names: () => [...m.keys()].sort() };
}

const now = () => new Date('2026-11-01T12:00:00Z');
const row = new Float32Array(FEATURE_COUNT);
row[7] = 45; // own_current_dpd

describe('model registry', () => {
  it('installs, activates, hot-swaps and rolls back', async () => {
    const files = memoryFiles();
    const reg = createModelRegistry({ files, now });
    expect(reg.active()).toBeUndefined();
    expect((await reg.rollback()).ok).toBe(false);

    const a = await reg.install(smallTrained().result.onnxBytes, { activate: true });
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(a.value).toMatchObject({ modelVersion: 'test-scorecard-1', kind: 'scorecard', installedAt: '2026-11-01T12:00:00.000Z' });
    const pdA = (await reg.active()!.predict(row, 1))[0]!;

    const b = await reg.install(externalModel(), { activate: true });
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(reg.active()!.modelVersion).toBe('external-lr-1');
    const pdB = (await reg.active()!.predict(row, 1))[0]!;
    expect(pdB).not.toBeCloseTo(pdA, 3);
    expect(reg.state()).toMatchObject({ active: b.value.id, previous: a.value.id });

    const back = await reg.rollback();
    expect(back.ok && back.value.id).toBe(a.value.id);
    expect(reg.active()!.modelVersion).toBe('test-scorecard-1');
    expect(reg.state()).toMatchObject({ active: a.value.id, previous: b.value.id });

    // Re-installing identical bytes is idempotent.
    const again = await reg.install(externalModel());
    expect(again.ok && again.value.id).toBe(b.value.id);
    expect(reg.state().models).toHaveLength(2);
    expect(files.names()).toEqual([`${a.value.id}.onnx`, `${b.value.id}.onnx`, 'registry.json'].sort());

    // A fresh registry over the same files restores the active model (restart).
    const reg2 = createModelRegistry({ files, now });
    const init = await reg2.init();
    expect(init.ok).toBe(true);
    expect(reg2.active()!.sha256).toBe(a.value.id);
  });

  it('refuses an invalid model and keeps the active one', async () => {
    const reg = createModelRegistry({ files: memoryFiles(), now });
    await reg.install(externalModel(), { activate: true });
    const bad = await reg.install(externalModel({ metadata: { model_version: undefined } }), { activate: true });
    expect(!bad.ok && bad.error.code).toBe('MODEL_METADATA_MISSING');
    expect(reg.active()!.modelVersion).toBe('external-lr-1');
    expect((await reg.activate('0'.repeat(64))).ok).toBe(false);
  });

  describe('directory files', () => {
    let dir = '';
    afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });
    it('stores models atomically under the directory', async () => {
      dir = await mkdtemp(join(tmpdir(), 'scoring-models-'));
      const files = createDirModelFiles(join(dir, 'models'));
      expect(await files.read('registry.json')).toBeUndefined();
      const reg = createModelRegistry({ files, now });
      const r = await reg.install(externalModel(), { activate: true });
      expect(r.ok).toBe(true);
      expect((await readdir(join(dir, 'models'))).sort()).toEqual([r.ok ? `${r.value.id}.onnx` : '', 'registry.json'].sort());
      await expect(files.write('../escape', new Uint8Array(1))).rejects.toThrow(/unsafe/);
    });
  });
});
