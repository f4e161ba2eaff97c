/**
 * Reject reasons and reject records (docs/data-standard.md §5.5). Reason codes are stable: tools
 * and dashboards switch on them. Messages never contain raw personal data.
 */

/** Every reason a row can be rejected for. */
export const REJECT_REASONS = [
  'malformed_row', // the reader could not make a record of the line (bad JSON, wrong column count)
  'missing_required', // a required standard field is empty or absent
  'invalid_identifier', // resident ID / phone fails validation (GB 11643 check digit, E.164)
  'invalid_date', // a date does not match the mapping's format or is not a real date
  'invalid_amount', // an amount is not a number in the mapping's unit
  'invalid_value', // any other value of the wrong type (integer, boolean, currency, text length)
  'unknown_code', // a status/code value with no entry in the value map / code list
  'negative_amount', // plausibility: an amount below zero
  'future_date', // plausibility: an event instant later than the import clock
  'implausible', // plausibility: fields contradict each other (paid more than due, closed before opened)
  'duplicate_key', // the natural key already occurred earlier in this import
  'unknown_reference', // the record refers to a key that is neither in this import nor in storage
] as const;

/** A stable reject reason code. */
export type RejectReason = (typeof REJECT_REASONS)[number];

/** One rejected row (§5.5): where, which field, why. */
export interface Reject {
  /** Source file name (base name) when known. */
  file?: string;
  /** Physical line of the row in the file (1-based; for CSV the line the record starts on). */
  line: number;
  /** Standard field at fault, when one is. */
  field?: string;
  reason: RejectReason;
  /** Human explanation without personal data. */
  message: string;
}
