/**
 * Mobile numbers as subject identifiers, normalized to E.164 (ITU-T E.164: `+`, country code,
 * subscriber number, at most 15 digits in all).
 *
 * Chinese mainland mobile numbers (+86) must be 11 digits `1[3-9]XXXXXXXXX`; numbers of other
 * countries are accepted when they are well-formed E.164 (8 to 15 digits, first digit 1-9).
 */
import { ProtocolError } from '../errors';

/** Chinese mainland mobile subscriber number (without country code). */
const CN_MOBILE = /^1[3-9]\d{9}$/;

/**
 * Converts a separator-free digit string with an optional leading `+` or `00` international prefix
 * into E.164 `+<digits>`. Bare 11-digit CN mobile numbers and `86`-prefixed 13-digit ones get `+86`.
 * Throws `SUBJECT_TEL_FORMAT` when the number cannot be a valid mobile number.
 */
export function toE164(compact: string): string {
  let digits: string;
  if (compact.startsWith('+')) digits = compact.slice(1);
  else if (compact.startsWith('00')) digits = compact.slice(2);
  else if (CN_MOBILE.test(compact)) digits = `86${compact}`;
  else if (/^86\d{11}$/.test(compact)) digits = compact;
  else throw new ProtocolError('SUBJECT_TEL_FORMAT', 'phone number needs a country code (+CC) or must be a CN mobile number');
  if (!/^[1-9]\d{7,14}$/.test(digits)) {
    throw new ProtocolError('SUBJECT_TEL_FORMAT', 'phone number is not valid E.164 (8-15 digits, no leading zero)');
  }
  if (digits.startsWith('86') && !CN_MOBILE.test(digits.slice(2))) {
    throw new ProtocolError('SUBJECT_TEL_FORMAT', '+86 number is not a mainland mobile number (1[3-9] + 9 digits)');
  }
  return `+${digits}`;
}

/** True when `e164` is already a canonical E.164 mobile number as produced by {@link toE164}. */
export function isValidE164Mobile(e164: string): boolean {
  if (!e164.startsWith('+')) return false;
  try {
    return toE164(e164) === e164;
  } catch {
    return false;
  }
}
