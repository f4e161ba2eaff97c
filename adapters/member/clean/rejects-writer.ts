/**
 * Rejects files (docs/data-standard.md §5.5): one line per rejected row with file, line, field,
 * reason and message, as CSV (with header) or NDJSON. Messages carry no raw personal data.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Reject } from './reasons';

/** Output format of a rejects file. */
export type RejectsFormat = 'csv' | 'ndjson';

/** Writes rejects to a stream, honouring back-pressure. */
export interface RejectsWriter {
  write(reject: Reject): Promise<void>;
  /** Number of rejects written. */
  readonly count: number;
  /** Ends the stream and waits until it is flushed. */
  close(): Promise<void>;
}

const CSV_COLUMNS = ['file', 'line', 'field', 'reason', 'message'] as const;

function csvCell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Formats one reject as a line (with trailing newline) in `format`. */
export function formatReject(reject: Reject, format: RejectsFormat): string {
  if (format === 'ndjson') {
    return `${JSON.stringify({ file: reject.file, line: reject.line, field: reject.field, reason: reject.reason, message: reject.message })}\n`;
  }
  return `${CSV_COLUMNS.map((c) => csvCell(reject[c])).join(',')}\n`;
}

/** Creates a rejects writer on `out`; CSV output starts with a header line. */
export function createRejectsWriter(out: Writable, format: RejectsFormat): RejectsWriter {
  let count = 0;
  let started = false;
  const put = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  return {
    get count() {
      return count;
    },
    async write(reject) {
      if (!started && format === 'csv') await put(`${CSV_COLUMNS.join(',')}\n`);
      started = true;
      count++;
      await put(formatReject(reject, format));
    },
    async close() {
      if (!started && format === 'csv') await put(`${CSV_COLUMNS.join(',')}\n`);
      started = true;
      out.end();
      await once(out, 'finish');
    },
  };
}
