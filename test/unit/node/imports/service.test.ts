import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateConsortium, type SynthConsortium } from '../../../../adapters/member';
import type { ImportResult } from '../../../../node/imports';
import { derivedSignals, memberRecords } from '../../../../node/store/schema';
import { importStack } from './fixture';
import { RIDS, smallMapping, writeSmallExport } from './small-fixture';

const done = (r: Awaited<ReturnType<Awaited<ReturnType<typeof importStack>>['service']['runImport']>>): ImportResult => {
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r;
};

describe('import of the synthetic consortium through the node', () => {
  let dir: string;
  let synth: SynthConsortium;
  let stack: Awaited<ReturnType<typeof importStack>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'synth-node-'));
    synth = await generateConsortium({ members: 3, customers: 120, seed: 'node-import', outDir: dir });
    stack = await importStack('member-1', () => new Date(synth.asOf));
  });
  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects exactly the injected defects, publishes only for consenting subjects, and re-imports change nothing', async () => {
    const m = synth.members[0]!;
    const people = synth.truth.filter((t) => t.accounts.some((a) => a.member === m.id));
    const consenting = people.filter((_, i) => i % 2 === 0);
    for (const p of consenting) await stack.grant(p.residentId);
    const files = m.files.map((f) => join(dir, m.id, f.name));
    const first = done(await stack.service.runImport({ mappingPath: join(dir, m.id, 'mapping.json'), files }));
    expect(first.status).toBe('succeeded');
    const rejects = parse(readFileSync(first.rejectsPath), { columns: true }) as { file: string; line: string; field: string; reason: string }[];
    const got = rejects.map((r) => `${r.file}:${r.line}:${r.reason}:${r.field}`).sort();
    const want = synth.defects.filter((d) => d.member === m.id).map((d) => `${d.file}:${d.line}:${d.reason}:${d.field ?? ''}`).sort();
    expect(got).toEqual(want);
    const s = first.summary;
    expect(s.fatal).toEqual([]);
    expect(s.accepted + s.rejected).toBe(s.read);
    expect(s.inserted).toBe(s.accepted);
    expect(s.signals.published).toBeGreaterThan(0);
    expect(s.signals.skippedNoConsent).toBeGreaterThan(0);
    expect(s.signals.published).toBe(stack.network.appended.length);
    // only consenting subjects' pseudonyms appear in the log
    const allowed = new Set(consenting.map((p) => (stack.subjects.pseudonymOf(p.residentId) as { ok: true; pseudonym: { value: string } }).pseudonym.value));
    expect(stack.network.appended.every((sig) => allowed.has(sig.body.subject.value))).toBe(true);
    const stored = await stack.db.db.select().from(derivedSignals);
    expect(stored.length).toBe(s.signals.published);

    const appended = stack.network.appended.length;
    const again = done(await stack.service.runImport({ mappingPath: join(dir, m.id, 'mapping.json'), files }));
    expect(again.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: s.accepted, accepted: s.accepted, rejected: s.rejected });
    expect(again.summary.signals).toMatchObject({ published: 0, retracted: 0 });
    expect(stack.network.appended.length).toBe(appended);

    const run = await stack.service.get(first.id);
    expect(run).toMatchObject({ status: 'succeeded', mapping: 'mapping.json' });
    expect((run!.summary as { inserted: number }).inserted).toBe(s.inserted);
  });

  it('keeps personal data out of plain columns', async () => {
    const m = synth.members[0]!;
    const ids = synth.truth.filter((t) => t.accounts.some((a) => a.member === m.id)).map((t) => t.residentId);
    const rows = await stack.db.db.select().from(memberRecords);
    expect(rows.length).toBeGreaterThan(0);
    const plain = JSON.stringify(rows.map(({ sealed: _s, ...rest }) => rest));
    for (const id of ids) expect(plain).not.toContain(id.slice(0, 17));
    expect(plain).not.toContain('cn-rid:');
    expect(plain).not.toContain('tel:+');
    const customers = rows.filter((r) => r.entity === 'customer');
    expect(customers.every((c) => c.sealed instanceof Uint8Array && c.sealed.length > 24)).toBe(true);
    const sealedText = Buffer.concat(customers.map((c) => Buffer.from(c.sealed!))).toString('latin1');
    expect(sealedText).not.toContain(ids[0]!.slice(0, 17));
  });
});

