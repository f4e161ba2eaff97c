import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseResidentId, residentIdCheckChar, isValidResidentId } from '../../../../protocol/subject/resident-id';

describe('GB 11643-1999 resident IDs', () => {
  // Examples from GB 11643-1999 appendix and widely published samples.
  const examples: [string, { id: string; region: string; birthDate: string; sex: string }][] = [
    ['GB 11643 example (X check)', { id: '11010519491231002X', region: '110105', birthDate: '1949-12-31', sex: 'female' }],
    ['GB 11643 example (digit check)', { id: '440524188001010014', region: '440524', birthDate: '1880-01-01', sex: 'male' }],
    ['odd sequence (male)', { id: '11010119900307771'+'5', region: '110101', birthDate: '1990-03-07', sex: 'male' }],
  ];
  it.each(examples)('parses %s', (_n, { id, region, birthDate, sex }) => {
    expect(parseResidentId(id)).toEqual({ region, province: region.slice(0, 2), birthDate, sex });
  });

  it('computes check characters (ISO 7064 MOD 11-2)', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
    expect(residentIdCheckChar('11010119900307771')).toBe('5');
    expect(() => residentIdCheckChar('1101011990030777')).toThrow(/SUBJECT_RID_FORMAT/);
  });

  it('accepts leap days only in leap years', () => {
    const ok = '110105200002290' + '01';
    expect(isValidResidentId(ok + residentIdCheckChar(ok))).toBe(true);
    const bad = '110105190002290' + '01'; // 1900 is not a leap year
    expect(isValidResidentId(bad + residentIdCheckChar(bad))).toBe(false);
  });

  it('any single-digit change breaks the check character (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = '11010519491231002X';
        const d = (Number(id[pos]) + delta) % 10;
        const mutated = id.slice(0, pos) + String(d) + id.slice(pos + 1);
        expect(residentIdCheckChar(mutated.slice(0, 17))).not.toBe('X');
      }),
    );
  });
});
