/**
 * C2SP signed-note keys (c2sp.org/signed-note "Signatures", "Verifier keys"): key names, key ids,
 * verifier keys `<name>+<hex id>+<base64(type || public key)>`, and signer keys
 * `PRIVATE+KEY+<name>+<hex id>+<base64(type || seed)>` (the golang.org/x/mod/sumdb/note format).
 * Supported signature types: 0x01 Ed25519 note signatures, 0x04 timestamped Ed25519 cosignatures.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../errors';
import { fromBase64, toBase64 } from '../crypto/base64';
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify } from '../crypto/ed25519';

/** Signature type 0x01: Ed25519 over the note text (c2sp.org/signed-note "Ed25519 signatures"). */
export const SIG_TYPE_ED25519 = 0x01;
/** Signature type 0x04: timestamped Ed25519 checkpoint cosignature (c2sp.org/tlog-cosignature). */
export const SIG_TYPE_COSIGNATURE = 0x04;
/** The note signature types this library implements. */
export type NoteSigType = typeof SIG_TYPE_ED25519 | typeof SIG_TYPE_COSIGNATURE;

/** Header line of the cosignature signed message (c2sp.org/tlog-cosignature "Ed25519 signed message"). */
export const COSIGNATURE_HEADER = 'cosignature/v1\n';

/** Key names: non-empty, valid UTF-8, no Unicode spaces, no `+` (c2sp.org/signed-note "Format"). */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && name.length <= 256 && !/[\s+]/u.test(name) && !/\p{Cs}/u.test(name);
}

/** Key id: first 4 bytes, big-endian, of `SHA-256(name || 0x0A || type || public key)`. */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const h = sha256.create().update(new TextEncoder().encode(`${name}\n`)).update(new Uint8Array([type])).update(publicKey).digest();
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** Fixed-length lower-case hex of a uint32 key id. */
export function keyIdHex(id: number): string {
  return id.toString(16).padStart(8, '0');
}

/** A parsed verifier key able to check signatures over note text. */
export interface NoteVerifier {
  name: string;
  keyId: number;
  type: NoteSigType;
  publicKey: Uint8Array;
  /** Checks `sig` (the signature bytes after the 4-byte key id) over the note `text` bytes. */
  verify(text: Uint8Array, sig: Uint8Array): boolean;
}

/** A signer producing note signature lines. */
export interface NoteSigner {
  name: string;
  keyId: number;
  /** Signature bytes (without the 4-byte key id) over the note `text` bytes. */
  sign(text: Uint8Array): Uint8Array;
}

/** The cosignature signed message: `"cosignature/v1\n" || "time <t>\n" || checkpoint text`. */
export function cosignatureMessage(timestamp: number, text: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(`${COSIGNATURE_HEADER}time ${timestamp}\n`);
  const out = new Uint8Array(head.length + text.length);
  out.set(head);
  out.set(text, head.length);
  return out;
}

/** Builds a verifier for an Ed25519 public key of the given type and name. */
export function noteVerifier(name: string, type: NoteSigType, publicKey: Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) throw new ProtocolError('VKEY_MALFORMED', 'invalid key name');
  if (publicKey.length !== 32) throw new ProtocolError('VKEY_MALFORMED', 'Ed25519 public key must be 32 bytes');
  const keyId = noteKeyId(name, type, publicKey);
  const verify =
    type === SIG_TYPE_ED25519
      ? (text: Uint8Array, sig: Uint8Array) => sig.length === 64 && ed25519Verify(sig, text, publicKey)
      : (text: Uint8Array, sig: Uint8Array) => {
          if (sig.length !== 72) return false;
          const ts = readTimestamp(sig);
          return ts !== null && ed25519Verify(sig.subarray(8), cosignatureMessage(ts, text), publicKey);
        };
  return { name, keyId, type, publicKey, verify };
}

/** Reads the big-endian uint64 cosignature timestamp; null above 2^53 - 1 (never produced here). */
export function readTimestamp(sig: Uint8Array): number | null {
  const v = new DataView(sig.buffer, sig.byteOffset, 8).getBigUint64(0);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
}

