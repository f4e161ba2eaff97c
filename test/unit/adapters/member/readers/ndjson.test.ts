import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readNdjson, readNdjsonChunks, type ReadItem } from '../../../../../adapters/member/readers';

async function all(it: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readNdjson', () => {
  it('reads objects with physical line numbers, BOM, CRLF, blank and bad lines', async () => {
    const text = '\uFEFF{"a":1}\r\n\n{bad\n[1]\n{"b":{"c":"中"}}';
    const want: ReadItem[] = [
      { line: 1, record: { a: 1 } },
      { line: 3, malformed: 'line is not valid JSON' },
      { line: 4, malformed: 'line is not a JSON object' },
      { line: 5, record: { b: { c: '中' } } },
    ];
    expect(await all(readNdjson([Buffer.from(text)]))).toEqual(want);
    const bytes = Buffer.from(text);
    const split = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(await all(readNdjson(split))).toEqual(want);
  });

  it('gives the items of each input chunk as one array (readNdjsonChunks), the same items as readNdjson', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => (i % 7 === 3 ? 'not json' : JSON.stringify({ id: i, note: 'n'.repeat(i % 13) }))).join('\n');
    const bytes = Buffer.from(text);
    const arrays: ReadItem[][] = [];
    for await (const items of readNdjsonChunks([bytes.subarray(0, 10_000), bytes.subarray(10_000, 30_000), bytes.subarray(30_000)])) arrays.push(items);
    expect(arrays).toHaveLength(4); // one per chunk, and the last line (no newline) at the end
    const flat = arrays.flat();
    expect(flat).toHaveLength(2000);
    expect(flat).toEqual(await all(readNdjson([bytes])));
    expect(flat[3]).toEqual({ line: 4, malformed: 'line is not valid JSON' });
    expect(flat[1999]).toEqual({ line: 2000, record: { id: 1999, note: 'n'.repeat(1999 % 13) } });
  });

  it('decodes GBK', async () => {
    expect(await all(readNdjson([iconv.encode('{"名":"张三"}\n', 'gbk')], { encoding: 'gbk' }))).toEqual([
      { line: 1, record: { 名: '张三' } },
    ]);
  });
});
