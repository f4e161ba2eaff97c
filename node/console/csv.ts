/**
 * CSV export of console reports: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote, CR or
 * LF, quotes doubled) with the OWASP CSV-injection guard: a text cell starting with `=`, `+`, `-`, `@`, tab or
 * CR is prefixed with a single quote so spreadsheet programs do not evaluate it as a formula; so is one starting
 * with the full-width forms `＝ ＋ － ＠` (U+FF1D, U+FF0B, U+FF0D, U+FF20), which spreadsheets in Chinese and
 * Japanese locales also take as formula starts, and one whose formula start follows leading spaces. Numbers are
 * written as numbers (a negative number is data, not a formula).
 */

/** One cell: text, a finite number, or empty. */
export type CsvCell = string | number | null;

const FORMULA_START = /^[ ]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Encodes one cell. */
export function csvCell(v: CsvCell): string {
  if (v === null) return '';
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('CSV cells must be finite numbers');
    s = String(v);
  } else {
    s = FORMULA_START.test(v) ? `'${v}` : v;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Encodes a header row and data rows as an RFC 4180 document (CRLF after every record). */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
}
