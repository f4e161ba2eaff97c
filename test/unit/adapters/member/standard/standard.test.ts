import { describe, expect, it } from 'vitest';
import {
  canonicalJson, contentHash, isIsoDate, isIsoTimestamp, isWellFormedText, naturalKey, CustomerSchema, OrderSchema, piiFields, splitPersonalData,
} from '../../../../../adapters/member/standard';

describe('data standard primitives', () => {
  it.each([
    ['2024-03-05T10:00:00+08:00', true],
    ['2024-03-05T10:00:00.123Z', true],
    ['2024-03-05T10:00:00', false],
    ['2024-02-30T10:00:00+08:00', false],
    ['2024-03-05 10:00:00+08:00', false],
  ])('timestamp %s -> %s', (s, ok) => expect(isIsoTimestamp(s)).toBe(ok));

  it.each([['plain', true], ['emoji 😀', true], ['lone \uD83D', false], ['\uDE00 lone low', false]])('well-formed text %j -> %s', (s, ok) => expect(isWellFormedText(s)).toBe(ok));

  it.each([['2024-02-29', true], ['2023-02-29', false], ['2024/02/01', false]])('date %s -> %s', (s, ok) => expect(isIsoDate(s)).toBe(ok));

  it('order schema enforces minor-unit integers, currency and codes', () => {
    const order = { orderRef: 'O1', customerRef: 'C1', placedAt: '2024-03-05T10:00:00+08:00', amount: 100, currency: 'CNY', status: 'paid' };
    expect(OrderSchema.safeParse(order).success).toBe(true);
    for (const bad of [{ amount: 1.5 }, { amount: -1 }, { currency: 'RMB' }, { status: 'done' }, { extra: 1 }, { orderRef: 'O\uD800' }, { customerRef: '\uDC00C' }]) {
      expect(OrderSchema.safeParse({ ...order, ...bad }).success).toBe(false);
    }
  });
});

describe('keys and hashes', () => {
  it('natural keys', () => {
    expect(naturalKey('order', { orderRef: 'O1' } as never)).toBe('order:O1');
    expect(naturalKey('installment', { creditLineRef: 'L#1', installmentNo: 3 } as never)).toBe('installment:L#1#3');
  });

  it('content hash ignores key order, undefined fields, and matches RFC 8785 for flat records', () => {
    expect(contentHash({ b: 1, a: 'x' })).toBe(contentHash({ a: 'x', b: 1, c: undefined }));
    expect(contentHash({ a: 'x', b: 1 })).not.toBe(contentHash({ a: 'x', b: 2 }));
    expect(canonicalJson({ b: 1e21, a: '中\u0001', c: true })).toBe('{"a":"中\\u0001","b":1e+21,"c":true}');
    expect(canonicalJson({ z: { y: 1, x: [2] }, '1': 0 })).toBe('{"1":0,"z":{"x":[2],"y":1}}');
  });
});

describe('personal data', () => {
  it('flags customer identifiers and names only', () => {
    expect(piiFields('customer')).toEqual(['subjectId', 'phone', 'name']);
    expect(piiFields('order')).toEqual([]);
    expect(splitPersonalData('customer', { customerRef: 'C1', subjectId: 'cn-rid:X', name: 'N' })).toEqual({
      personal: { subjectId: 'cn-rid:X', name: 'N' }, rest: { customerRef: 'C1' },
    });
  });
});

describe('free text in the customer schema', () => {
  it('rejects a NUL and a lone surrogate in a name, keeps well-formed names', () => {
    const customer = { customerRef: 'C1', subjectId: 'cn-rid:11010519491231002X', registeredAt: '2024-03-05T10:00:00+08:00', verificationMethod: 'face_match' };
    expect(CustomerSchema.safeParse({ ...customer, name: '张三 😀' }).success).toBe(true);
    expect(CustomerSchema.safeParse({ ...customer, name: 'a\u0000b' }).success).toBe(false);
    expect(CustomerSchema.safeParse({ ...customer, name: 'a\uD83D' }).success).toBe(false);
  });
});

