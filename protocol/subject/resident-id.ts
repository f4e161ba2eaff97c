/**
 * Chinese resident identity numbers (GB 11643-1999 "Citizen identification number").
 *
 * Layout (18 characters): 6-digit administrative division code, 8-digit birth date YYYYMMDD,
 * 3-digit sequence code (odd = male, even = female), 1 check character computed with
 * ISO 7064 MOD 11-2 (GB 11643-1999 §5-6). The check character is `0`-`9` or `X`.
 * 15-digit identifiers (pre-1999 legacy format, 2-digit year, no check character) are rejected.
 */
import { ProtocolError } from '../errors';

/** GB 11643-1999 §6.2: weights W_i = 2^(i-1) mod 11 for positions 18..2 (left to right). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** GB 11643-1999 §6.2: check character for each value of (sum mod 11). */
const CHECK_CHARS = '10X98765432';

/**
 * Province-level codes (first two digits of the GB/T 2260 division code) that may start a valid
 * identifier: mainland provinces, Taiwan (71), Hong Kong (81), Macao (82) and 83 (residence permits
 * for Taiwan residents).
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

/** Earliest accepted birth year (identifiers claiming an earlier year are malformed). */
export const RESIDENT_ID_MIN_BIRTH_YEAR = 1800;

/** Computes the GB 11643-1999 §6.2 (ISO 7064 MOD 11-2) check character of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new ProtocolError('SUBJECT_RID_FORMAT', 'check character needs exactly 17 leading digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** The fields encoded in a resident identifier (GB 11643-1999 §4-5). */
export interface ResidentIdInfo {
  /** 6-digit administrative division code (GB/T 2260) of the registration address. */
  region: string;
  /** 2-digit province-level code (first two digits of `region`). */
  province: string;
  /** Birth date as ISO `YYYY-MM-DD`. */
  birthDate: string;
  /** Derived from the parity of the sequence code (odd = male). */
  sex: 'male' | 'female';
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/**
 * Validates an already canonical 18-character identifier (digits, upper-case `X` last) and returns
 * its fields. Throws {@link ProtocolError}: `SUBJECT_RID_LEGACY_15` (15 digits), `SUBJECT_RID_FORMAT`,
 * `SUBJECT_RID_REGION`, `SUBJECT_RID_BIRTHDATE`, `SUBJECT_RID_CHECKSUM`. Messages never echo the ID.
 * The birth date is only checked to be a real calendar date from 1800 on (the GB 11643-1999 example itself is 1880) (no clock is read here).
 */
export function parseResidentId(id: string): ResidentIdInfo {
  if (/^\d{15}$/.test(id)) {
    throw new ProtocolError(
      'SUBJECT_RID_LEGACY_15',
      '15-digit legacy resident IDs (pre-1999 format) are not accepted; use the 18-character ID',
    );
  }
  if (!/^\d{17}[\dX]$/.test(id)) {
    throw new ProtocolError('SUBJECT_RID_FORMAT', 'resident ID must be 17 digits followed by a digit or X');
  }
  const province = id.slice(0, 2);
  if (!PROVINCE_CODES.has(province)) {
    throw new ProtocolError('SUBJECT_RID_REGION', 'resident ID region code is not a valid division code');
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < RESIDENT_ID_MIN_BIRTH_YEAR || !isCalendarDate(y, m, d)) {
    throw new ProtocolError('SUBJECT_RID_BIRTHDATE', 'resident ID birth date is not a valid date');
  }
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) {
    throw new ProtocolError('SUBJECT_RID_CHECKSUM', 'resident ID check character does not match (GB 11643-1999 §6.2)');
  }
  return {
    region: id.slice(0, 6),
    province,
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
  };
}

/** True when `id` is a valid canonical 18-character resident identifier (no folding applied). */
export function isValidResidentId(id: string): boolean {
  try {
    parseResidentId(id);
    return true;
  } catch {
    return false;
  }
}