describe('corrections and consent', () => {
  let dir: string;
  let stack: Awaited<ReturnType<typeof importStack>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'small-'));
    stack = await importStack('shop-a', () => new Date('2026-11-23T10:00:00Z'));
  });
  afterAll(async () => {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a corrected row updates its record, retracts the replaced signal and publishes the new state', async () => {
    await stack.grant(RIDS[0]);
    const first = done(await stack.service.runImport({ mapping: smallMapping, files: writeSmallExport(dir, { overdue: true, badId: true }) }));
    expect(first.summary).toMatchObject({ read: 7, accepted: 6, inserted: 6, rejected: 1, rejectedByReason: { invalid_identifier: 1 } });
    expect(first.summary.signals.skippedNoConsent).toBe(1);
    const types = stack.network.appended.map((s) => s.body.type).sort();
    expect(types).toContain('repayment.overdue');
    const overdue = stack.network.appended.find((s) => s.body.type === 'repayment.overdue')!;
    const before = stack.network.appended.length;

    const fixed = done(await stack.service.runImport({ mapping: smallMapping, files: writeSmallExport(dir, { overdue: false }) }));
    expect(fixed.summary).toMatchObject({ inserted: 0, updated: 1, unchanged: 5 });
    const added = stack.network.appended.slice(before);
    const retractions = added.filter((s) => s.body.type === 'signal.retracted').map((s) => s.body.data);
    expect(retractions).toContainEqual({ target: overdue.body.id, reason: 'superseded' });
    expect(retractions.length).toBe(fixed.summary.signals.retracted);
    expect(added.map((s) => s.body.type)).toContain('repayment.on_time');
    expect(fixed.summary.signals.retracted).toBeGreaterThanOrEqual(1);
    const keys = (await stack.db.db.select().from(derivedSignals)).map((r) => r.key);
    expect(keys).not.toContain('repayment.overdue:L-1');
  });

  it('derives skipped subjects once they consent', async () => {
    const before = stack.network.appended.length;
    await stack.grant(RIDS[1]);
    const d = await stack.service.derivePending!({ includeNoConsent: true });
    expect(d.skippedNoConsent).toBe(0);
    expect(d.published).toBeGreaterThan(0);
    expect(stack.network.appended.length).toBe(before + d.published);
    const again = await stack.service.derivePending!({ includeNoConsent: true });
    expect(again).toMatchObject({ published: 0, retracted: 0 });
  });

  it('refuses unknown files and invalid mappings, and fails when nothing imports', async () => {
    const r1 = await stack.service.runImport({ mapping: smallMapping, files: [join(dir, 'other.csv')] });
    expect(r1).toMatchObject({ ok: false, code: 'import-file-unmatched', unmatched: ['other.csv'] });
    const bad = join(dir, 'bad-mapping.json');
    writeFileSync(bad, '{"format":"nope"}');
    const r2 = await stack.service.runImport({ mappingPath: bad, files: [join(dir, 'customers.csv')] });
    expect(r2).toMatchObject({ ok: false, code: 'import-mapping-invalid' });
    const empty = join(dir, 'customers-empty.csv');
    writeFileSync(empty, 'customerRef,subjectId,name,verificationMethod,registeredAt\nC-9,110105194912310021,X,face_match,2025-01-01T00:00:00Z\n');
    const r3 = done(await stack.service.runImport({ mapping: smallMapping, files: [empty] }));
    expect(r3).toMatchObject({ status: 'failed', error: 'nothing could be imported', summary: { accepted: 0, rejected: 1 } });
    expect(readFileSync(r3.rejectsPath, 'utf8')).not.toContain('110105194912310021');
  });
});

describe('memory of long imports', () => {
  it('runs a full garbage collection after every gcEveryRows rows written', async () => {
    let collections = 0;
    const stack = await importStack('shop-gc', () => new Date('2026-11-23T10:00:00Z'), undefined, 2, { collectGarbage: () => { collections++; }, gcEveryRows: 4 });
    try {
      const r = done(await stack.service.runImport({ mapping: smallMapping, files: writeSmallExport(stack.workDir, { overdue: false }), deferDerivation: true }));
      expect(r.summary.inserted).toBeGreaterThanOrEqual(4);
      expect(collections).toBe(Math.floor(r.summary.accepted / 4));
    } finally {
      await stack.close();
    }
  });
});

