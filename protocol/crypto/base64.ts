/**
 * Base64 helpers (RFC 4648). Strict decoding: canonical padding, no whitespace, no stray bits,
 * so each byte string has exactly one accepted encoding.
 */
import { ProtocolError, type ProtocolErrorCode } from '../errors';

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes canonical padded standard base64; throws `code` on anything else. */
export function fromBase64(s: string, code: ProtocolErrorCode = 'KEY_INVALID'): Uint8Array {
  if (!B64.test(s)) throw new ProtocolError(code, 'invalid base64');
  const out = new Uint8Array(Buffer.from(s, 'base64'));
  if (toBase64(out) !== s) throw new ProtocolError(code, 'non-canonical base64');
  return out;
}

/** Decodes canonical unpadded base64url; throws `code` on anything else. */
export function fromBase64Url(s: string, code: ProtocolErrorCode = 'KEY_INVALID'): Uint8Array {
  if (!B64URL.test(s) || s.length % 4 === 1) throw new ProtocolError(code, 'invalid base64url');
  const out = new Uint8Array(Buffer.from(s, 'base64url'));
  if (toBase64Url(out) !== s) throw new ProtocolError(code, 'non-canonical base64url');
  return out;
}

/** Lower-case hex encoding. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Decodes lower- or upper-case hex of even length; throws `code` otherwise. */
export function fromHex(s: string, code: ProtocolErrorCode = 'KEY_INVALID'): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(s)) throw new ProtocolError(code, 'invalid hex');
  return new Uint8Array(Buffer.from(s, 'hex'));
}
