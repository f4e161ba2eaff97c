import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../../../../../scoring';
import { SHIPPED_MODELS_DIR } from '../../../../../node/decisions/models';
import { evaluateOnPopulation, trainDefaultModel } from '../../../../../node/decisions/train/pipeline';
import { syntheticPopulation } from '../../../../../node/decisions/train/population';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('default model pipeline', () => {
  it('the population is reproducible from its seed and bounded', () => {
    expect(JSON.stringify(syntheticPopulation(200, 5))).toBe(JSON.stringify(syntheticPopulation(200, 5)));
    expect(JSON.stringify(syntheticPopulation(200, 5))).not.toBe(JSON.stringify(syntheticPopulation(200, 6)));
    expect(() => syntheticPopulation(0, 1)).toThrow(RangeError);
  });

  it('models/default is exactly what `model train` with the defaults produces', () => {
    const shipped = new Uint8Array(readFileSync(join(SHIPPED_MODELS_DIR, 'consortium-scorecard-1.onnx')));
    const { onnxBytes, report } = trainDefaultModel();
    expect(sha(onnxBytes)).toBe(sha(shipped));
    expect(report).toMatchObject({ modelVersion: 'consortium-scorecard-1', nTrain: 14_000, nHoldout: 6_000 });
    expect(report.holdout.auc).toBeGreaterThan(0.7);
  });

  it('evaluation reports the consortium model clearly better than own data only on the same hold-out', async () => {
    const { onnxBytes } = trainDefaultModel({ subjects: 4000, seed: 3 });
    const loaded = await loadOnnxModel(onnxBytes);
    if (!loaded.ok) throw new Error(loaded.error.message);
    const s = await evaluateOnPopulation(loaded.value, { subjects: 4000, seed: 3 });
    expect(s.holdout).toBe(1200);
    expect(s.installed.metrics.auc).toBeCloseTo(s.uplift.candidate.metrics.auc, 12);
    expect(s.uplift.delta.auc).toBeGreaterThan(0.05);
    expect(s.uplift.delta.ks).toBeGreaterThan(0.05);
    expect(s.uplift.delta.badRateReduction['0.5']).toBeGreaterThan(0.2);
    await loaded.value.release();
  });
});
