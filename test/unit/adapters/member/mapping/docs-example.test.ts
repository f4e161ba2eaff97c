import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../../../adapters/member/import';
import { knownKeysFromSet } from '../../../../../adapters/member/clean/keys-index';
import type { ImportEvent } from '../../../../../adapters/member/clean/pipeline';
import { loadMappingFile } from '../../../../../adapters/member/mapping/validate';

const dir = join(import.meta.dirname, '../../../../fixtures/member/docs-example');

describe('docs/mappings.md §7 example', () => {
  it('imports the example files into exactly the records the document shows', async () => {
    const m = await loadMappingFile(join(dir, 'mapping.json'));
    if (!m.ok) throw new Error(JSON.stringify(m.issues));
    // files given in the "wrong" order: the plan imports customers first
    const run = importFiles(m.mapping, [join(dir, 'orders-2024-06.ndjson'), join(dir, '客户导出.csv')], {
      now: () => new Date('2025-01-01T00:00:00Z'),
      knownKeys: knownKeysFromSet(['creditLine:L-1']),
    });
    if (!run.ok) throw new Error('unmatched');
    const events: ImportEvent[] = [];
    for await (const e of run.events) events.push(e);
    expect(events.map((e) => (e.kind === 'accepted' ? [e.accepted.file, e.accepted.line, e.accepted.record] : e))).toEqual([
      ['客户导出.csv', 2, {
        customerRef: 'C-1', subjectId: 'cn-rid:11010519491231002X', phone: 'tel:+8613800138000', name: '张三',
        registeredAt: '2023-05-01T10:00:00+08:00', verificationMethod: 'face_match',
      }],
      ['orders-2024-06.ndjson', 1, {
        orderRef: 'SO-1', customerRef: 'C-1', placedAt: '2024-06-01T08:00:00+08:00', amount: 129900, currency: 'CNY',
        paymentMethod: 'bnpl', creditLineRef: 'L-1', status: 'completed',
      }],
    ]);
  });
});
