import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSynthArgs, runSynth } from '../../../../../adapters/member/synth';
import { isValidResidentId } from '../../../../../protocol/subject';
import { createPrng, residentId } from '../../../../../adapters/member/synth';

describe('synth verb', () => {
  it.each([
    [{ members: '0', out: 'x' }, '--members'],
    [{ customers: 'many', out: 'x' }, '--customers'],
    [{}, '--out'],
  ])('rejects %j naming the option', (raw, name) => {
    const r = parseSynthArgs(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(name);
  });

  it('writes members, mappings, manifest and ground truth', async () => {
    const out = mkdtempSync(join(tmpdir(), 'synth-cli-'));
    try {
      const parsed = parseSynthArgs({ members: '4', customers: '50', seed: 's', out });
      if (!parsed.ok) throw new Error(parsed.error);
      const report = await runSynth(parsed.args);
      expect(readdirSync(out).sort()).toEqual(['ground-truth.ndjson', 'manifest.json', 'member-1', 'member-2', 'member-3', 'member-4']);
      expect(readdirSync(join(out, 'member-4')).sort()).toEqual(readdirSync(join(out, 'member-1')).sort());
      expect(report.files).toBe(4 * 7 + 2);
      expect(report.lines[0]).toContain('seed s');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('generates valid GB 11643 resident IDs', () => {
    const rng = createPrng(1);
    for (let i = 0; i < 500; i++) expect(isValidResidentId(residentId(rng))).toBe(true);
  });
});
