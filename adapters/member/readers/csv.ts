/**
 * Streaming CSV reader on csv-parse (docs/mappings.md §2.1): any delimiter and quote, quoted fields
 * with embedded delimiters and newlines, UTF-8 with or without BOM, GBK/GB18030. Memory is bounded
 * by the chunk and record size, whatever the file size.
 *
 * Line numbers are physical lines (LF or CRLF terminated) of the file: the line each record starts
 * on. Empty lines are not skipped by the parser but come out as one empty field, so every physical
 * line belongs to exactly one record and a record spans 1 + (newlines inside its quoted fields)
 * lines. (csv-parse's own `info.lines` miscounts CRLF inside quoted fields, and `info: true` costs
 * a copy of the info object per record.)
 */
import { parse, CsvError } from 'csv-parse';
import { utf8Bytes } from './decode';
import { eachItem, MAX_RECORD_BYTES, ReaderError, type ReadItem, type ReaderEncoding, type ReaderInput } from './types';

/** Options of {@link readCsv}. */
export interface CsvOptions {
  delimiter?: string;
  quote?: string;
  encoding?: ReaderEncoding;
}

function newlinesIn(fields: string[]): number {
  let n = 0;
  for (const f of fields) for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Reads CSV with a header row; yields the items of each input chunk as one array (`{ line, record }`
 * keyed by header, or `{ line, malformed }` for rows whose column count differs from the header), so
 * a consumer takes one asynchronous step per chunk rather than per row. Throws {@link ReaderError}
 * (`CSV_SYNTAX`, `CSV_HEADER`) when the file cannot be parsed further, after the rows before the
 * fault.
 */
export async function* readCsvChunks(input: ReaderInput, options: CsvOptions = {}): AsyncGenerator<ReadItem[]> {
  // The parser flows: records reach the 'data' listener as they are made (no per-row asynchronous
  // hand-off; `on_record` would build an info object per row) and are taken after each write.
  let records: string[][] = [];
  const parser = parse({
    delimiter: options.delimiter ?? ',',
    quote: options.quote ?? '"',
    bom: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  let failure: unknown;
  parser.on('data', (fields: string[]) => { records.push(fields); });
  parser.on('error', (err) => { failure ??= err; });
  const finished = new Promise<void>((resolve) => { parser.once('end', resolve).once('error', () => resolve()); });
  let header: string[] | undefined;
  let next = 1; // physical line the next record starts on
  /** The items of the records parsed so far. */
  function take(): ReadItem[] {
    const items: ReadItem[] = [];
    for (const fields of records) {
      const line = next;
      next += 1 + newlinesIn(fields);
      if (fields.length === 1 && fields[0] === '') continue; // an empty line
      if (!header) {
        header = fields.map((h) => h.trim());
        if (new Set(header).size !== header.length) throw new ReaderError('CSV_HEADER', line, 'duplicate column names in header');
        continue;
      }
      if (fields.length !== header.length) {
        items.push({ line, malformed: `expected ${header.length} columns, found ${fields.length}` });
        continue;
      }
      const record: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) record[header[i]!] = fields[i]!;
      items.push({ line, record });
    }
    records = [];
    return items;
  }
  try {
    for await (const chunk of utf8Bytes(input, options.encoding ?? 'utf-8')) {
      await new Promise<void>((resolve) => parser.write(chunk, (err) => {
        if (err) failure ??= err;
        resolve();
      }));
      const items = take();
      if (items.length) yield items;
      if (failure) throw failure;
    }
    parser.end();
    await finished;
    const items = take();
    if (items.length) yield items;
    if (failure) throw failure;
  } catch (err) {
    if (err instanceof CsvError) {
      const lines = (err as unknown as { lines?: number }).lines ?? next;
      throw new ReaderError('CSV_SYNTAX', lines, err.message);
    }
    throw err;
  } finally {
    parser.destroy();
  }
}

/** {@link readCsvChunks} one item at a time. */
export const readCsv = (input: ReaderInput, options: CsvOptions = {}): AsyncGenerator<ReadItem> => eachItem(readCsvChunks(input, options));
