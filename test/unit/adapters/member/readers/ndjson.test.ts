import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readNdjson, type ReadItem } from '../../../../../adapters/member/readers';

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

  it('decodes GBK', async () => {
    expect(await all(readNdjson([iconv.encode('{"名":"张三"}\n', 'gbk')], { encoding: 'gbk' }))).toEqual([
      { line: 1, record: { 名: '张三' } },
    ]);
  });
});
