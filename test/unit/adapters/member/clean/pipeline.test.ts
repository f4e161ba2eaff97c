import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createImportSession, type ImportEvent } from '../../../../../adapters/member/clean/pipeline';
import { createMemoryKeyIndex, knownKeysFromSet } from '../../../../../adapters/member/clean/keys-index';
import { createMemoryRecordStore, upsertOutcome, writeToStore } from '../../../../../adapters/member/clean/store';
import { createRejectsWriter } from '../../../../../adapters/member/clean/rejects-writer';
import { compileFileMapping } from '../../../../../adapters/member/mapping/compile';
import { parseMapping } from '../../../../../adapters/member/mapping/validate';
import { readCsv } from '../../../../../adapters/member/readers';
import { canonicalJson, contentHash } from '../../../../../adapters/member/standard/keys';
import { residentIdCheckChar } from '../../../../../protocol/subject';

const NOW = new Date('2025-01-01T00:00:00+08:00');
const ID = (() => { const b = '11010519900307123'; return b + residentIdCheckChar(b); })();
const BAD_ID = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');

const mapping = (() => {
  const r = parseMapping({
    format: 'consortium-mapping/v1',
    files: [
      {
        match: 'customers.csv', entity: 'customer', source: { type: 'csv' },
        fields: {
          customerRef: { column: 'id' }, subjectId: { column: 'rid' }, registeredAt: { column: 'reg', format: 'YYYY-MM-DD' },
          verificationMethod: { column: 'kyc', values: { Y: 'face_match', N: 'none' } },
        },
      },
      {
        match: 'installments.csv', entity: 'installment', source: { type: 'csv' },
        fields: {
          creditLineRef: { column: 'line' }, installmentNo: { column: 'no' }, dueDate: { column: 'due', format: 'YYYY-MM-DD' },
          amountDue: { column: 'due_amt', unit: 'yuan' }, amountPaid: { column: 'paid_amt', unit: 'yuan' },
          status: { column: 'st', values: { P: 'paid', O: 'overdue', S: 'scheduled' } },
          paidAt: { column: 'paid', format: 'YYYY-MM-DD' },
        },
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.mapping;
})();
const customers = compileFileMapping(mapping, mapping.files[0]!);
const installments = compileFileMapping(mapping, mapping.files[1]!);

async function collect(events: AsyncIterable<ImportEvent>): Promise<ImportEvent[]> {
  const out: ImportEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}
const csv = (s: string) => readCsv([Buffer.from(s)]);
const rejects = (evs: ImportEvent[]) =>
  evs.flatMap((e) => (e.kind === 'rejected' ? [[e.reject.line, e.reject.field, e.reject.reason] as const] : []));

describe('import pipeline cleaning rules', () => {
  it('rejects each rule with line and field, accepts the rest, counts everything', async () => {
    const s = createImportSession({ now: () => NOW });
    const evs = await collect(s.run(csv(
      'id,rid,reg,kyc\n' +
      `C1,${ID},2024-01-01,Y\n` + // 2 ok
      `C2,${BAD_ID},2024-01-01,Y\n` + // 3 bad check digit
      `C3,,2024-01-01,Y\n` + // 4 missing
      `C4,${ID},2026-01-01,Y\n` + // 5 future
      `C5,${ID},2024-13-01,Y\n` + // 6 invalid date
      `C6,${ID},2024-01-01,?\n` + // 7 unknown code
      `C1,${ID},2024-01-01,N\n` + // 8 duplicate key
      'C7,only-two\n', // 9 malformed
    ), customers, 'customers.csv'));
    expect(rejects(evs)).toEqual([
      [3, 'subjectId', 'invalid_identifier'],
      [4, 'subjectId', 'missing_required'],
      [5, 'registeredAt', 'future_date'],
      [6, 'registeredAt', 'invalid_date'],
      [7, 'verificationMethod', 'unknown_code'],
      [8, undefined, 'duplicate_key'],
      [9, undefined, 'malformed_row'],
    ]);
    const summary = s.summary();
    expect(summary).toMatchObject({ read: 8, accepted: 1, rejected: 7, fatal: 0 });
    expect(summary.rejectedByReason).toEqual({
      invalid_identifier: 1, missing_required: 1, future_date: 1, invalid_date: 1, unknown_code: 1, duplicate_key: 1, malformed_row: 1,
    });
    const messages = evs.flatMap((e) => (e.kind === 'rejected' ? [e.reject.message] : []));
    for (const m of messages) expect(m).not.toContain(BAD_ID);
  });

  it('rejects negative amounts, implausible fields and unknown references; known keys come from storage', async () => {
    const lookups: string[] = [];
    const known = { has: async (k: string) => { lookups.push(k); return k === 'creditLine:L1'; } };
    const s = createImportSession({ now: () => NOW, knownKeys: known });
    const evs = await collect(s.run(csv(
      'line,no,due,due_amt,paid_amt,st,paid\n' +
      'L1,1,2024-01-10,100.00,100.00,P,2024-01-09\n' + // 2 ok
      'L1,2,2024-02-10,-5.00,0,O,\n' + // 3 negative
      'L1,3,2024-03-10,100.00,150.00,P,2024-03-10\n' + // 4 paid more than due
      'L9,1,2024-01-10,100.00,0,O,\n' + // 5 unknown credit line
      'L1,4,2025-06-10,100.00,0,S,\n', // 6 future due date is fine (schedule)
    ), installments, 'installments.csv'));
    expect(rejects(evs)).toEqual([
      [3, 'amountDue', 'negative_amount'],
      [4, 'amountPaid', 'implausible'],
      [5, 'creditLineRef', 'unknown_reference'],
    ]);
    expect(evs.filter((e) => e.kind === 'accepted').map((e) => e.kind === 'accepted' && e.accepted.key)).toEqual([
      'installment:L1#1', 'installment:L1#4',
    ]);
    expect(lookups).toContain('creditLine:L9');
  });

  it('leaves what converters cannot guarantee to the schema, after plausibility, with its messages', async () => {
    const s = createImportSession({ now: () => NOW, knownKeys: knownKeysFromSet(['creditLine:L1']) });
    const evs = await collect(s.run(csv(
      'line,no,due,due_amt,paid_amt,st,paid\n' +
      'L1,0,2024-01-10,100.00,0,O,\n' + // 2 installment number below the schema's minimum
      'L1,10001,2024-01-10,100.00,0,O,\n' + // 3 above its maximum
      'L1,5,2024-01-10,100000000000.01,0,O,\n' + // 4 amount above MAX_AMOUNT_MINOR
      'L1,0,2024-01-10,-1.00,0,O,\n' + // 5 plausibility first: negative amount wins over the schema
      'L1,0,2024-01-10,100.00,0,O,2026-01-01\n' + // 6 future paidAt wins over the schema
      'L1,7,2024-01-10,100000000000.00,0,O,\n', // 7 exactly the maximum: accepted
    ), installments, 'installments.csv'));
    expect(evs.flatMap((e) => (e.kind === 'rejected' ? [[e.reject.line, e.reject.field, e.reject.reason, e.reject.message]] : []))).toEqual([
      [2, 'installmentNo', 'invalid_value', 'installmentNo: Too small: expected number to be >=1'],
      [3, 'installmentNo', 'invalid_value', 'installmentNo: Too big: expected number to be <=10000'],
      [4, 'amountDue', 'invalid_value', 'amountDue: Too big: expected number to be <=10000000000000'],
      [5, 'amountDue', 'negative_amount', 'amountDue is negative'],
      [6, 'paidAt', 'future_date', 'paidAt is later than the import time'],
    ]);
    expect(evs.filter((e) => e.kind === 'accepted').map((e) => e.kind === 'accepted' && e.accepted.key)).toEqual(['installment:L1#7']);
  });

  it('carries each accepted record\'s canonical JSON and its content hash', async () => {
    const s = createImportSession({ now: () => NOW });
    const evs = await collect(s.run(csv(`id,rid,reg,kyc\nC1,${ID},2024-01-01,Y\n"C""2\\",${ID},2024-02-01,N\n`), customers));
    const accepted = evs.flatMap((e) => (e.kind === 'accepted' ? [e.accepted] : []));
    expect(accepted.map((a) => a.key)).toEqual(['customer:C1', 'customer:C"2\\']);
    for (const a of accepted) {
      expect(a.json).toBe(canonicalJson(a.record));
      expect(a.hash).toBe(contentHash(a.record));
    }
    expect(accepted[0]!.json).toBe(`{"customerRef":"C1","registeredAt":"2024-01-01T00:00:00+08:00","subjectId":"cn-rid:${ID}","verificationMethod":"face_match"}`);
  });

  it('resolves references to records accepted earlier in the same import', async () => {
    const s = createImportSession({ now: () => NOW, knownKeys: knownKeysFromSet([]) });
    await collect(s.run(csv(`id,rid,reg,kyc\nC1,${ID},2024-01-01,Y\n`), customers));
    const lineMapping = parseMapping({
      format: 'consortium-mapping/v1',
      files: [{ match: '*', entity: 'creditLine', source: { type: 'ndjson' }, fields: {
        creditLineRef: { path: 'id' }, customerRef: { path: 'cust' }, product: { const: 'bnpl' }, openedAt: { path: 't', format: 'iso8601' },
        limit: { path: 'limit', unit: 'fen' }, balance: { path: 'bal', unit: 'fen' }, status: { const: 'active' },
      } }],
    });
    if (!lineMapping.ok) throw new Error('mapping');
    const m = compileFileMapping(lineMapping.mapping, lineMapping.mapping.files[0]!);
    const items = (async function* () {
      yield { line: 1, record: { id: 'L1', cust: 'C1', t: '2024-02-01T10:00:00+08:00', limit: 500000, bal: 0 } };
      yield { line: 2, record: { id: 'L2', cust: 'C2', t: '2024-02-01T10:00:00+08:00', limit: 500000, bal: 0 } };
    })();
    expect(rejects(await collect(s.run(items, m)))).toEqual([[2, 'customerRef', 'unknown_reference']]);
    // a key index given by the caller may already hold the referenced keys (no shortcut past it), and
    // items may come as a reader's chunks
    const index = createMemoryKeyIndex();
    index.add('customer:C2', 7);
    const s2 = createImportSession({ now: () => NOW, keyIndex: index });
    const chunks = (async function* () {
      yield [{ line: 1, record: { id: 'L2', cust: 'C2', t: '2024-02-01T10:00:00+08:00', limit: 500000, bal: 0 } }, { line: 2, record: { id: 'L3', cust: 'C3', t: '2024-02-01T10:00:00+08:00', limit: 1, bal: 0 } }];
    })();
    const events = await collect(s2.run(chunks, m));
    expect(events.map((e) => e.kind)).toEqual(['accepted', 'rejected']);
    expect(rejects(events)).toEqual([[2, 'customerRef', 'unknown_reference']]);
  });

  it('reports a header lacking mapped columns as fatal, not as row rejects', async () => {
    const s = createImportSession({ now: () => NOW });
    const evs = await collect(s.run(csv('id,rid,registered,kyc\nC1,x,y,z\n'), customers, 'customers.csv'));
    expect(evs).toEqual([{ kind: 'fatal', file: 'customers.csv', code: 'COLUMNS_MISSING', line: 1, message: 'header lacks mapped columns: reg' }]);
  });
});

describe('idempotent upserts', () => {
  const file = (kyc: string) => `id,rid,reg,kyc\nC1,${ID},2024-01-01,Y\nC2,${ID},2024-02-01,${kyc}\n`;
  const importOnce = async (store: ReturnType<typeof createMemoryRecordStore>, text: string) => {
    const s = createImportSession({ now: () => NOW, knownKeys: store });
    return writeToStore(s.run(csv(text), customers), { store, batchSize: 1 });
  };

  it('re-importing the same file changes nothing; a corrected row updates its record', async () => {
    const store = createMemoryRecordStore();
    expect(await importOnce(store, file('N'))).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const before = store.all().map((r) => r.hash);
    expect(await importOnce(store, file('N'))).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(store.all().map((r) => r.hash)).toEqual(before);
    expect(await importOnce(store, file('Y'))).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(store.get('customer:C2')?.record.verificationMethod).toBe('face_match');
  });

  it.each([
    [undefined, 'h1', 'inserted'],
    ['h1', 'h1', 'unchanged'],
    ['h1', 'h2', 'updated'],
  ] as const)('upsertOutcome(%s, %s) = %s', (stored, next, want) => {
    expect(upsertOutcome(stored, next)).toBe(want);
  });
});

describe('rejects writer', () => {
  async function write(format: 'csv' | 'ndjson') {
    let text = '';
    const out = new Writable({ write(chunk, _e, cb) { text += String(chunk); cb(); } });
    const w = createRejectsWriter(out, format);
    await w.write({ file: 'a.csv', line: 3, field: 'amount', reason: 'negative_amount', message: 'amount is negative' });
    await w.write({ file: 'a.csv', line: 7, reason: 'malformed_row', message: 'expected 2 columns, found 1' });
    await w.close();
    return { text, count: w.count };
  }
  it('writes CSV with header and quoting', async () => {
    expect(await write('csv')).toEqual({
      text: 'file,line,field,reason,message\na.csv,3,amount,negative_amount,amount is negative\na.csv,7,,malformed_row,"expected 2 columns, found 1"\n',
      count: 2,
    });
  });
  it('writes NDJSON', async () => {
    const { text } = await write('ndjson');
    expect(text.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { file: 'a.csv', line: 3, field: 'amount', reason: 'negative_amount', message: 'amount is negative' },
      { file: 'a.csv', line: 7, reason: 'malformed_row', message: 'expected 2 columns, found 1' },
    ]);
  });
});
