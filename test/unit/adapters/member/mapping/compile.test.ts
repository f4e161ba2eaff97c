import { describe, expect, it } from 'vitest';
import { compileFileMapping } from '../../../../../adapters/member/mapping/compile';
import { parseMapping } from '../../../../../adapters/member/mapping/validate';

function mapper(entity: string, source: Record<string, unknown>, fields: Record<string, unknown>, defaults?: Record<string, unknown>) {
  const r = parseMapping({ format: 'consortium-mapping/v1', defaults, files: [{ match: '*', entity, source, fields }] });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return compileFileMapping(r.mapping, r.mapping.files[0]!);
}

const orderCsv = (amount: Record<string, unknown>, placedAt: Record<string, unknown>) =>
  mapper('order', { type: 'csv' }, {
    orderRef: { column: 'no' }, customerRef: { column: 'c' }, placedAt: { column: 't', ...placedAt },
    amount: { column: 'a', ...amount }, status: { column: 's', values: { 已完成: 'completed' } },
  });

describe('compileFileMapping', () => {
  const cases: [string, { amount: Record<string, unknown>; placedAt: Record<string, unknown>; a: string; t: string; want: Record<string, unknown> }][] = [
    ['yuan decimals and YYYY/MM/DD', { amount: { unit: 'yuan' }, placedAt: { format: 'YYYY/MM/DD' }, a: '1,234.5', t: '2024/03/05', want: { amount: 123450, placedAt: '2024-03-05T00:00:00+08:00' } }],
    ['fen integers and YYYY-MM-DD HH:mm:ss', { amount: { unit: 'fen' }, placedAt: { format: 'YYYY-MM-DD HH:mm:ss' }, a: '999', t: '2024-03-05 23:59:58', want: { amount: 999, placedAt: '2024-03-05T23:59:58+08:00' } }],
    ['epoch ms in UTC zone', { amount: { unit: 'minor' }, placedAt: { format: 'epoch_ms', timeZone: 'UTC' }, a: '1', t: '1709600000000', want: { amount: 1, placedAt: '2024-03-05T00:53:20+00:00' } }],
    ['epoch s, fixed offset', { amount: { unit: 'major' }, placedAt: { format: 'epoch_s', timeZone: '-05:00' }, a: '¥7', t: '1709600000', want: { amount: 700, placedAt: '2024-03-04T19:53:20-05:00' } }],
    ['iso8601 without offset takes the zone', { amount: { unit: 'major' }, placedAt: { format: 'iso8601' }, a: '0.10', t: '2024-07-01T12:00', want: { amount: 10, placedAt: '2024-07-01T12:00:00+08:00' } }],
    ['iso8601 with offset, DST zone', { amount: { unit: 'major' }, placedAt: { format: 'iso8601', timeZone: 'Europe/Berlin' }, a: '1', t: '2024-07-01T10:00:00Z', want: { amount: 100, placedAt: '2024-07-01T12:00:00+02:00' } }],
  ];
  it.each(cases)('%s', (_n, { amount, placedAt, a, t, want }) => {
    const r = orderCsv(amount, placedAt).map({ no: 'O1', c: 'C1', t, a, s: '已完成' });
    expect(r).toEqual({ ok: true, checked: true, record: { orderRef: 'O1', customerRef: 'C1', currency: 'CNY', status: 'completed', ...want } });
  });

  const failures: [string, Record<string, string>, { field: string; reason: string }][] = [
    ['empty required', { a: '' }, { field: 'amount', reason: 'missing_required' }],
    ['three decimals of yuan', { a: '1.234' }, { field: 'amount', reason: 'invalid_amount' }],
    ['not a number', { a: '12abc' }, { field: 'amount', reason: 'invalid_amount' }],
    ['impossible date', { t: '2024/02/30' }, { field: 'placedAt', reason: 'invalid_date' }],
    ['wrong date layout', { t: '05.03.2024' }, { field: 'placedAt', reason: 'invalid_date' }],
    ['status word not in value map', { s: '已发货' }, { field: 'status', reason: 'unknown_code' }],
    ['a ref with a lone surrogate', { no: 'O\uD800-1' }, { field: 'orderRef', reason: 'invalid_value' }],
    ['a ref with a trailing low surrogate', { c: 'C\uDC00' }, { field: 'customerRef', reason: 'invalid_value' }],
  ];
  it.each(failures)('%s', (_n, patch, want) => {
    const m = orderCsv({ unit: 'yuan' }, { format: 'YYYY/MM/DD' });
    const r = m.map({ no: 'O1', c: 'C1', t: '2024/03/05', a: '1.00', s: '已完成', ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect({ field: r.failure.field, reason: r.failure.reason }).toEqual(want);
  });

  it('keeps negative amounts for the plausibility check to reject', () => {
    const r = orderCsv({ unit: 'yuan' }, { format: 'YYYY/MM/DD' }).map({ no: 'O1', c: 'C1', t: '2024/03/05', a: '-3.50', s: '已完成' });
    expect(r.ok && r.record.amount).toBe(-350);
  });

  it('reads nested JSON paths, numbers and booleans; normalizes identifiers without echoing them', () => {
    const m = mapper('customer', { type: 'ndjson' }, {
      customerRef: { path: 'uid' }, subjectId: { path: 'identity.ids[0]' }, registeredAt: { path: 'ts', format: 'epoch_ms' },
      verificationMethod: { const: 'face_match' }, phone: { path: 'identity.mobile' },
    });
    const ok = m.map({ uid: 42, identity: { ids: ['11010519491231002x'], mobile: '138 0013 8000' }, ts: 1709600000000 });
    expect(ok).toEqual({
      ok: true,
      checked: true,
      record: {
        customerRef: '42', subjectId: 'cn-rid:11010519491231002X', phone: 'tel:+8613800138000',
        registeredAt: '2024-03-05T08:53:20+08:00', verificationMethod: 'face_match',
      },
    });
    const bad = m.map({ uid: 42, identity: { ids: ['110105194912310021'] }, ts: 1709600000000 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.failure).toMatchObject({ field: 'subjectId', reason: 'invalid_identifier' });
      expect(bad.failure.message).not.toContain('110105194912310021');
    }
  });

  it('maps booleans through value maps and defaults', () => {
    const m = mapper('refund', { type: 'csv' }, {
      refundRef: { column: 'r' }, orderRef: { column: 'o' }, customerRef: { column: 'c' },
      requestedAt: { column: 't', format: 'YYYY-MM-DD' }, amount: { column: 'a', unit: 'fen' },
      reason: { column: 'why', default: 'other' }, withReturn: { column: 'ret', values: { 仅退款: false, 退货退款: true } },
      status: { const: 'completed' },
    });
    const r = m.map({ r: 'R1', o: 'O1', c: 'C1', t: '2024-01-02', a: '100', why: '', ret: '仅退款' });
    expect(r.ok && r.record).toMatchObject({ reason: 'other', withReturn: false, requestedAt: '2024-01-02T00:00:00+08:00' });
  });
});

describe('reject messages', () => {
  it('mask long digit runs that could be identifiers', () => {
    const m = orderCsv({ unit: 'yuan' }, { format: 'YYYY/MM/DD' });
    const r = m.map({ no: 'O1', c: 'C1', t: '2024/03/05', a: '1.00', s: '13800138000' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.failure.message).not.toContain('13800138000');
      expect(r.failure.message).toContain('<11 digits>');
    }
  });
});

describe('free text', () => {
  const customer = () => mapper('customer', { type: 'csv' }, {
    customerRef: { column: 'ref' }, subjectId: { column: 'id' }, name: { column: 'name' }, registeredAt: { column: 't', format: 'iso8601' }, verificationMethod: { const: 'face_match' },
  });
  const row = (name: string) => ({ ref: 'C-1', id: '11010519491231002X', name, t: '2024-01-01T00:00:00+08:00' });
  it.each([
    ['a NUL character', 'Zhang\u0000San', 'NUL'],
    ['a lone surrogate', 'Zhang\uD83D', 'lone surrogate'],
  ])('rejects %s in a name', (_n, name, message) => {
    const r = customer().map(row(name));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.failure).toMatchObject({ field: 'name', reason: 'invalid_value', message: expect.stringContaining(message) });
  });
  it('keeps well-formed text, including characters outside the BMP', () => {
    const r = customer().map(row('张三 😀'));
    expect(r.ok && r.record.name).toBe('张三 😀');
  });
});

