/**
 * C2SP tlog-checkpoint note text (c2sp.org/tlog-checkpoint "Note text"): origin line, decimal tree
 * size, base64 root hash, then optional non-empty extension lines, each ending in a newline.
 */
import { ProtocolError } from '../errors';
import { fromBase64, toBase64 } from '../crypto/base64';
import { HASH_SIZE } from '../merkle/hash';
import { assertNoteText, openNoteWith, signNote, type VerifiedSignature } from './note';
import { parseVerifierKey, type NoteSigner, type NoteVerifier } from './keys';

/** A parsed checkpoint body. */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions: string[];
}

/** Formats checkpoint note text (without signatures). */
export function formatCheckpoint(cp: { origin: string; size: number; rootHash: Uint8Array; extensions?: string[] }): string {
  if (typeof cp.origin !== 'string' || cp.origin.length === 0 || /[\n]/.test(cp.origin)) throw new ProtocolError('CHECKPOINT_MALFORMED', 'origin must be a non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new ProtocolError('CHECKPOINT_MALFORMED', 'size must be a non-negative integer');
  if (!(cp.rootHash instanceof Uint8Array) || cp.rootHash.length !== HASH_SIZE) throw new ProtocolError('CHECKPOINT_MALFORMED', 'root hash must be 32 bytes');
  const ext = cp.extensions ?? [];
  for (const e of ext) if (e.length === 0 || e.includes('\n')) throw new ProtocolError('CHECKPOINT_MALFORMED', 'extension lines must be non-empty single lines');
  const text = [cp.origin, String(cp.size), toBase64(cp.rootHash), ...ext].join('\n') + '\n';
  assertNoteText(text);
  return text;
}

/** Parses checkpoint note text (the note text, not the signed note); throws `CHECKPOINT_MALFORMED`. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw new ProtocolError('CHECKPOINT_MALFORMED', 'checkpoint text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new ProtocolError('CHECKPOINT_MALFORMED', 'checkpoint needs origin, size and root hash lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new ProtocolError('CHECKPOINT_MALFORMED', 'empty origin');
  if (!/^(?:0|[1-9]\d{0,15})$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine))) {
    throw new ProtocolError('CHECKPOINT_MALFORMED', 'size must be decimal without leading zeros');
  }
  const rootHash = fromBase64(rootLine, 'CHECKPOINT_MALFORMED');
  if (rootHash.length !== HASH_SIZE) throw new ProtocolError('CHECKPOINT_MALFORMED', 'root hash must be 32 bytes');
  if (extensions.some((e) => e.length === 0)) throw new ProtocolError('CHECKPOINT_MALFORMED', 'extension lines must be non-empty');
  return { origin, size: Number(sizeLine), rootHash, extensions };
}

/** Signs a checkpoint with the log key (and any further signers); returns the signed note. */
export function signCheckpoint(cp: { origin: string; size: number; rootHash: Uint8Array; extensions?: string[] }, signers: NoteSigner[]): string {
  return signNote(formatCheckpoint(cp), signers);
}

/** An opened (verified) checkpoint. */
export interface OpenedCheckpoint extends Checkpoint {
  /** The exact note text that was verified. */
  text: string;
  signatures: VerifiedSignature[];
}

/**
 * Verifies a signed checkpoint: the note must carry a valid signature by one of `logKeys` whose key
 * name equals the origin (tlog-checkpoint "Signatures"), plus any number of other signatures
 * (cosignatures from `otherKeys` are verified, unknown ones ignored). Optionally pins the origin.
 */
export function openCheckpoint(
  note: string,
  opts: { logKeys: (string | NoteVerifier)[]; otherKeys?: (string | NoteVerifier)[]; origin?: string },
): OpenedCheckpoint {
  const toV = (k: string | NoteVerifier) => (typeof k === 'string' ? parseVerifierKey(k) : k);
  const logKeys = opts.logKeys.map(toV);
  const opened = openNoteWith(note, [...logKeys, ...(opts.otherKeys ?? []).map(toV)]);
  const cp = parseCheckpoint(opened.text);
  if (opts.origin !== undefined && cp.origin !== opts.origin) throw new ProtocolError('CHECKPOINT_MALFORMED', 'unexpected checkpoint origin');
  const byLog = opened.signatures.some((s) => s.name === cp.origin && logKeys.some((k) => k.name === s.name && k.keyId === s.keyId));
  if (!byLog) throw new ProtocolError('NOTE_NO_VERIFIED_SIGNATURE', 'checkpoint lacks a verified signature by the log key for its origin');
  return { ...cp, text: opened.text, signatures: opened.signatures };
}
