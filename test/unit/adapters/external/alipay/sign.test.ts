import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { alipayTimestamp, buildSignContent, extractMemberText, extractSignedResponse } from '../../../../../adapters/external/alipay/sign';

describe('Alipay sign content', () => {
  it('sorts by name, skips empty values and sign, does not URL-encode', () => {
    expect(
      buildSignContent({ sign: 'x', timestamp: '2014-07-24 03:07:50', app_id: '2014072300007148', method: 'alipay.x', empty: '', biz_content: '{"a":"b&c=d"}', sign_type: 'RSA2', charset: 'utf-8', none: undefined }),
    ).toBe('app_id=2014072300007148&biz_content={"a":"b&c=d"}&charset=utf-8&method=alipay.x&sign_type=RSA2&timestamp=2014-07-24 03:07:50');
  });

  it.each([
    ['2026-03-01T02:00:00.000Z', '2026-03-01 10:00:00'],
    ['2026-12-31T16:30:05.999Z', '2027-01-01 00:30:05'],
    ['2026-07-01T00:00:00.000Z', '2026-07-01 08:00:00'],
  ])('timestamp %s -> %s (Asia/Shanghai)', (iso, want) => {
    expect(alipayTimestamp(new Date(iso))).toBe(want);
  });
});

describe('raw response member extraction', () => {
  it('returns the exact substring, whitespace and escapes included', () => {
    const member = '{ "code":"10000","msg":"Success" ,"t":"a}\\"{b","n":{"x":[1,{"y":"}"}]}}';
    const body = `{"zhima_credit_score_get_response" : ${member},"sign":"abc"}`;
    expect(extractMemberText(body, 'zhima_credit_score_get_response')).toBe(member);
  });

  it('falls back to error_response and reports absence', () => {
    expect(extractSignedResponse('{"error_response":{"code":"40002"},"sign":"s"}', 'zhima.credit.score.get')).toEqual({ key: 'error_response', text: '{"code":"40002"}' });
    expect(extractSignedResponse('{"other":{}}', 'zhima.credit.score.get')).toBeNull();
  });

  it('round-trips any JSON object value (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const text = JSON.stringify(obj, null, 1);
        const body = `{"m_response":${text},"sign":"s"}`;
        return extractMemberText(body, 'm_response') === text;
      }),
    );
  });
});
