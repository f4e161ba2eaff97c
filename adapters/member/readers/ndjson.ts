/**
 * Streaming NDJSON reader (docs/mappings.md §2.2): one JSON object per line, LF or CRLF, UTF-8 with
 * or without BOM (or GBK/GB18030); blank lines are skipped but counted.
 */
import { decodeText } from './decode';
import { eachItem, MAX_RECORD_BYTES, type ReadItem, type ReaderEncoding, type ReaderInput } from './types';

/** Options of {@link readNdjson}. */
export interface NdjsonOptions {
  encoding?: ReaderEncoding;
}

function parseLine(text: string, line: number): ReadItem | undefined {
  const s = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (s.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch {
    return { line, malformed: 'line is not valid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { line, malformed: 'line is not a JSON object' };
  return { line, record: value as Record<string, unknown> };
}

/**
 * Reads NDJSON; yields the items of each decoded input chunk as one array (`{ line, record }` per
 * object line or `{ line, malformed }`), one asynchronous step per chunk rather than per line.
 */
export async function* readNdjsonChunks(input: ReaderInput, options: NdjsonOptions = {}): AsyncGenerator<ReadItem[]> {
  let pending = '';
  let oversize = false;
  let line = 1;
  let first = true;
  for await (let chunk of decodeText(input, options.encoding ?? 'utf-8')) {
    if (first && chunk.length > 0) {
      chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
    }
    const items: ReadItem[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const text = pending + chunk.slice(start, nl);
      pending = '';
      start = nl + 1;
      const item = oversize || text.length > MAX_RECORD_BYTES ? { line, malformed: 'line too long' } : parseLine(text, line);
      oversize = false;
      if (item) items.push(item);
      line++;
    }
    if (items.length) yield items;
    if (!oversize) pending += chunk.slice(start);
    if (pending.length > MAX_RECORD_BYTES) {
      oversize = true;
      pending = '';
    }
  }
  if (oversize) yield [{ line, malformed: 'line too long' }];
  else {
    const item = parseLine(pending, line);
    if (item) yield [item];
  }
}

/** {@link readNdjsonChunks} one item at a time. */
export const readNdjson = (input: ReaderInput, options: NdjsonOptions = {}): AsyncGenerator<ReadItem> => eachItem(readNdjsonChunks(input, options));
