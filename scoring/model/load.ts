/**
 * Loading an ONNX model under the contract (issue 7 §2) into a {@link ScoringModel} with a batch API.
 * Everything that can be checked before scoring is checked here; a model that loads can score.
 */
import * as ort from 'onnxruntime-node';
import { createHash } from 'node:crypto';
import { CATALOGUE_VERSION, FEATURE_CATALOGUE, FEATURE_NAMES } from '../features/catalogue';
import { checkMetadata, checkProbe, checkSignature } from './contract';
import { modelFail, type ModelResult } from './errors';
import { decodeMetadata } from './onnx-proto';
import { ScorecardSchema, scorecardPd, type Scorecard } from './scorecard';

/** A loaded, validated model. */
export interface ScoringModel {
  modelVersion: string;
  /** Hex SHA-256 of the ONNX bytes (the model's identity). */
  sha256: string;
  featureNames: readonly string[];
  /** `scorecard` when the model embeds a verified scorecard (exact linear explanations), else `onnx`. */
  kind: 'scorecard' | 'onnx';
  scorecard: Scorecard | undefined;
  /** Probability of default per row of the row-major [n, F] batch. Rejects only on runtime failure (a bug/outage). */
  predict(batch: Float32Array, n: number): Promise<Float64Array>;
  /** Free the native session. */
  release(): Promise<void>;
}

/** Load options. */
export interface LoadOptions {
  /** Expected feature names and catalogue version (default: this node's catalogue). */
  featureNames?: readonly string[];
  catalogueVersion?: string;
  /** Byte bound (default 256 MiB). */
  maxBytes?: number;
  /** onnxruntime intra-op threads (default: onnxruntime's choice). */
  intraOpNumThreads?: number;
}

/** Agreement required between an embedded scorecard and the graph on probe rows. */
export const SCORECARD_TOLERANCE = 1e-5;

function readPd(out: ort.Tensor, n: number): Float64Array {
  const d = out.data as Float32Array | Float64Array;
  const dims = out.dims;
  const pd = new Float64Array(n);
  if (dims.length === 2 && dims[1] === 2) for (let i = 0; i < n; i++) pd[i] = d[2 * i + 1]!;
  else if ((dims.length === 2 && dims[1] === 1) || dims.length === 1) for (let i = 0; i < n; i++) pd[i] = d[i]!;
  else throw new Error(`model output has dims [${dims.join(', ')}], expected [N, 2], [N, 1] or [N]`);
  return pd;
}

function probeRows(F: number): Float32Array {
  const rows = [FEATURE_CATALOGUE.map((s) => s.reference), FEATURE_CATALOGUE.map((s) => s.imputed), new Array<number>(F).fill(0)];
  const out = new Float32Array(rows.length * F);
  rows.forEach((r, i) => { for (let j = 0; j < F; j++) out[i * F + j] = r[j] ?? 0; });
  return out;
}

/** Validate and load ONNX bytes. Returns a {@link ModelError} value for every contract violation. */
export async function loadOnnxModel(bytes: Uint8Array, opts: LoadOptions = {}): Promise<ModelResult<ScoringModel>> {
  const expected = opts.featureNames ?? FEATURE_NAMES;
  const F = expected.length;
  if (bytes.length === 0 || bytes.length > (opts.maxBytes ?? 256 * 1024 * 1024)) return modelFail('MODEL_BYTES_INVALID', `model is ${bytes.length} bytes`);
  const view = decodeMetadata(bytes);
  if (!view) return modelFail('MODEL_UNPARSEABLE', 'bytes are not an ONNX ModelProto');
  const meta = checkMetadata(view.metadata, expected, opts.catalogueVersion ?? CATALOGUE_VERSION);
  if (!meta.ok) return meta;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads } : {});
  } catch (e) {
    return modelFail('MODEL_UNPARSEABLE', `onnxruntime refused the model: ${(e as Error).message.slice(0, 300)}`);
  }
  const fail = async (r: { ok: false; error: { code: Parameters<typeof modelFail>[0]; message: string } }) => { await session.release(); return r; };
  const sig = checkSignature(session, F, view.metadata.get('output_name'));
  if (!sig.ok) return fail(sig);
  const outName = sig.value.name;
  const predict = async (batch: Float32Array, n: number): Promise<Float64Array> => {
    if (batch.length !== n * F) throw new RangeError(`batch has ${batch.length} values, expected ${n} x ${F}`);
    if (n === 0) return new Float64Array(0);
    const res = await session.run({ features: new ort.Tensor('float32', batch, [n, F]) }, [outName]);
    return readPd(res[outName] as ort.Tensor, n);
  };
  const probe = probeRows(F);
  let probePd: Float64Array;
  try { probePd = await predict(probe, probe.length / F); } catch (e) {
    return fail(modelFail('MODEL_OUTPUT_INVALID', `probe inference failed: ${(e as Error).message.slice(0, 300)}`));
  }
  const bad = checkProbe(probePd);
  if (bad) return fail({ ok: false, error: bad });
  let scorecard: Scorecard | undefined;
  const raw = view.metadata.get('scorecard');
  if (raw !== undefined) {
    let parsed: unknown;
    try { parsed = JSON.parse(raw); } catch { parsed = undefined; }
    const sc = ScorecardSchema.safeParse(parsed);
    if (!sc.success) return fail(modelFail('MODEL_SCORECARD_INVALID', `metadata scorecard is unreadable: ${sc.error.issues[0]?.message ?? 'invalid'}`));
    if (sc.data.featureNames.join('\n') !== expected.join('\n')) return fail(modelFail('MODEL_SCORECARD_INVALID', 'metadata scorecard featureNames differ from feature_names'));
    for (let i = 0; i < probePd.length; i++) {
      const ts = scorecardPd(sc.data, probe.subarray(i * F, (i + 1) * F));
      if (Math.abs(ts - probePd[i]!) > SCORECARD_TOLERANCE) {
        return fail(modelFail('MODEL_SCORECARD_INVALID', `metadata scorecard predicts ${ts} on probe row ${i}, the graph ${probePd[i]}`));
      }
    }
    scorecard = sc.data;
  }
  return {
    ok: true,
    value: {
      modelVersion: meta.value.modelVersion,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      featureNames: meta.value.featureNames,
      kind: scorecard ? 'scorecard' : 'onnx',
      scorecard,
      predict,
      release: () => session.release(),
    },
  };
}
