/**
 * Subject identifier normalization (docs/protocol.md §2.1, architecture §2).
 *
 * Canonical forms: `cn-rid:<18-char resident ID>` or `tel:+<E.164 digits>`. Input may be a raw
 * resident ID, a raw CN mobile number (`13800138000`, `+86 138-0013-8000`, `0086...`), any E.164
 * number, or an already-prefixed form. Full-width characters are folded (Unicode NFKC), whitespace is
 * removed, a trailing lower-case `x` of a resident ID is upper-cased.
 */
import { ProtocolError } from '../errors';
import { parseResidentId } from './resident-id';
import { toE164 } from './phone';

/** Prefix of normalized resident identifiers. */
export const RID_PREFIX = 'cn-rid:';
/** Prefix of normalized phone identifiers. */
export const TEL_PREFIX = 'tel:';
/** Longest raw input accepted (before folding), to bound work on hostile input. */
export const MAX_RAW_SUBJECT_LENGTH = 64;

/** Kind of a normalized subject identifier. */
export type SubjectKind = 'cn-rid' | 'tel';

function fold(raw: string): string {
  // NFKC folds full-width digits/letters/'＋'/'－' and ideographic spaces to ASCII.
  return raw.normalize('NFKC').replace(/\s+/gu, '');
}

function normalizeRid(body: string): string {
  const id = body.toUpperCase();
  parseResidentId(id);
  return RID_PREFIX + id;
}

function normalizeTel(body: string): string {
  const compact = body.replace(/[-.()]/g, '');
  if (!/^\+?\d+$/.test(compact)) {
    throw new ProtocolError('SUBJECT_TEL_FORMAT', 'phone number may only contain digits, one leading +, spaces, - . ( )');
  }
  return TEL_PREFIX + toE164(compact);
}

/**
 * Normalizes a subject identifier to its canonical string (docs/protocol.md §2.1).
 * Throws {@link ProtocolError} (`SUBJECT_*` codes) for anything invalid; the message never echoes
 * the input. Idempotent: `normalizeSubjectId(normalizeSubjectId(x)) === normalizeSubjectId(x)`.
 */
export function normalizeSubjectId(raw: string): string {
  if (typeof raw !== 'string') throw new ProtocolError('SUBJECT_UNRECOGNIZED', 'subject identifier must be a string');
  if (raw.length > MAX_RAW_SUBJECT_LENGTH) {
    throw new ProtocolError('SUBJECT_TOO_LONG', `subject identifier longer than ${MAX_RAW_SUBJECT_LENGTH} characters`);
  }
  const s = fold(raw);
  if (s.length === 0) throw new ProtocolError('SUBJECT_EMPTY', 'subject identifier is empty');
  const lower = s.toLowerCase();
  if (lower.startsWith(RID_PREFIX)) return normalizeRid(s.slice(RID_PREFIX.length));
  if (lower.startsWith(TEL_PREFIX)) return normalizeTel(s.slice(TEL_PREFIX.length));
  // Resident IDs never start with 0 (division codes start 1-8), so `00`-prefixed numbers are phones.
  if (/^[1-9]\d{16}[0-9A-Za-z]$/.test(s) || /^[1-9]\d{14}$/.test(s)) return normalizeRid(s);
  if (/^[+\d][\d\-.()]*$/.test(s)) return normalizeTel(s);
  throw new ProtocolError('SUBJECT_UNRECOGNIZED', 'not a resident ID or phone number');
}

/** Returns the kind of an already normalized identifier, or throws `SUBJECT_UNRECOGNIZED`. */
export function subjectKind(normalized: string): SubjectKind {
  if (normalized.startsWith(RID_PREFIX)) return 'cn-rid';
  if (normalized.startsWith(TEL_PREFIX)) return 'tel';
  throw new ProtocolError('SUBJECT_UNRECOGNIZED', 'not a normalized subject identifier');
}

/** True when `s` is exactly the canonical form produced by {@link normalizeSubjectId}. */
export function isNormalizedSubjectId(s: string): boolean {
  try {
    return normalizeSubjectId(s) === s && (s.startsWith(RID_PREFIX) || s.startsWith(TEL_PREFIX));
  } catch {
    return false;
  }
}
