/**
 * Export a {@link Scorecard} as a standard ONNX model (opset 13) honouring the model contract:
 * input `features` float32 [N, F]; output `probabilities` float32 [N, 2] (column 1 = probability of default).
 *
 * Graph: the piecewise-constant WoE of each feature is written as a sum of steps,
 *   coef_j * woe_j(x) = coef_j * woe_j[0] + sum_k coef_j * (woe_j[k] - woe_j[k-1]) * [x_j >= edge_jk],
 * so logit = c0 + Cast(GreaterOrEqual(Gather(features, idx, axis=1), thresholds)) x deltas (MatMul),
 * then Sigmoid and Concat(1 - p, p).
 */
import { CATALOGUE_VERSION } from '../features/catalogue';
import { encodeModel, ONNX_FLOAT, ONNX_INT64 } from '../model/onnx-proto';
import type { Scorecard } from '../model/scorecard';

/** Export options. */
export interface ExportOptions {
  modelVersion: string;
  /** Extra `metadata_props` entries (e.g. training report digest). */
  metadata?: Record<string, string>;
}

/** Encode the scorecard as ONNX bytes with the contract's metadata (`feature_names`, `model_version`, ...). */
export function scorecardToOnnx(sc: Scorecard, opts: ExportOptions): Uint8Array {
  const idx: number[] = [];
  const thr: number[] = [];
  const delta: number[] = [];
  let c0 = sc.intercept;
  sc.coef.forEach((c, j) => {
    if (c === 0) return;
    const b = sc.bins[j]!;
    c0 += c * b.woe[0]!;
    b.edges.forEach((e, k) => { idx.push(j); thr.push(e); delta.push(c * (b.woe[k + 1]! - b.woe[k]!)); });
  });
  if (idx.length === 0) { idx.push(0); thr.push(3.4e38); delta.push(0); }
  const F = sc.featureNames.length;
  const M = idx.length;
  return encodeModel({
    producerName: 'consortium-node-scoring',
    producerVersion: '1',
    graphName: 'woe_scorecard',
    docString: 'WoE credit scorecard: logistic regression over binned features',
    opset: 13,
    nodes: [
      { name: 'gather', opType: 'Gather', input: ['features', 'step_feature'], output: ['step_x'], intAttributes: { axis: 1 } },
      { name: 'ge', opType: 'GreaterOrEqual', input: ['step_x', 'step_threshold'], output: ['step_on'] },
      { name: 'cast', opType: 'Cast', input: ['step_on'], output: ['step_on_f'], intAttributes: { to: ONNX_FLOAT } },
      { name: 'matmul', opType: 'MatMul', input: ['step_on_f', 'step_delta'], output: ['steps'] },
      { name: 'add', opType: 'Add', input: ['steps', 'logit_base'], output: ['logit'] },
      { name: 'sigmoid', opType: 'Sigmoid', input: ['logit'], output: ['pd'] },
      { name: 'one_minus', opType: 'Sub', input: ['one', 'pd'], output: ['p_good'] },
      { name: 'concat', opType: 'Concat', input: ['p_good', 'pd'], output: ['probabilities'], intAttributes: { axis: 1 } },
    ],
    initializers: [
      { name: 'step_feature', dims: [M], dataType: ONNX_INT64, int64Data: idx },
      { name: 'step_threshold', dims: [M], dataType: ONNX_FLOAT, floatData: thr },
      { name: 'step_delta', dims: [M, 1], dataType: ONNX_FLOAT, floatData: delta },
      { name: 'logit_base', dims: [1], dataType: ONNX_FLOAT, floatData: [c0] },
      { name: 'one', dims: [1], dataType: ONNX_FLOAT, floatData: [1] },
    ],
    inputs: [{ name: 'features', elemType: ONNX_FLOAT, shape: ['N', F] }],
    outputs: [{ name: 'probabilities', elemType: ONNX_FLOAT, shape: ['N', 2] }],
    metadata: {
      ...(opts.metadata ?? {}),
      feature_names: JSON.stringify(sc.featureNames),
      model_version: opts.modelVersion,
      catalogue_version: CATALOGUE_VERSION,
      model_type: 'scorecard',
      scorecard: JSON.stringify(sc),
    },
  });
}
