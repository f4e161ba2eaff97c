/**
 * Log entries (docs/protocol.md §4.1): the UTF-8 RFC 8785 canonical JSON of `{body, kid, sig}`.
 * Decoding insists on the canonical form, so every signed signal has exactly one entry encoding.
 */
import { ProtocolError } from '../errors';
import { canonicalJsonOfValidated } from '../canonical/jcs';
import { KID_PATTERN } from '../subject/pseudonym';
import { validateSignalBody } from './body';
import { MAX_SIGNAL_BODY_BYTES, signalSigningInputFromJcs, type SignedSignal } from './sign';

/** Largest accepted entry, in bytes (fits the uint16 length prefix of entry bundles). */
export const MAX_SIGNAL_ENTRY_BYTES = MAX_SIGNAL_BODY_BYTES + 256;
/** base64url (no padding) of a 64-byte signature. */
export const SIG_PATTERN = /^[A-Za-z0-9_-]{86}$/;

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Encodes a signed signal as a log entry: UTF-8 JCS of `{body, kid, sig}`. Validates the body. */
export function encodeSignalEntry(signed: SignedSignal): Uint8Array {
  const body = validateSignalBody(signed.body);
  assertKidSig(signed.kid, signed.sig);
  const bytes = encoder.encode(canonicalJsonOfValidated({ body, kid: signed.kid, sig: signed.sig }));
  if (bytes.length > MAX_SIGNAL_ENTRY_BYTES) throw new ProtocolError('SIGNAL_TOO_LARGE', `entry over ${MAX_SIGNAL_ENTRY_BYTES} bytes`);
  return bytes;
}

function assertKidSig(kid: unknown, sig: unknown): void {
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw new ProtocolError('SIGNAL_ENTRY_FORMAT', 'entry kid is malformed');
  if (typeof sig !== 'string' || !SIG_PATTERN.test(sig)) throw new ProtocolError('SIGNAL_ENTRY_FORMAT', 'entry sig must be 86 base64url characters');
}

/** A decoded entry plus the exact bytes its signature covers. */
export interface DecodedSignalEntry {
  signed: SignedSignal;
  /** `"consortium-signal/v1\n" || JCS(body)`, sliced from the entry without re-serializing. */
  signingInput: Uint8Array;
}

/**
 * Decodes and validates a log entry (canonical form, `{body, kid, sig}` shape, body schema).
 * Does not check the signature or any clock; see `verifySignalEntry`. Throws `SIGNAL_ENTRY_FORMAT`,
 * `SIGNAL_TOO_LARGE`, or a body validation code.
 */
export function decodeSignalEntryWithInput(entry: Uint8Array): DecodedSignalEntry {
  if (!(entry instanceof Uint8Array)) throw new ProtocolError('SIGNAL_ENTRY_FORMAT', 'entry must be bytes');
  if (entry.length > MAX_SIGNAL_ENTRY_BYTES) throw new ProtocolError('SIGNAL_TOO_LARGE', `entry over ${MAX_SIGNAL_ENTRY_BYTES} bytes`);
  let text: string;
  let parsed: unknown;
  try {
    text = decoder.decode(entry);
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError('SIGNAL_ENTRY_FORMAT', 'entry is not UTF-8 JSON', { cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError('SIGNAL_ENTRY_FORMAT', 'entry must be a JSON object');
  }
  const keys = Object.keys(parsed);
  if (keys.length !== 3 || !('body' in parsed) || !('kid' in parsed) || !('sig' in parsed)) {
    throw new ProtocolError('SIGNAL_ENTRY_FORMAT', 'entry must have exactly body, kid, sig');
  }
  const { body, kid, sig } = parsed as { body: unknown; kid: unknown; sig: unknown };
  assertKidSig(kid, sig);
  const valid = validateSignalBody(body);
  // After validation every string is pattern-checked ASCII, so the fast serializer is exact.
  if (canonicalJsonOfValidated({ body: valid, kid, sig }) !== text) {
    throw new ProtocolError('SIGNAL_ENTRY_FORMAT', 'entry is not in RFC 8785 canonical form');
  }
  // Canonical form is `{"body":<JCS(body)>,"kid":"<kid>","sig":"<sig>"}`; kid and sig are ASCII.
  const tail = `,"kid":"${kid as string}","sig":"${sig as string}"}`.length;
  const bodyJcs = entry.subarray(8, entry.length - tail);
  return { signed: { body: valid, kid: kid as string, sig: sig as string }, signingInput: signalSigningInputFromJcs(bodyJcs) };
}

/** Decodes and validates a log entry (see {@link decodeSignalEntryWithInput}); no signature check. */
export function decodeSignalEntry(entry: Uint8Array): SignedSignal {
  return decodeSignalEntryWithInput(entry).signed;
}
