import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../../node/console/csv';

describe('console CSV (RFC 4180 with a formula-injection guard)', () => {
  it.each([
    ['plain text', 'alpha', 'alpha'],
    ['comma', 'a,b', '"a,b"'],
    ['quote', 'say "hi"', '"say ""hi"""'],
    ['line break', 'a\nb', '"a\nb"'],
    ['formula =', '=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['formula +', '+1+2', "'+1+2"],
    ['formula -', '-2+3', "'-2+3"],
    ['formula @', '@SUM(A1)', "'@SUM(A1)"],
    ['tab start', '\tx', "'\tx"],
    ['CR start', '\rx', '"\'\rx"'],
    ['full-width =', '＝1+1', "'＝1+1"],
    ['full-width +', '＋1', "'＋1"],
    ['full-width -', '－1', "'－1"],
    ['full-width @', '＠SUM(A1)', "'＠SUM(A1)"],
    ['spaces before a formula', '  =1+1', "'  =1+1"],
    ['a dash inside text is data', 'a-b', 'a-b'],
    ['negative number stays a number', -5, '-5'],
    ['decimal', 12.5, '12.5'],
    ['empty', null, ''],
  ])('%s', (_name, input, want) => {
    expect(csvCell(input)).toBe(want);
  });

  it('writes CRLF after every record, header first', () => {
    expect(toCsv(['a', 'b'], [[1, 'x'], [null, 'y,z']])).toBe('a,b\r\n1,x\r\n,"y,z"\r\n');
  });

  it('refuses non-finite numbers', () => {
    expect(() => csvCell(Number.NaN)).toThrow();
  });
});
