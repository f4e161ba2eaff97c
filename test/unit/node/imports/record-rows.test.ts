import { describe, expect, it } from 'vitest';
import { appendCopyRow, appendUpsertJson, closeUpsertJson, COPY_COLUMNS, parentEntityOf, rowsOfCopy, type StoredRow } from '../../../../node/imports/record-rows';
import { CopyBuffer, parseCopyText } from '../../../../node/store/bulk';

const rows: StoredRow[] = [
  { key: 'order:SO-1', subject: 'p-1', customerRef: 'C-1', hash: 'h1', data: '{"orderRef":"SO-1","note":"tab\\there"}', sealed: null },
  { key: 'customer:C\t2\\x', subject: 'p-2', customerRef: 'C\t2\\x', hash: 'h2', data: '{"customerRef":"C\\t2"}', sealed: new Uint8Array([0, 1, 254, 255]) },
];
const ctx = { entity: 'order', importField: 'imp-1', nowText: '2026-11-24T00:00:00.000Z' };

describe('record rows', () => {
  it('encodes COPY rows with every column, and reads them back unchanged', () => {
    const b = new CopyBuffer();
    for (const r of rows) appendCopyRow(b, ctx, r);
    const fields = parseCopyText(b.bytes());
    expect(fields.map((f) => f.length)).toEqual([COPY_COLUMNS.length, COPY_COLUMNS.length]);
    expect(fields[0]!.slice(6)).toEqual([null, 'imp-1', '2026-11-24T00:00:00.000Z']);
    expect(fields[1]![6]).toBe('\\x0001feff');
    expect(rowsOfCopy(b.bytes()).map((r) => ({ ...r, sealed: r.sealed && [...r.sealed] }))).toEqual(rows.map((r) => ({ ...r, sealed: r.sealed && [...r.sealed] })));
  });

  it('builds the upsert parameter as a JSON array of the rows', () => {
    let json = '';
    for (const r of rows) json = appendUpsertJson(json, r);
    expect(JSON.parse(closeUpsertJson(json))).toEqual([
      { k: 'order:SO-1', s: 'p-1', c: 'C-1', h: 'h1', d: { orderRef: 'SO-1', note: 'tab\there' } },
      { k: 'customer:C\t2\\x', s: 'p-2', c: 'C\t2\\x', h: 'h2', d: { customerRef: 'C\t2' }, x: Buffer.from([0, 1, 254, 255]).toString('base64') },
    ]);
  });

  it('attributes installments through their credit line and other records through their customer', () => {
    expect([parentEntityOf('customer'), parentEntityOf('installment'), parentEntityOf('order'), parentEntityOf('creditLine')]).toEqual([null, 'creditLine', 'customer', 'customer']);
  });
});
