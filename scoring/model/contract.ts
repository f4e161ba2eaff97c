/**
 * The model contract (issue 7 §2, docs/scoring.md "Model contract"): checks of the metadata and of the
 * input/output signature that a model must pass before it may score anyone.
 *
 * - input `features`: float32, shape [N, F] (N symbolic or any, F = catalogue size);
 * - output: the tensor named by metadata `output_name`, else the one named `probabilities`, else the only float
 *   tensor output; shape [N, 2] (column 1 = PD), [N, 1] or [N]; a map/sequence output means ZipMap is on;
 * - metadata_props `feature_names`: JSON array equal to the catalogue names: same names in the same order
 *   (matching is exact and positional; a model is never re-mapped by name);
 *   `model_version`: non-empty string; `catalogue_version` optional, must equal the catalogue's when present.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { modelFail, type ModelError, type ModelResult } from './errors';

/** The output predictions are read from; its layout ([N, 2] column 1, [N, 1] or [N]) is read from each result's dims. */
export interface OutputBinding {
  name: string;
}

/** Parsed and checked contract metadata. */
export interface ContractMetadata {
  featureNames: string[];
  modelVersion: string;
}

/** Check `feature_names`, `model_version` and `catalogue_version` against the expected catalogue. */
export function checkMetadata(meta: Map<string, string>, expected: readonly string[], catalogueVersion: string): ModelResult<ContractMetadata> {
  const rawNames = meta.get('feature_names');
  const modelVersion = meta.get('model_version');
  const absent = [rawNames === undefined ? 'feature_names' : '', !modelVersion ? 'model_version' : ''].filter(Boolean);
  if (absent.length > 0) return modelFail('MODEL_METADATA_MISSING', `metadata_props lacks ${absent.join(' and ')}`);
  let names: unknown;
  try { names = JSON.parse(rawNames!); } catch { names = undefined; }
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    return modelFail('MODEL_FEATURE_NAMES_INVALID', 'metadata_props feature_names must be a JSON array of strings');
  }
  const got = names as string[];
  const missing = expected.filter((n) => !got.includes(n));
  const unexpected = got.filter((n) => !expected.includes(n));
  const dupes = got.filter((n, i) => got.indexOf(n) !== i);
  if (missing.length || unexpected.length || dupes.length) {
    const parts = [
      missing.length ? `missing ${JSON.stringify(missing)}` : '',
      unexpected.length ? `unexpected ${JSON.stringify(unexpected)}` : '',
      dupes.length ? `duplicated ${JSON.stringify(dupes)}` : '',
    ].filter(Boolean);
    return modelFail('MODEL_FEATURE_MISMATCH', `feature_names do not match catalogue version ${catalogueVersion}: ${parts.join('; ')}`);
  }
  const at = got.findIndex((n, i) => n !== expected[i]);
  if (at >= 0) {
    return modelFail('MODEL_FEATURE_MISMATCH', `feature_names order differs from catalogue version ${catalogueVersion} at position ${at}: expected "${expected[at]}", got "${got[at]}"`);
  }
  const cv = meta.get('catalogue_version');
  if (cv !== undefined && cv !== catalogueVersion) {
    return modelFail('MODEL_CATALOGUE_MISMATCH', `model was built for catalogue_version "${cv}", this node uses "${catalogueVersion}"`);
  }
  return { ok: true, value: { featureNames: got, modelVersion: modelVersion! } };
}

const dimOk = (d: number | string | undefined, want: number) => d === undefined || typeof d === 'string' || d === want || d === -1;

/** Check the session's input and output signature; returns which output to read. */
export function checkSignature(session: InferenceSession, featureCount: number, outputName?: string): ModelResult<OutputBinding> {
  const input = session.inputMetadata.find((m) => m.name === 'features');
  if (!input) return modelFail('MODEL_INPUT_INVALID', `model has no input named "features" (inputs: ${JSON.stringify(session.inputNames)})`);
  if (session.inputNames.length !== 1) return modelFail('MODEL_INPUT_INVALID', `model must have exactly one input "features", has ${JSON.stringify(session.inputNames)}`);
  if (!input.isTensor || input.type !== 'float32') return modelFail('MODEL_INPUT_INVALID', `input "features" must be a float32 tensor, is ${input.isTensor ? input.type : 'not a tensor'}`);
  if (input.shape.length !== 2 || !dimOk(input.shape[1], featureCount)) {
    return modelFail('MODEL_INPUT_INVALID', `input "features" must have shape [N, ${featureCount}], has [${input.shape.join(', ')}]`);
  }
  const outs = session.outputMetadata;
  const chosen = outputName !== undefined
    ? outs.find((o) => o.name === outputName)
    : outs.find((o) => o.name === 'probabilities') ?? (outs.filter((o) => !o.isTensor || o.type === 'float32').length === 1 ? outs.find((o) => !o.isTensor || o.type === 'float32') : undefined);
  if (!chosen) {
    return modelFail('MODEL_OUTPUT_INVALID', `cannot choose the probability output among ${JSON.stringify(session.outputNames)}: name it "probabilities" or set metadata_props output_name`);
  }
  if (!chosen.isTensor) {
    return modelFail('MODEL_OUTPUT_NOT_TENSOR', `output "${chosen.name}" is not a tensor (a ZipMap/sequence); convert with ZipMap disabled (skl2onnx options={"zipmap": False})`);
  }
  if (chosen.type !== 'float32' && chosen.type !== 'float64') return modelFail('MODEL_OUTPUT_INVALID', `output "${chosen.name}" must be float32, is ${chosen.type}`);
  const s = chosen.shape;
  // An unknown rank or a symbolic / -1 second dimension is settled by the probe run at load.
  const second = s[1];
  if (s.length <= 1 || (s.length === 2 && (second === 1 || second === 2 || second === -1 || typeof second === 'string'))) {
    return { ok: true, value: { name: chosen.name } };
  }
  return modelFail('MODEL_OUTPUT_INVALID', `output "${chosen.name}" must have shape [N, 2], [N, 1] or [N], has [${s.join(', ')}]`);
}

/** Check probe predictions: finite, within [0, 1]. */
export function checkProbe(pd: Float64Array): ModelError | undefined {
  const bad = Array.from(pd).findIndex((p) => !(p >= 0 && p <= 1));
  return bad >= 0 ? { code: 'MODEL_PREDICTION_INVALID', message: `probe row ${bad} gave ${pd[bad]}, expected a probability in [0, 1]` } : undefined;
}
