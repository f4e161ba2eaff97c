/**
 * Streaming CSV reader on csv-parse (docs/mappings.md §2.1): any delimiter and quote, quoted fields
 * with embedded delimiters and newlines, UTF-8 with or without BOM, GBK/GB18030. Memory is bounded
 * by the chunk and record size, whatever the file size.
 *
 * Line numbers are physical lines (LF or CRLF terminated) of the file: the line each record starts
 * on. csv-parse's own line counter miscounts CRLF inside quoted fields, so this reader indexes
 * newline byte offsets itself and locates each record from csv-parse's `bytes_records`.
 */
import { Readable, Transform, pipeline } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { utf8Bytes } from './decode';
import { MAX_RECORD_BYTES, ReaderError, type ReadItem, type ReaderEncoding, type ReaderInput } from './types';

/** Options of {@link readCsv}. */
export interface CsvOptions {
  delimiter?: string;
  quote?: string;
  encoding?: ReaderEncoding;
}

/** FIFO of absolute byte offsets of `\n` bytes not yet passed by a record. */
class NewlineIndex {
  private q: number[] = [];
  private head = 0;
  private offset = 0;
  /** Newlines before the last consumed position. */
  passed = 0;
  lastPassed = -1;

  add(buf: Buffer): void {
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) this.q.push(this.offset + i);
    this.offset += buf.length;
  }

  /** Consumes newlines before byte offset `end`. */
  advanceTo(end: number): void {
    while (this.head < this.q.length && this.q[this.head]! < end) {
      this.lastPassed = this.q[this.head++]!;
      this.passed++;
    }
    if (this.head > 65_536) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
  }
}

function newlinesIn(fields: string[]): number {
  let n = 0;
  for (const f of fields) for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Reads CSV with a header row; yields `{ line, record }` keyed by header, or `{ line, malformed }`
 * for rows whose column count differs from the header. Throws {@link ReaderError} (`CSV_SYNTAX`,
 * `CSV_HEADER`) when the file cannot be parsed further.
 */
export async function* readCsv(input: ReaderInput, options: CsvOptions = {}): AsyncGenerator<ReadItem> {
  const index = new NewlineIndex();
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      index.add(chunk);
      cb(null, chunk);
    },
  });
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    quote: options.quote ?? '"',
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  pipeline(Readable.from(utf8Bytes(input, options.encoding ?? 'utf-8')), tap, parser, () => {});
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { bytes_records: number } }>) {
      const end = item.info.bytes_records;
      index.advanceTo(end);
      const endLine = 1 + index.passed - (index.lastPassed === end - 1 ? 1 : 0);
      const line = endLine - newlinesIn(item.record);
      if (!header) {
        header = item.record.map((h) => h.trim());
        if (new Set(header).size !== header.length) throw new ReaderError('CSV_HEADER', line, 'duplicate column names in header');
        continue;
      }
      if (item.record.length !== header.length) {
        yield { line, malformed: `expected ${header.length} columns, found ${item.record.length}` };
        continue;
      }
      const record: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) record[header[i]!] = item.record[i]!;
      yield { line, record };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const lines = (err as unknown as { lines?: number }).lines ?? 0;
      throw new ReaderError('CSV_SYNTAX', lines, err.message);
    }
    throw err;
  } finally {
    parser.destroy();
  }
}
