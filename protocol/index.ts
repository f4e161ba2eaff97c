/**
 * Public API of the consortium protocol library (normative description: docs/protocol.md).
 * Pure: no HTTP, no database, no clock or environment reads. Await {@link ready} once before any
 * signing, verification or sealing call.
 */
export { ready } from './crypto/sodium';
export { ProtocolError, isProtocolError, PROTOCOL_ERROR_CODES, type ProtocolErrorCode } from './errors';
export { toBase64, fromBase64, toBase64Url, fromBase64Url, toHex, fromHex } from './crypto/base64';
export * from './subject/index';
export { canonicalJson, canonicalJsonBytes, canonicalJsonOfValidated, type JsonValue } from './canonical/jcs';
export * from './crypto/ed25519';
export * from './signals/index';
export * from './merkle/index';
export * from './note/index';
export * from './tiles/index';
export * from './roster/index';
