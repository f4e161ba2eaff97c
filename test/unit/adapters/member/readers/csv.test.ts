import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readCsv, readCsvChunks, ReaderError, type ReadItem } from '../../../../../adapters/member/readers';

async function all(it: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Splits text into chunks of `n` bytes so records and characters straddle chunk boundaries. */
function chunks(buf: Buffer, n: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += n) out.push(buf.subarray(i, i + n));
  return out;
}

describe('readCsv', () => {
  const cases: [string, { text: string; delimiter?: string; want: ReadItem[] }][] = [
    ['LF, comma', { text: 'a,b\n1,2\n3,4\n', want: [{ line: 2, record: { a: '1', b: '2' } }, { line: 3, record: { a: '3', b: '4' } }] }],
    ['BOM and CRLF', { text: '\uFEFFa,b\r\n1,2\r\n3,4', want: [{ line: 2, record: { a: '1', b: '2' } }, { line: 3, record: { a: '3', b: '4' } }] }],
    ['semicolon, quoted delimiter', { text: 'a;b\n"x;y";2\n', delimiter: ';', want: [{ line: 2, record: { a: 'x;y', b: '2' } }] }],
    ['tab', { text: 'a\tb\n1\t2\n', delimiter: '\t', want: [{ line: 2, record: { a: '1', b: '2' } }] }],
    [
      'quoted LF newlines and blank lines keep physical line numbers',
      {
        text: 'a,b\n1,"x\ny"\n\n2,z\n3,"p\nq\nr"\n4,w\n',
        want: [
          { line: 2, record: { a: '1', b: 'x\ny' } },
          { line: 5, record: { a: '2', b: 'z' } },
          { line: 6, record: { a: '3', b: 'p\nq\nr' } },
          { line: 9, record: { a: '4', b: 'w' } },
        ],
      },
    ],
    [
      'quoted CRLF newlines',
      {
        text: 'a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n4,"a\r\nb"',
        want: [
          { line: 2, record: { a: '1', b: 'x\r\ny' } },
          { line: 5, record: { a: '2', b: 'z' } },
          { line: 6, record: { a: '4', b: 'a\r\nb' } },
        ],
      },
    ],
    ['escaped quotes', { text: 'a,b\n"say ""hi""",2\n', want: [{ line: 2, record: { a: 'say "hi"', b: '2' } }] }],
    ['wrong column count is malformed', { text: 'a,b\n1\n2,3\n', want: [{ line: 2, malformed: 'expected 2 columns, found 1' }, { line: 3, record: { a: '2', b: '3' } }] }],
  ];
  it.each(cases)('%s', async (_name, { text, delimiter, want }) => {
    expect(await all(readCsv([Buffer.from(text)], { delimiter }))).toEqual(want);
    // same result whatever the chunking
    expect(await all(readCsv(chunks(Buffer.from(text), 3), { delimiter }))).toEqual(want);
  });

  it('decodes GBK, including multi-byte characters split across chunks', async () => {
    const bytes = iconv.encode('姓名,金额\n张三,"1\n2"\n李四,3\n', 'gbk');
    const want = [{ line: 2, record: { 姓名: '张三', 金额: '1\n2' } }, { line: 4, record: { 姓名: '李四', 金额: '3' } }];
    expect(await all(readCsv(chunks(bytes, 1), { encoding: 'gbk' }))).toEqual(want);
  });

  it('decodes UTF-8 Chinese headers split across chunks', async () => {
    const items = await all(readCsv(chunks(Buffer.from('\uFEFF订单号,金额\nA1,12.50\n'), 2)));
    expect(items).toEqual([{ line: 2, record: { 订单号: 'A1', 金额: '12.50' } }]);
  });

  it('throws a ReaderError with code for an unclosed quote', async () => {
    const err = await all(readCsv([Buffer.from('a,b\n1,"open\n')])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderError);
    expect((err as ReaderError).code).toBe('CSV_SYNTAX');
  });

  /** Reads `text` in chunks of `size` bytes until the reader throws: the rows it gave, and the error. */
  async function untilFault(text: string, size: number): Promise<{ got: ReadItem[]; err: ReaderError }> {
    const got: ReadItem[] = [];
    const err = await (async () => {
      for await (const item of readCsv(chunks(Buffer.from(text), size))) got.push(item);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReaderError);
    return { got, err: err as ReaderError };
  }

  it('yields the rows before a syntax fault in the middle of a file, then throws at its line', async () => {
    const text = `a,b\n${Array.from({ length: 500 }, (_, i) => `${i},x${i}\n`).join('')}1,"bad"x\n2,y\n`;
    for (const size of [7, 4096]) {
      const { got, err } = await untilFault(text, size);
      expect(got).toHaveLength(500);
      expect(got.at(-1)).toEqual({ line: 501, record: { a: '499', b: 'x499' } });
      expect([err.code, err.line]).toEqual(['CSV_SYNTAX', 502]);
    }
  });

  it('yields the rows before a fault found at the end of input (an unclosed quote), then throws at its line', async () => {
    const { got, err } = await untilFault(`a,b\n${Array.from({ length: 300 }, (_, i) => `${i},x\n`).join('')}1,"open`, 1000);
    expect(got).toHaveLength(300);
    expect(got.at(-1)).toEqual({ line: 301, record: { a: '299', b: 'x' } });
    expect([err.code, err.line]).toEqual(['CSV_SYNTAX', 302]);
  });

  it('closes its input when the consumer stops early', async () => {
    let closed = false;
    const input = (async function* () {
      try {
        yield Buffer.from('a,b\n1,2\n');
        yield Buffer.from('3,4\n');
        yield Buffer.from('5,6\n');
      } finally {
        closed = true;
      }
    })();
    for await (const items of readCsvChunks(input)) {
      expect(items).toEqual([{ line: 2, record: { a: '1', b: '2' } }]);
      break;
    }
    expect(closed).toBe(true);
  });

  it('gives the items of each input chunk as one array (readCsvChunks), the same items as readCsv', async () => {
    const text = `id,v\n${Array.from({ length: 3000 }, (_, i) => `${i},"q ${i}"\n`).join('')}`;
    const arrays: ReadItem[][] = [];
    for await (const items of readCsvChunks(chunks(Buffer.from(text), 16 * 1024))) arrays.push(items);
    expect(arrays.length).toBeGreaterThan(1);
    expect(arrays.length).toBeLessThan(10);
    expect(arrays.flat()).toEqual(await all(readCsv([Buffer.from(text)])));
    expect(arrays.flat()).toHaveLength(3000);
  });

  it('rejects duplicate header names', async () => {
    const err = await all(readCsv([Buffer.from('a,a\n1,2\n')])).catch((e: unknown) => e);
    expect((err as ReaderError).code).toBe('CSV_HEADER');
  });

  it('yields nothing for an empty file', async () => {
    expect(await all(readCsv([Buffer.alloc(0)]))).toEqual([]);
  });
});
