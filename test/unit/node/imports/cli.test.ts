import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../../../node/cli/commands/import';
import { synthCommand } from '../../../../node/cli/commands/synth';
import { UsageError, type CliIo } from '../../../../node/cli/command';
import { joinedNodes } from '../../../support/member-fixture';
import { tempNode } from '../../../support/node-dir';
import { smallMapping, writeSmallExport } from './small-fixture';

function io(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => void lines.push(l), err: (l) => void errors.push(l), env: {}, stopSignal: new Promise(() => undefined), isTTY: false };
}

describe('consortium-node import', () => {
  let fx: Awaited<ReturnType<typeof joinedNodes>>;
  let work: string;
  let mapping: string;
  beforeAll(async () => {
    fx = await joinedNodes(['shop-cli']);
    work = mkdtempSync(join(tmpdir(), 'cli-import-'));
    mapping = join(work, 'mapping.json');
    writeFileSync(mapping, JSON.stringify(smallMapping));
  });
  afterAll(() => {
    fx.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('imports, prints the summary and the rejects file, and is idempotent', async () => {
    const files = writeSmallExport(work, { overdue: true, badId: true });
    const rejects = join(work, 'rejects.csv');
    const first = io();
    const code = await importCommand.run({ values: { dir: fx.nodes[0]!.dir, mapping, rejects }, positionals: files }, first);
    expect(first.errors).toEqual([]);
    expect(code).toBe(0);
    const text = first.lines.join('\n');
    expect(text).toMatch(/import imp-[0-9a-f]{24}: succeeded/);
    expect(text).toContain('read 7, accepted 6 (inserted 6, updated 0, unchanged 0), rejected 1');
    expect(text).toContain('rejected by reason: invalid_identifier 1');
    expect(text).toContain('skipped without sharing consent 2 subjects');
    expect(text).toContain(`rejects file: ${rejects} (1 rows)`);
    expect(readFileSync(rejects, 'utf8')).toContain('customers.csv,4,subjectId,invalid_identifier');

    const again = io();
    expect(await importCommand.run({ values: { dir: fx.nodes[0]!.dir, mapping }, positionals: files }, again)).toBe(0);
    expect(again.lines.join('\n')).toContain('accepted 6 (inserted 0, updated 0, unchanged 6), rejected 1');
  }, 120_000); // the first import creates the node's PGlite database (initdb): slow on a loaded machine

  it('draws a progress bar on a terminal and plain progress lines otherwise', async () => {
    const files = writeSmallExport(work, { overdue: false });
    const written: string[] = [];
    const tty = { ...io(), isTTY: true, terminal: { write: (s: string) => void written.push(s), columns: 120 } };
    expect(await importCommand.run({ values: { dir: fx.nodes[0]!.dir, mapping }, positionals: files }, tty)).toBe(0);
    const drawn = written.join('');
    expect(drawn).toMatch(/^\r\[[#.]{30}\] +\d+%  \d+\/\d+ rows, \d+ rejected/);
    expect(drawn.endsWith('\n')).toBe(true);
    expect(tty.lines.some((l) => l.startsWith('progress:'))).toBe(false);
    expect(tty.lines.join('\n')).toContain('read 6, accepted 6');

    const plain = { ...io(), terminal: { write: (s: string) => void written.push(s) } };
    written.length = 0;
    expect(await importCommand.run({ values: { dir: fx.nodes[0]!.dir, mapping }, positionals: files }, plain)).toBe(0);
    expect(written).toEqual([]);
    expect(plain.lines[0]).toMatch(/^progress: customers\.csv read \d+, accepted \d+, rejected 0, inserted \d+, updated \d+, unchanged \d+$/);
    expect(plain.lines.join('\n')).toContain('unchanged 6');
  });

  it('exits 1 when nothing could be imported or the mapping does not fit', async () => {
    const bad = join(work, 'customers-bad.csv');
    writeFileSync(bad, 'customerRef,subjectId,name,verificationMethod,registeredAt\nC-9,110105194912310021,X,face_match,2025-01-01T00:00:00Z\n');
    const none = io();
    expect(await importCommand.run({ values: { dir: fx.nodes[0]!.dir, mapping }, positionals: [bad] }, none)).toBe(1);
    expect(none.lines.join('\n')).toMatch(/: failed \(nothing could be imported\)/);
    const unmatched = io();
    expect(await importCommand.run({ values: { dir: fx.nodes[0]!.dir, mapping }, positionals: [join(work, 'x.txt')] }, unmatched)).toBe(1);
    expect(unmatched.errors.join('\n')).toContain('no section of the mapping matches x.txt');
  });

  it('refuses a node that has not joined', async () => {
    const n = await tempNode('lonely');
    try {
      const out = io();
      expect(await importCommand.run({ values: { dir: n.dir, mapping }, positionals: [join(work, 'customers.csv')] }, out)).toBe(1);
      expect(out.errors.join('\n')).toContain('consortium-node join');
    } finally {
      n.cleanup();
    }
  });
});

describe('consortium-node synth', () => {
  it('writes the members, mappings, manifest and ground truth; validates its options', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cli-synth-'));
    try {
      const o = io();
      expect(await synthCommand.run({ values: { out, members: '2', customers: '20', seed: '7' }, positionals: [] }, o)).toBe(0);
      expect(o.lines[0]).toContain('seed 7');
      for (const f of ['manifest.json', 'ground-truth.ndjson', 'member-1/mapping.json', 'member-2/mapping.json']) expect(existsSync(join(out, f))).toBe(true);
      await expect(synthCommand.run({ values: { out, members: '99' }, positionals: [] }, io())).rejects.toThrow(UsageError);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
