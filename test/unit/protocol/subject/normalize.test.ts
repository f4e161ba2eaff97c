import { describe, it, expect } from 'vitest';
import { normalizeSubjectId, subjectKind, isNormalizedSubjectId } from '../../../../protocol/subject/normalize';
import { ProtocolError } from '../../../../protocol/errors';

describe('normalizeSubjectId', () => {
  const valid: [string, { given: string; want: string }][] = [
    ['canonical RID', { given: '11010519491231002X', want: 'cn-rid:11010519491231002X' }],
    ['lower-case x folded', { given: '11010519491231002x', want: 'cn-rid:11010519491231002X' }],
    ['full-width + spaces', { given: ' １１０１０５１９４９１２３１００２ｘ ', want: 'cn-rid:11010519491231002X' }],
    ['ideographic space inside', { given: '110105\u300019491231002X', want: 'cn-rid:11010519491231002X' }],
    ['RID with digit check', { given: '440524188001010014', want: 'cn-rid:440524188001010014' }],
    ['prefixed RID', { given: 'CN-RID:11010519491231002x', want: 'cn-rid:11010519491231002X' }],
    ['raw CN mobile', { given: '13800138000', want: 'tel:+8613800138000' }],
    ['formatted CN mobile', { given: '+86 138-0013-8000', want: 'tel:+8613800138000' }],
    ['full-width plus', { given: '＋８６ １３８００１３８０００', want: 'tel:+8613800138000' }],
    ['00 prefix', { given: '008613800138000', want: 'tel:+8613800138000' }],
    ['86 without plus', { given: '8613800138000', want: 'tel:+8613800138000' }],
    ['prefixed tel', { given: 'tel:+8619912345678', want: 'tel:+8619912345678' }],
    ['foreign E.164', { given: '+44 7911 123456', want: 'tel:+447911123456' }],
    ['parentheses', { given: '+1 (415) 555-2671', want: 'tel:+14155552671' }],
  ];
  it.each(valid)('%s', (_name, { given, want }) => {
    const got = normalizeSubjectId(given);
    expect(got).toBe(want);
    expect(normalizeSubjectId(got)).toBe(got);
    expect(isNormalizedSubjectId(got)).toBe(true);
  });

  const invalid: [string, { given: string; code: string }][] = [
    ['15-digit legacy', { given: '110105491231002', code: 'SUBJECT_RID_LEGACY_15' }],
    ['bad check digit', { given: '110105194912310021', code: 'SUBJECT_RID_CHECKSUM' }],
    ['bad check letter', { given: '11010519491231002Y', code: 'SUBJECT_RID_FORMAT' }],
    ['bad province', { given: '990105194912310026', code: 'SUBJECT_RID_REGION' }],
    ['Feb 30', { given: '110105194902300020', code: 'SUBJECT_RID_BIRTHDATE' }],
    ['empty', { given: '  ', code: 'SUBJECT_EMPTY' }],
    ['too long', { given: '1'.repeat(65), code: 'SUBJECT_TOO_LONG' }],
    ['letters', { given: 'alice', code: 'SUBJECT_UNRECOGNIZED' }],
    ['+86 landline', { given: '+86 10 6552 9988', code: 'SUBJECT_TEL_FORMAT' }],
    ['CN 12 digits', { given: '138001380001', code: 'SUBJECT_TEL_FORMAT' }],
    ['short E.164', { given: '+1234567', code: 'SUBJECT_TEL_FORMAT' }],
    ['E.164 too long', { given: '+1234567890123456', code: 'SUBJECT_TEL_FORMAT' }],
    ['tel garbage', { given: 'tel:+86abc', code: 'SUBJECT_TEL_FORMAT' }],
  ];
  it.each(invalid)('rejects %s', (_name, { given, code }) => {
    let err: unknown;
    try {
      normalizeSubjectId(given);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(code);
    // never echo the identifier back
    if (given.trim().length > 0) expect((err as ProtocolError).message).not.toContain(given.trim());
  });

  it('reports the subject kind', () => {
    expect(subjectKind('cn-rid:11010519491231002X')).toBe('cn-rid');
    expect(subjectKind('tel:+8613800138000')).toBe('tel');
    expect(() => subjectKind('13800138000')).toThrow(ProtocolError);
  });
});
