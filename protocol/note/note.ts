/**
 * C2SP signed notes (c2sp.org/signed-note "Format", "Signatures"): signing, parsing and opening.
 * A note is `text || "\n" || signature lines`, each line `"— " name " " base64(keyid || sig) "\n"`.
 */
import { ProtocolError } from '../errors';
import { fromBase64, toBase64 } from '../crypto/base64';
import { isValidKeyName, parseVerifierKey, readTimestamp, SIG_TYPE_COSIGNATURE, type NoteSigner, type NoteVerifier } from './keys';

/** Prefix of a signature line: em dash (U+2014) and space. */
export const SIG_LINE_PREFIX = '\u2014 ';
/** Most signature lines accepted in one note (the spec requires at least 16). */
export const MAX_NOTE_SIGNATURES = 100;
/** Largest note accepted, in UTF-16 code units (~ bytes for ASCII notes). */
export const MAX_NOTE_LENGTH = 1 << 20;

/** One signature line of a note, decoded. */
export interface NoteSignature {
  name: string;
  keyId: number;
  /** Signature bytes after the 4-byte key id. */
  sig: Uint8Array;
}

/** A parsed, unverified note. */
export interface ParsedNote {
  /** Note text including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** Checks note text: ends in newline, no control characters but newline, no lone surrogates. */
export function assertNoteText(text: string): void {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new ProtocolError('NOTE_MALFORMED', 'note text must end with a newline');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text) || /\p{Cs}/u.test(text)) {
    throw new ProtocolError('NOTE_MALFORMED', 'note text contains control characters or invalid UTF-16');
  }
  if (text.length > MAX_NOTE_LENGTH) throw new ProtocolError('NOTE_MALFORMED', 'note too large');
}

/** Formats one signature line for `keyId` and signature bytes `sig`. */
export function formatSignatureLine(name: string, keyId: number, sig: Uint8Array): string {
  const body = new Uint8Array(4 + sig.length);
  new DataView(body.buffer).setUint32(0, keyId);
  body.set(sig, 4);
  return `${SIG_LINE_PREFIX}${name} ${toBase64(body)}\n`;
}

/** Signs `text` with every signer and returns the signed note (c2sp.org/signed-note "Format"). */
export function signNote(text: string, signers: NoteSigner[]): string {
  assertNoteText(text);
  if (signers.length === 0) throw new ProtocolError('NOTE_MALFORMED', 'a signed note needs at least one signature');
  const bytes = new TextEncoder().encode(text);
  return `${text}\n${signers.map((s) => formatSignatureLine(s.name, s.keyId, s.sign(bytes))).join('')}`;
}

/** Adds signatures (e.g. cosignatures) to an existing signed note, keeping the existing lines. */
export function addNoteSignatures(note: string, signers: NoteSigner[]): string {
  const { text } = parseNote(note);
  const bytes = new TextEncoder().encode(text);
  return note + signers.map((s) => formatSignatureLine(s.name, s.keyId, s.sign(bytes))).join('');
}

/** Splits a signed note into text and decoded signature lines without verifying anything. */
export function parseNote(note: string): ParsedNote {
  if (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH) throw new ProtocolError('NOTE_MALFORMED', 'note too large or not a string');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note) || /\p{Cs}/u.test(note)) throw new ProtocolError('NOTE_MALFORMED', 'note contains control characters');
  if (!note.endsWith('\n')) throw new ProtocolError('NOTE_MALFORMED', 'note must end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new ProtocolError('NOTE_MALFORMED', 'note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw new ProtocolError('NOTE_TOO_MANY_SIGNATURES', `more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    if (!line.startsWith(SIG_LINE_PREFIX)) throw new ProtocolError('NOTE_MALFORMED', 'signature line must start with an em dash');
    const rest = line.slice(SIG_LINE_PREFIX.length);
    const sp = rest.indexOf(' ');
    const name = sp < 0 ? '' : rest.slice(0, sp);
    const b64 = sp < 0 ? '' : rest.slice(sp + 1);
    if (!isValidKeyName(name) || b64 === '') throw new ProtocolError('NOTE_MALFORMED', 'malformed signature line');
    const raw = fromBase64(b64, 'NOTE_MALFORMED');
    if (raw.length < 5) throw new ProtocolError('NOTE_MALFORMED', 'signature too short');
    return { name, keyId: new DataView(raw.buffer, raw.byteOffset).getUint32(0), sig: raw.subarray(4) };
  });
  return { text, signatures };
}

/** A verified signature of an opened note. */
export interface VerifiedSignature {
  name: string;
  keyId: number;
  /** POSIX seconds of a type 0x04 cosignature. */
  timestamp?: number;
}

/**
 * Opens a note with parsed verifiers (c2sp.org/signed-note "Signatures"): signatures from unknown
 * keys (name and id not both matching a verifier) are ignored; a known key whose signature fails
 * rejects the note (`NOTE_BAD_SIGNATURE`); no verified signature rejects it (`NOTE_NO_VERIFIED_SIGNATURE`).
 * Repeated signatures by the same key are reported once.
 */
export function openNoteWith(note: string, verifiers: NoteVerifier[]): { text: string; signatures: VerifiedSignature[] } {
  const { text, signatures } = parseNote(note);
  assertNoteText(text);
  const bytes = new TextEncoder().encode(text);
  const byKey = new Map(verifiers.map((v) => [`${v.name}\n${v.keyId}`, v]));
  const seen = new Set<string>();
  const verified: VerifiedSignature[] = [];
  for (const s of signatures) {
    const id = `${s.name}\n${s.keyId}`;
    const v = byKey.get(id);
    if (!v || seen.has(id)) continue;
    seen.add(id);
    if (!v.verify(bytes, s.sig)) throw new ProtocolError('NOTE_BAD_SIGNATURE', `signature by known key ${s.name} does not verify`);
    verified.push(v.type === SIG_TYPE_COSIGNATURE ? { name: s.name, keyId: s.keyId, timestamp: readTimestamp(s.sig)! } : { name: s.name, keyId: s.keyId });
  }
  if (verified.length === 0) throw new ProtocolError('NOTE_NO_VERIFIED_SIGNATURE', 'no signature from a known key');
  return { text, signatures: verified };
}

/**
 * Opens a signed note with verifier key strings (see {@link openNoteWith} for the rules).
 * Throws `VKEY_MALFORMED` for a bad key string, `NOTE_*` codes for the note.
 */
export function openNote(note: string, verifierKeys: string[]): { text: string; signatures: { name: string; keyId: number; timestamp?: number }[] } {
  return openNoteWith(note, verifierKeys.map(parseVerifierKey));
}
