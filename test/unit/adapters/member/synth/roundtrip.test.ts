import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../../../adapters/member/import';
import { parseMapping } from '../../../../../adapters/member/mapping/validate';
import type { Reject } from '../../../../../adapters/member/clean/reasons';
import { createMemoryRecordStore, writeToStore } from '../../../../../adapters/member/clean/store';
import { generateConsortium, type SynthConsortium } from '../../../../../adapters/member/synth';
import { deriveSignals } from '../../../../../adapters/member/derive/derive';
import { groupBySubject } from '../../../../../adapters/member/derive/group';
import { SIGNAL_DATA_SCHEMAS } from '../../../../../protocol/signals';

let dir: string;
let synth: SynthConsortium;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synth-'));
  synth = await generateConsortium({ members: 3, customers: 300, seed: 'round-trip', outDir: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synthetic consortium round trip', () => {
  it('uses a different native format per member', () => {
    expect(synth.members.map((m) => m.format)).toEqual(['zh-csv', 'nested-ndjson', 'en-semicolon-csv']);
    const zh = readFileSync(join(dir, 'member-1', '订单.csv'), 'utf8');
    expect(zh.startsWith('\uFEFF订单号,客户编号')).toBe(true);
    expect(readFileSync(join(dir, 'member-3', 'orders.csv'), 'utf8').split('\n')[0]).toContain(';');
  });

  it('injects every kind of defect', () => {
    expect(new Set(synth.defects.map((d) => d.kind))).toEqual(
      new Set(['duplicate', 'bad_check_digit', 'missing_required', 'future_date', 'negative_amount']),
    );
  });

  it.each([0, 1, 2])('member %i: rejects are exactly the injected defects, everything else imports', async (i) => {
    const m = synth.members[i]!;
    const mapping = parseMapping(JSON.parse(readFileSync(join(dir, m.id, 'mapping.json'), 'utf8')));
    if (!mapping.ok) throw new Error(JSON.stringify(mapping.issues));
    const run = importFiles(mapping.mapping, m.files.map((f) => join(dir, m.id, f.name)), { now: () => new Date(synth.asOf) });
    if (!run.ok) throw new Error(`unmatched ${run.unmatched.join(',')}`);
    const rejects: Reject[] = [];
    const store = createMemoryRecordStore();
    const counts = await writeToStore(run.events, { store, onReject: (r) => void rejects.push(r) });
    const got = rejects.map((r) => `${r.file}:${r.line}:${r.reason}:${r.field ?? ''}`).sort();
    const want = synth.defects
      .filter((d) => d.member === m.id)
      .map((d) => `${d.file}:${d.line}:${d.reason}:${d.field ?? ''}`)
      .sort();
    expect(got).toEqual(want);
    const rows = m.files.reduce((n, f) => n + (f.text.match(/\n/g)?.length ?? 0), 0);
    const summary = run.session.summary();
    expect(summary.fatal).toBe(0);
    expect(summary.accepted + summary.rejected).toBe(summary.read);
    expect(summary.read).toBeLessThanOrEqual(rows);
    expect(counts.inserted).toBe(summary.accepted);

    // the imported records derive valid signals, and defaulters are the ones with overdue signals
    const bySubject = groupBySubject(store.all());
    const overdue = new Set<string>();
    for (const [subjectId, records] of bySubject) {
      for (const sig of deriveSignals(records, new Date(synth.asOf))) {
        expect(SIGNAL_DATA_SCHEMAS[sig.type].safeParse(sig.data).success).toBe(true);
        if (sig.type === 'repayment.overdue' && (sig.data.bucket === 'M3' || sig.data.bucket === 'M4+')) overdue.add(subjectId);
      }
    }
    const truth = new Map(synth.truth.map((t) => [t.subjectId, t]));
    expect(overdue.size).toBeGreaterThan(0);
    for (const s of overdue) expect(truth.get(s)?.defaulted).toBe(true);
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await generateConsortium({ members: 2, customers: 40, seed: 7 });
    const b = await generateConsortium({ members: 2, customers: 40, seed: 7 });
    const c = await generateConsortium({ members: 2, customers: 40, seed: 8 });
    expect(a).toEqual(b);
    expect(a.members[0]!.files[0]!.text).not.toEqual(c.members[0]!.files[0]!.text);
  });

  it('records ground truth with shared latent creditworthiness across members', () => {
    expect(synth.truth).toHaveLength(300);
    const multi = synth.truth.filter((t) => t.accounts.length > 1);
    expect(multi.length).toBeGreaterThan(100);
    const defaulted = synth.truth.filter((t) => t.defaulted);
    expect(defaulted.length).toBeGreaterThan(0);
    const meanZ = (xs: typeof synth.truth) => xs.reduce((s, t) => s + t.creditworthiness, 0) / xs.length;
    expect(meanZ(defaulted)).toBeLessThan(meanZ(synth.truth.filter((t) => !t.defaulted)));
  });
});
