/**
 * Stable error codes for the consortium protocol library.
 *
 * Every failure the protocol layer can report carries one of these string codes so callers can
 * switch on `err.code` (and the HTTP edge can map codes to statuses in one table).
 * The codes are part of the public contract: they never change meaning once released.
 */
export const PROTOCOL_ERROR_CODES = [
  // subject identifiers and pseudonyms (docs/protocol.md §2)
  'SUBJECT_EMPTY',
  'SUBJECT_TOO_LONG',
  'SUBJECT_UNRECOGNIZED',
  'SUBJECT_RID_LEGACY_15',
  'SUBJECT_RID_FORMAT',
  'SUBJECT_RID_CHECKSUM',
  'SUBJECT_RID_BIRTHDATE',
  'SUBJECT_RID_REGION',
  'SUBJECT_TEL_FORMAT',
  'PSEUDONYM_KEY_INVALID',
  'SEAL_KEY_INVALID',
  'SEAL_OPEN_FAILED',
  // signals (docs/protocol.md §3-4)
  'SIGNAL_SCHEMA',
  'SIGNAL_TYPE_UNKNOWN',
  'SIGNAL_VERSION',
  'SIGNAL_EXPIRED',
  'SIGNAL_NOT_YET_VALID',
  'SIGNAL_TOO_LONG_LIVED',
  'SIGNAL_UNKNOWN_KEY',
  'SIGNAL_BAD_SIGNATURE',
  'SIGNAL_WRONG_ISSUER',
  'SIGNAL_KEY_NOT_VALID',
  'SIGNAL_ENTRY_FORMAT',
  'SIGNAL_TOO_LARGE',
  'CANONICAL_JSON',
  'KEY_INVALID',
  // Merkle log math (docs/protocol.md §5)
  'MERKLE_RANGE',
  'MERKLE_HASH_SIZE',
  'MERKLE_READER',
  // signed notes, checkpoints, cosignatures (docs/protocol.md §6)
  'NOTE_MALFORMED',
  'NOTE_NO_VERIFIED_SIGNATURE',
  'NOTE_BAD_SIGNATURE',
  'NOTE_TOO_MANY_SIGNATURES',
  'VKEY_MALFORMED',
  'SKEY_MALFORMED',
  'CHECKPOINT_MALFORMED',
  'COSIGNATURE_MALFORMED',
  // tiles and bundles (docs/protocol.md §7)
  'TILE_PATH',
  'TILE_SIZE',
  'BUNDLE_MALFORMED',
  // roster (docs/protocol.md §8)
  'ROSTER_SCHEMA',
  'ROSTER_BAD_SIGNATURE',
  'ROSTER_VERSION_NOT_NEWER',
  'ROSTER_CONSORTIUM_MISMATCH',
  'ROSTER_MEMBER_UNKNOWN',
  'ROSTER_MEMBER_INACTIVE',
  // library lifecycle
  'NOT_READY',
] as const;

/** A stable protocol error code (see {@link PROTOCOL_ERROR_CODES}). */
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/**
 * The one error class thrown by `protocol/`. `code` is stable; `message` is for humans and never
 * contains raw personal data (identifiers are never echoed back).
 */
export class ProtocolError extends Error {
  /** Stable, switchable error code. */
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}

/** True when `err` is a {@link ProtocolError}, optionally with the given `code`. */
export function isProtocolError(err: unknown, code?: ProtocolErrorCode): err is ProtocolError {
  return err instanceof ProtocolError && (code === undefined || err.code === code);
}
