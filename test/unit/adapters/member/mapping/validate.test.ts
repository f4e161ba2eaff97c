import { describe, expect, it } from 'vitest';
import { parseMapping, selectFileMapping, formatMappingIssues } from '../../../../../adapters/member/mapping/validate';

const base = () => ({
  format: 'consortium-mapping/v1',
  files: [
    {
      match: 'orders*.csv',
      entity: 'order',
      source: { type: 'csv', delimiter: ';' },
      fields: {
        orderRef: { column: 'no' },
        customerRef: { column: 'cust' },
        placedAt: { column: 'time', format: 'YYYY-MM-DD HH:mm:ss' },
        amount: { column: 'amt', unit: 'yuan' },
        status: { column: 'st', values: { '40': 'completed' } },
      },
    },
  ],
});

type M = ReturnType<typeof base> & Record<string, unknown>;

describe('parseMapping', () => {
  it('accepts a valid mapping and fills defaults', () => {
    const r = parseMapping(base());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.mapping.defaults).toEqual({ currency: 'CNY', timeZone: 'Asia/Shanghai' });
      expect(r.mapping.files[0]!.source).toEqual({ type: 'csv', delimiter: ';', quote: '"', encoding: 'utf-8' });
      expect(selectFileMapping(r.mapping, 'orders_2024.csv')?.entity).toBe('order');
      expect(selectFileMapping(r.mapping, 'refunds.csv')).toBeUndefined();
    }
  });

  const cases: [string, (m: M) => void, { path: string; message: RegExp }][] = [
    ['wrong format tag', (m) => { m.format = 'v0' as never; }, { path: 'format', message: /consortium-mapping\/v1/ }],
    ['unknown entity', (m) => { m.files[0]!.entity = 'invoice'; }, { path: 'files[0].entity', message: /./ }],
    ['unknown field', (m) => { (m.files[0]!.fields as Record<string, unknown>).colour = { column: 'c' }; }, { path: 'files[0].fields.colour', message: /not a field of order/ }],
    ['required field unmapped', (m) => { delete (m.files[0]!.fields as Record<string, unknown>).placedAt; }, { path: 'files[0].fields', message: /required field "placedAt"/ }],
    ['amount without unit', (m) => { m.files[0]!.fields.amount = { column: 'amt' } as never; }, { path: 'files[0].fields.amount.unit', message: /major.*minor/ }],
    ['bad unit', (m) => { m.files[0]!.fields.amount.unit = 'cents'; }, { path: 'files[0].fields.amount.unit', message: /./ }],
    ['date without format', (m) => { m.files[0]!.fields.placedAt = { column: 'time' } as never; }, { path: 'files[0].fields.placedAt.format', message: /need "format"/ }],
    ['bad date format', (m) => { m.files[0]!.fields.placedAt.format = 'DD.MM'; }, { path: 'files[0].fields.placedAt.format', message: /YYYY/ }],
    ['value map to unknown code', (m) => { m.files[0]!.fields.status.values = { '40': 'done' }; }, { path: 'files[0].fields.status.values.40', message: /not in code list orderStatus/ }],
    ['path on a csv source', (m) => { m.files[0]!.fields.orderRef = { path: 'a.b' } as never; }, { path: 'files[0].fields.orderRef.path', message: /"path" is for ndjson/ }],
    ['two sources for one field', (m) => { m.files[0]!.fields.orderRef = { column: 'no', const: 'x' } as never; }, { path: 'files[0].fields.orderRef', message: /exactly one/ }],
    ['unknown time zone', (m) => { m.files[0]!.fields.placedAt = { column: 'time', format: 'iso8601', timeZone: 'Mars/Base' } as never; }, { path: 'files[0].fields.placedAt.timeZone', message: /time zone/ }],
    ['bad default currency', (m) => { m.defaults = { currency: 'XXY', timeZone: 'Asia/Shanghai' }; }, { path: 'defaults.currency', message: /ISO 4217/ }],
    ['unknown option', (m) => { (m.files[0]!.fields.orderRef as Record<string, unknown>).colum = 'x'; }, { path: 'files[0].fields.orderRef', message: /colum/ }],
  ];
  it.each(cases)('%s -> issue at the path', (_name, mutate, want) => {
    const m = base() as M;
    mutate(m);
    const r = parseMapping(m);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const hit = r.issues.find((i) => i.path === want.path);
      expect(hit, formatMappingIssues(r.issues)).toBeDefined();
      expect(hit!.message).toMatch(want.message);
    }
  });
});
