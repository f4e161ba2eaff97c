/**
 * What every reader yields (docs/mappings.md §2): one item per record with the physical line the
 * record starts on, or a malformed-row item (which the pipeline turns into a reject).
 */

/** A native record, or a row the reader could not turn into one. */
export type ReadItem =
  | { line: number; record: Record<string, unknown> }
  | { line: number; malformed: string };

/** Input accepted by readers: a byte stream or any (async) iterable of byte/string chunks. */
export type ReaderInput = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Text encodings a reader can decode. */
export type ReaderEncoding = 'utf-8' | 'gbk' | 'gb18030';

/** A fatal reader failure (the rest of the file cannot be read); carries a stable code and line. */
export class ReaderError extends Error {
  constructor(
    readonly code: 'CSV_SYNTAX' | 'CSV_HEADER' | 'READ_FAILED',
    readonly line: number,
    message: string,
  ) {
    super(`${code} at line ${line}: ${message}`);
    this.name = 'ReaderError';
  }
}

/** Longest record (CSV) or line (NDJSON) accepted, in bytes; bounds memory on hostile input. */
export const MAX_RECORD_BYTES = 1_000_000;

/** The items of a chunked reader one at a time. */
export async function* eachItem(chunks: AsyncIterable<readonly ReadItem[]>): AsyncGenerator<ReadItem> {
  for await (const items of chunks) yield* items;
}
