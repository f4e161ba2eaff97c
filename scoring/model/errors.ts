/**
 * Stable error codes of the model contract (issue 7 §2). Loading a model that breaks the contract returns
 * one of these with a message that says exactly what is wrong; the codes never change meaning.
 */
export const MODEL_ERROR_CODES = [
  'MODEL_BYTES_INVALID', // empty or larger than the size bound
  'MODEL_UNPARSEABLE', // not an ONNX model onnxruntime can load
  'MODEL_METADATA_MISSING', // metadata_props lacks feature_names or model_version
  'MODEL_FEATURE_NAMES_INVALID', // feature_names is not a JSON array of strings
  'MODEL_FEATURE_MISMATCH', // feature_names differ from the catalogue (set or order)
  'MODEL_CATALOGUE_MISMATCH', // catalogue_version present and different
  'MODEL_INPUT_INVALID', // no float32 input `features` of shape [N, F]
  'MODEL_OUTPUT_NOT_TENSOR', // probability output is a map/sequence (ZipMap not disabled)
  'MODEL_OUTPUT_INVALID', // no usable probability output, or wrong shape
  'MODEL_PREDICTION_INVALID', // probe rows gave values outside [0, 1] or rows not summing to 1
  'MODEL_SCORECARD_INVALID', // embedded scorecard metadata unreadable or disagrees with the graph
  'MODEL_NOT_FOUND', // registry: unknown model id
  'MODEL_NO_PREVIOUS', // registry: nothing to roll back to
  'MODEL_NONE_ACTIVE', // registry: no model activated yet
] as const;

/** One of {@link MODEL_ERROR_CODES}. */
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

/** An expected model failure, returned as a value. */
export interface ModelError {
  code: ModelErrorCode;
  message: string;
}

/** Result of a model operation. */
export type ModelResult<T> = { ok: true; value: T } | { ok: false; error: ModelError };

/** Build a failed {@link ModelResult}. */
export const modelFail = (code: ModelErrorCode, message: string): { ok: false; error: ModelError } => ({ ok: false, error: { code, message } });
