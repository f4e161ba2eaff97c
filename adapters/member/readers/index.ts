/** Streaming readers for member exports (docs/mappings.md §2). */
import { createReadStream } from 'node:fs';
import type { Source } from '../mapping/schema';
import { readCsv } from './csv';
import { readNdjson } from './ndjson';
import type { ReadItem, ReaderInput } from './types';

export * from './types';
export { readCsv, type CsvOptions } from './csv';
export { readNdjson, type NdjsonOptions } from './ndjson';

/** Reads `input` as described by a mapping file section's `source`. */
export function readSource(input: ReaderInput, source: Source): AsyncGenerator<ReadItem> {
  return source.type === 'csv'
    ? readCsv(input, { delimiter: source.delimiter, quote: source.quote, encoding: source.encoding })
    : readNdjson(input, { encoding: source.encoding });
}

/** Streams the file at `path` (64 KiB chunks) through {@link readSource}. */
export function readFileSource(path: string, source: Source): AsyncGenerator<ReadItem> {
  return readSource(createReadStream(path, { highWaterMark: 64 * 1024 }), source);
}
