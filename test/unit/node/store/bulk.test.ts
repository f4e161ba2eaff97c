import { describe, expect, it } from 'vitest';
import { CopyBuffer, copyField, parseCopyText } from '../../../../node/store/bulk';

describe('COPY text fields', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a\tb', 'a\\tb'],
    ['a\nb\r', 'a\\nb\\r'],
    ['back\\slash', 'back\\\\slash'],
    ['\\N', '\\\\N'],
    ['中文', '中文'],
  ])('escapes %j as %j', (value, field) => {
    expect(copyField(value)).toBe(field);
  });

  it('writes null as \\N', () => {
    expect(copyField(null)).toBe('\\N');
  });
});

describe('COPY buffer', () => {
  it('encodes appended rows as UTF-8, growing past its first megabyte', () => {
    const b = new CopyBuffer();
    const rows = Array.from({ length: 20_000 }, (_, i) => `k${i}\t中文 ✓ ${'x'.repeat(i % 97)}\t${copyField('a\tb')}\n`);
    for (const r of rows) b.append(r);
    const expected = Buffer.from(rows.join(''), 'utf8');
    expect(expected.length).toBeGreaterThan(1 << 20);
    expect(b.length).toBe(expected.length);
    expect(Buffer.from(b.bytes()).equals(expected)).toBe(true);
  });

  it('is empty until a row is appended', () => {
    expect(new CopyBuffer().bytes()).toHaveLength(0);
  });
});

describe('COPY text read back', () => {
  it('returns the fields of rows written with copyField, nulls included', () => {
    const rows = [
      ['plain', '', null, 'a\tb', 'a\nb\r', 'back\\slash', '\\N', '中文 ✓'],
      ['k2', '{"a":"x\\ty"}', '\\x00ff', null, 'end\\'],
    ];
    const b = new CopyBuffer();
    for (const r of rows) b.append(`${r.map(copyField).join('\t')}\n`);
    expect(parseCopyText(b.bytes())).toEqual(rows);
  });

  it('reads nothing from no bytes', () => {
    expect(parseCopyText(new Uint8Array())).toEqual([]);
  });

  it('starts over after clear, keeping its memory', () => {
    const b = new CopyBuffer();
    b.append('a\tb\n');
    b.clear();
    expect(b.length).toBe(0);
    b.append('c\n');
    expect(parseCopyText(b.bytes())).toEqual([['c']]);
  });
});
