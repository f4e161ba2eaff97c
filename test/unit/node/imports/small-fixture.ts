/**
 * A tiny member export in the standard's own column names (customers, credit lines, installments)
 * with its mapping, for precise correction and derivation tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const csv = (fields: string[]) => Object.fromEntries(fields.map((f) => [f, { column: f }]));

/** Mapping of `customers.csv`, `lines.csv`, `installments.csv`. */
export const smallMapping = {
  format: 'consortium-mapping/v1',
  defaults: { currency: 'CNY', timeZone: 'Asia/Shanghai' },
  files: [
    { match: 'customers*.csv', entity: 'customer', source: { type: 'csv', delimiter: ',' },
      fields: { ...csv(['customerRef', 'subjectId', 'name', 'verificationMethod']), registeredAt: { column: 'registeredAt', format: 'iso8601' } } },
    { match: 'lines*.csv', entity: 'creditLine', source: { type: 'csv', delimiter: ',' },
      fields: { ...csv(['creditLineRef', 'customerRef', 'product', 'status']), openedAt: { column: 'openedAt', format: 'iso8601' }, limit: { column: 'limit', unit: 'fen' }, balance: { column: 'balance', unit: 'fen' } } },
    { match: 'installments*.csv', entity: 'installment', source: { type: 'csv', delimiter: ',' },
      fields: { ...csv(['creditLineRef', 'installmentNo', 'status']), dueDate: { column: 'dueDate', format: 'YYYY-MM-DD' }, amountDue: { column: 'amountDue', unit: 'fen' }, amountPaid: { column: 'amountPaid', unit: 'fen' }, paidAt: { column: 'paidAt', format: 'iso8601' } } },
  ],
};

/** Two customers (resident IDs below), one BNPL line each, one installment each. */
export const RIDS = ['11010519491231002X', '110105194912310038'] as const;

/** Writes the three files to `dir` (installment 1 of L-1 `paid` or overdue as asked); returns their paths. */
export function writeSmallExport(dir: string, opts: { overdue: boolean; badId?: boolean }): string[] {
  const files = {
    'customers.csv': ['customerRef,subjectId,name,verificationMethod,registeredAt',
      `C-1,${RIDS[0]},张三,face_match,2025-01-01T10:00:00+08:00`,
      `C-2,${RIDS[1]},李四,face_match,2025-01-02T10:00:00+08:00`,
      ...(opts.badId ? ['C-3,110105194912310021,王五,face_match,2025-01-03T10:00:00+08:00'] : [])],
    'lines.csv': ['creditLineRef,customerRef,product,status,openedAt,limit,balance',
      'L-1,C-1,bnpl,active,2025-02-01T00:00:00+08:00,500000,120000',
      'L-2,C-2,bnpl,active,2025-02-01T00:00:00+08:00,300000,0'],
    'installments.csv': ['creditLineRef,installmentNo,status,dueDate,amountDue,amountPaid,paidAt',
      opts.overdue ? 'L-1,1,overdue,2026-09-01,60000,0,' : 'L-1,1,paid,2026-09-01,60000,60000,2026-08-30T10:00:00+08:00',
      'L-2,1,paid,2026-09-01,30000,30000,2026-08-31T10:00:00+08:00'],
  };
  return Object.entries(files).map(([name, lines]) => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  });
}
