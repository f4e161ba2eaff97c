/**
 * The subset of the ONNX protobuf schema (onnx/onnx.proto, IR version 8) that scoring needs to write
 * its own scorecard models and to read `metadata_props` of models produced elsewhere.
 * Field numbers are those of the official schema; fields not listed here are skipped when decoding.
 */
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        StringStringEntryProto: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4 },
            int64Data: { rule: 'repeated', type: 'int64', id: 7 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        /** Same wire layout as ModelProto but declares only the metadata fields, so the graph is skipped. */
        ModelMetadataView: {
          fields: {
            producerName: { type: 'string', id: 2 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
      },
    },
  },
});

/** ONNX TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
/** ONNX TensorProto.DataType INT64. */
export const ONNX_INT64 = 7;
/** ONNX AttributeProto.AttributeType INT. */
export const ONNX_ATTR_INT = 2;

/** A tensor initializer (float32 or int64) as written by {@link encodeModel}. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  /** {@link ONNX_FLOAT} or {@link ONNX_INT64}. */
  dataType: number;
  floatData?: number[];
  int64Data?: number[];
}

/** One graph node; attributes are limited to integer ones (all the scorecard graph needs). */
export interface OnnxNode {
  opType: string;
  input: string[];
  output: string[];
  name: string;
  intAttributes?: Record<string, number>;
}

/** A graph input or output: float32 or int64 tensor, each dimension fixed (number) or symbolic (string). */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape: Array<number | string>;
}

/** A whole model to encode. */
export interface OnnxModelSpec {
  producerName: string;
  producerVersion: string;
  graphName: string;
  docString: string;
  opset: number;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata: Record<string, string>;
}

function valueInfo(v: OnnxValueInfo): object {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.elemType,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Encode a model as ONNX protobuf bytes (IR version 8, default domain opset `spec.opset`). */
export function encodeModel(spec: OnnxModelSpec): Uint8Array {
  const ModelProto = root.lookupType('onnx.ModelProto');
  const msg = {
    irVersion: 8,
    producerName: spec.producerName,
    producerVersion: spec.producerVersion,
    modelVersion: 1,
    docString: spec.docString,
    opsetImport: [{ domain: '', version: spec.opset }],
    metadataProps: Object.entries(spec.metadata).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.graphName,
      node: spec.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        input: n.input,
        output: n.output,
        domain: '',
        attribute: Object.entries(n.intAttributes ?? {}).map(([name, i]) => ({ name, i, type: ONNX_ATTR_INT })),
      })),
      initializer: spec.initializers.map((t) => ({
        name: t.name,
        dims: t.dims,
        dataType: t.dataType,
        floatData: t.floatData ?? [],
        int64Data: t.int64Data ?? [],
      })),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  };
  const err = ModelProto.verify(msg);
  if (err) throw new Error(`ONNX encode: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(msg)).finish();
}

/** What {@link decodeMetadata} reads from any ONNX model. */
export interface OnnxMetadataView {
  producerName: string;
  metadata: Map<string, string>;
}

/**
 * Read `producer_name` and `metadata_props` from ONNX bytes without materialising the graph.
 * Returns `undefined` when the bytes are not a decodable protobuf message.
 */
export function decodeMetadata(bytes: Uint8Array): OnnxMetadataView | undefined {
  const View = root.lookupType('onnx.ModelMetadataView');
  try {
    const obj = View.toObject(View.decode(bytes), { defaults: true }) as {
      producerName: string;
      metadataProps: Array<{ key: string; value: string }>;
    };
    const metadata = new Map<string, string>();
    for (const p of obj.metadataProps) metadata.set(p.key, p.value);
    return { producerName: obj.producerName, metadata };
  } catch {
    return undefined;
  }
}