/** Splits at the first `count - 1` plus signs (the base64 tail may itself contain `+`). */
function splitPlus(s: unknown, count: number): string[] | null {
  if (typeof s !== 'string' || s.length > 1024) return null;
  const out: string[] = [];
  let rest = s;
  for (let i = 0; i < count - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return null;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  out.push(rest);
  return out;
}

/** Parses a verifier key string (c2sp.org/signed-note "Verifier keys"); throws `VKEY_MALFORMED`. */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const parts = splitPlus(vkey, 3);
  if (!parts) throw new ProtocolError('VKEY_MALFORMED', 'vkey must be name+hexid+base64');
  const [name, hex, b64] = parts as [string, string, string];
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new ProtocolError('VKEY_MALFORMED', 'vkey id must be 8 lower-case hex digits');
  const key = fromBase64(b64, 'VKEY_MALFORMED');
  const type = key[0];
  if (key.length !== 33 || (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE)) {
    throw new ProtocolError('VKEY_MALFORMED', 'vkey must be type 0x01 or 0x04 with a 32-byte Ed25519 key');
  }
  const v = noteVerifier(name, type, key.subarray(1));
  if (keyIdHex(v.keyId) !== hex) throw new ProtocolError('VKEY_MALFORMED', 'vkey id does not match name and key');
  return v;
}

/** Formats a verifier key string for an Ed25519 public key. */
export function formatVerifierKey(name: string, type: NoteSigType, publicKey: Uint8Array): string {
  const v = noteVerifier(name, type, publicKey);
  const body = new Uint8Array(33);
  body[0] = type;
  body.set(publicKey, 1);
  return `${name}+${keyIdHex(v.keyId)}+${toBase64(body)}`;
}

/** An Ed25519 (type 0x01) note signer from a libsodium secret key (64 bytes). */
export function ed25519NoteSigner(name: string, secretKey: Uint8Array): NoteSigner {
  if (!isValidKeyName(name)) throw new ProtocolError('SKEY_MALFORMED', 'invalid key name');
  const keyId = noteKeyId(name, SIG_TYPE_ED25519, secretKey.subarray(32));
  return { name, keyId, sign: (text) => ed25519Sign(text, secretKey) };
}

/**
 * A timestamped Ed25519 cosigner (type 0x04, c2sp.org/tlog-cosignature): signature bytes are
 * `uint64 BE timestamp || Ed25519(cosignature message)`. `timestamp` is POSIX seconds, injected.
 */
export function cosignatureSigner(name: string, secretKey: Uint8Array, timestamp: number): NoteSigner {
  if (!isValidKeyName(name)) throw new ProtocolError('SKEY_MALFORMED', 'invalid key name');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new ProtocolError('COSIGNATURE_MALFORMED', 'timestamp must be a non-negative integer');
  const keyId = noteKeyId(name, SIG_TYPE_COSIGNATURE, secretKey.subarray(32));
  return {
    name,
    keyId,
    sign(text) {
      const out = new Uint8Array(72);
      new DataView(out.buffer).setBigUint64(0, BigInt(timestamp));
      out.set(ed25519Sign(cosignatureMessage(timestamp, text), secretKey), 8);
      return out;
    },
  };
}

/** Formats a signer key `PRIVATE+KEY+<name>+<hex id>+<base64(type || seed)>`. */
export function formatSignerKey(name: string, type: NoteSigType, seed: Uint8Array): string {
  const kp = ed25519KeyPairFromSeed(seed);
  const body = new Uint8Array(33);
  body[0] = type;
  body.set(seed, 1);
  return `PRIVATE+KEY+${name}+${keyIdHex(noteKeyId(name, type, kp.publicKey))}+${toBase64(body)}`;
}

/** Parses a signer key string into a signer (type 0x01) or, with `timestamp`, a cosigner (0x04). */
export function parseSignerKey(skey: string, timestamp?: number): NoteSigner & { type: NoteSigType; publicKey: Uint8Array } {
  const parts = splitPlus(skey, 5);
  if (!parts || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new ProtocolError('SKEY_MALFORMED', 'skey must be PRIVATE+KEY+name+hexid+base64');
  const [, , name, hex, b64] = parts as [string, string, string, string, string];
  const key = fromBase64(b64, 'SKEY_MALFORMED');
  const type = key[0];
  if (key.length !== 33 || (type !== SIG_TYPE_ED25519 && type !== SIG_TYPE_COSIGNATURE)) throw new ProtocolError('SKEY_MALFORMED', 'unsupported skey type');
  const kp = ed25519KeyPairFromSeed(key.slice(1));
  if (!isValidKeyName(name) || keyIdHex(noteKeyId(name, type, kp.publicKey)) !== hex) throw new ProtocolError('SKEY_MALFORMED', 'skey id does not match');
  if (type === SIG_TYPE_COSIGNATURE) {
    if (timestamp === undefined) throw new ProtocolError('SKEY_MALFORMED', 'cosignature keys need a timestamp');
    return { ...cosignatureSigner(name, kp.secretKey, timestamp), type, publicKey: kp.publicKey };
  }
  return { ...ed25519NoteSigner(name, kp.secretKey), type, publicKey: kp.publicKey };
}
