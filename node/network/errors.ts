/**
 * Stable error codes of the network module. Expected failures that callers switch on are thrown as
 * {@link NetworkError} (the {@link Network} contract returns plain promises); the HTTP edge maps them.
 */
export const NETWORK_ERROR_CODES = [
  /** The node has no roster yet (`join` not run), or this member is not in it. */
  'not-joined',
  /** A signal to append failed schema validation or its signature does not verify with our key. */
  'signal-invalid',
  /** A signal to append names another issuer, or is signed with a key that is not this node's signal key. */
  'signal-wrong-issuer',
  /** A signal id was already logged with different content. */
  'signal-duplicate-id',
  /** The network module is stopped. */
  'stopped',
] as const;

/** A network error code. */
export type NetworkErrorCode = (typeof NETWORK_ERROR_CODES)[number];

/** An expected failure of the network module, with a stable {@link NetworkErrorCode}. */
export class NetworkError extends Error {
  constructor(
    readonly code: NetworkErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** True when `err` is a {@link NetworkError}. */
export function isNetworkError(err: unknown): err is NetworkError {
  return err instanceof NetworkError;
}
