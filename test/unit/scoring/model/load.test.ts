import type { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../../../scoring/features/catalogue';
import { checkSignature } from '../../../../scoring/model/contract';
import { loadOnnxModel } from '../../../../scoring/model/load';
import { externalModel, smallTrained } from '../../../fixtures/scoring/models';

const swapped = [...FEATURE_NAMES];
[swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];

const refusals: Array<[string, { bytes: () => Uint8Array; code: string; message: RegExp }]> = [
  ['empty bytes', { bytes: () => new Uint8Array(0), code: 'MODEL_BYTES_INVALID', message: /0 bytes/ }],
  ['not protobuf', { bytes: () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), code: 'MODEL_UNPARSEABLE', message: /ONNX/ }],
  ['no feature_names', { bytes: () => externalModel({ metadata: { feature_names: undefined } }), code: 'MODEL_METADATA_MISSING', message: /feature_names/ }],
  ['no model_version', { bytes: () => externalModel({ metadata: { model_version: undefined } }), code: 'MODEL_METADATA_MISSING', message: /model_version/ }],
  ['feature_names not JSON', { bytes: () => externalModel({ metadata: { feature_names: 'a,b' } }), code: 'MODEL_FEATURE_NAMES_INVALID', message: /JSON array/ }],
  ['missing and unexpected feature', {
    bytes: () => externalModel({ metadata: { feature_names: JSON.stringify([...FEATURE_NAMES.slice(0, -1), 'income']) } }),
    code: 'MODEL_FEATURE_MISMATCH', message: /missing \["ext_wechat_payscore_eligible"\]; unexpected \["income"\]/,
  }],
  ['feature order differs', {
    bytes: () => externalModel({ metadata: { feature_names: JSON.stringify(swapped) } }),
    code: 'MODEL_FEATURE_MISMATCH', message: /position 0: expected "own_has_relationship", got "own_days_since_last_order"/,
  }],
  ['catalogue version differs', { bytes: () => externalModel({ metadata: { catalogue_version: '0' } }), code: 'MODEL_CATALOGUE_MISMATCH', message: /"0"/ }],
  ['input not named features', { bytes: () => externalModel({ inputName: 'X' }), code: 'MODEL_INPUT_INVALID', message: /no input named "features"/ }],
  ['input width differs', {
    bytes: () => externalModel({ featureCount: FEATURE_COUNT - 1, metadata: { feature_names: JSON.stringify(FEATURE_NAMES) } }),
    code: 'MODEL_INPUT_INVALID', message: new RegExp(`\\[N, ${FEATURE_COUNT}\\]`),
  }],
  ['output is not a probability', { bytes: () => externalModel({ raw: true, output: 'n1', bias: 5 }), code: 'MODEL_PREDICTION_INVALID', message: /probability/ }],
  ['three-class output', { bytes: () => externalModel({ output: 'n3' }), code: 'MODEL_OUTPUT_INVALID', message: /has \[N, 3\]/ }],
  ['output name unknown', { bytes: () => externalModel({ output: 'n1', metadata: { output_name: 'nope' } }), code: 'MODEL_OUTPUT_INVALID', message: /output_name/ }],
];

describe('loadOnnxModel refuses models that break the contract', () => {
  it.each(refusals)('%s', async (_, c) => {
    const r = await loadOnnxModel(c.bytes());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(c.code);
    expect(r.error.message).toMatch(c.message);
  });

  it('refuses embedded scorecard metadata that disagrees with the graph', async () => {
    const sc = JSON.stringify(smallTrained().result.scorecard);
    const r = await loadOnnxModel(externalModel({ metadata: { scorecard: sc } }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('MODEL_SCORECARD_INVALID');
      expect(r.error.message).toMatch(/probe row 0/);
    }
  });

  it('refuses unreadable embedded scorecard metadata', async () => {
    const r = await loadOnnxModel(externalModel({ metadata: { scorecard: '{"format":"scorecard/v1"}' } }));
    expect(!r.ok && r.error.code).toBe('MODEL_SCORECARD_INVALID');
  });

  it('explains ZipMap outputs (non-tensor) with their own code', () => {
    const fake = {
      inputNames: ['features'],
      outputNames: ['output_label', 'output_probability'],
      inputMetadata: [{ name: 'features', isTensor: true, type: 'float32', shape: ['N', FEATURE_COUNT] }],
      outputMetadata: [{ name: 'output_label', isTensor: true, type: 'int64', shape: ['N'] }, { name: 'output_probability', isTensor: false }],
    } as unknown as InferenceSession;
    const r = checkSignature(fake, FEATURE_COUNT);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('MODEL_OUTPUT_NOT_TENSOR');
      expect(r.error.message).toMatch(/zipmap/i);
    }
  });
});

describe('loadOnnxModel accepts the contract output layouts', () => {
  it.each([['[N, 2] probabilities + label', 'n2'], ['[N, 1]', 'n1'], ['[N]', 'n']] as const)('%s', async (_, output) => {
    const r = await loadOnnxModel(externalModel({ output }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = r.value;
    expect(m.kind).toBe('onnx');
    expect(m.modelVersion).toBe('external-lr-1');
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    const batch = new Float32Array(3 * FEATURE_COUNT);
    batch[7] = 60; // row 0: own_current_dpd = 60
    const pd = await m.predict(batch, 3);
    expect(pd).toHaveLength(3);
    expect(pd[0]!).toBeGreaterThan(pd[1]!);
    expect(pd[1]!).toBeCloseTo(pd[2]!, 12);
    await expect(m.predict(new Float32Array(5), 1)).rejects.toThrow(RangeError);
    await m.release();
  });

  it('loads a trained scorecard as kind "scorecard"', async () => {
    const r = await loadOnnxModel(smallTrained().result.onnxBytes);
    expect(r.ok && r.value.kind).toBe('scorecard');
    if (r.ok) await r.value.release();
  });
});
