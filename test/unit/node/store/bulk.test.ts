import { describe, expect, it } from 'vitest';
import { copyField } from '../../../../node/store/bulk';

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
