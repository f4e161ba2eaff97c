/** Streaming readers for member exports (docs/mappings.md §2). */
import { createReadStream } from 'node:fs';
import type { Source } from '../mapping/schema';
import { readCsvChunks } from './csv';
import { readNdjsonChunks } from './ndjson';
import { eachItem, type ReadItem, type ReaderInput } from './types';

export * from './types';
export { readCsv, readCsvChunks, type CsvOptions } from './csv';
export { readNdjson, readNdjsonChunks, type NdjsonOptions } from './ndjson';

/** Reads `input` as described by a mapping file section's `source`, the items of each input chunk as one array. */
export function readSourceChunks(input: ReaderInput, source: Source): AsyncGenerator<ReadItem[]> {
  return source.type === 'csv'
    ? readCsvChunks(input, { delimiter: source.delimiter, quote: source.quote, encoding: source.encoding })
    : readNdjsonChunks(input, { encoding: source.encoding });
}

/** {@link readSourceChunks} one item at a time. */
export const readSource = (input: ReaderInput, source: Source): AsyncGenerator<ReadItem> => eachItem(readSourceChunks(input, source));

/** Streams the file at `path` (64 KiB chunks) through {@link readSourceChunks}. */
export function readFileSourceChunks(path: string, source: Source): AsyncGenerator<ReadItem[]> {
  return readSourceChunks(createReadStream(path, { highWaterMark: 64 * 1024 }), source);
}

/** {@link readFileSourceChunks} one item at a time. */
export const readFileSource = (path: string, source: Source): AsyncGenerator<ReadItem> => eachItem(readFileSourceChunks(path, source));
