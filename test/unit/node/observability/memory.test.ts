import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fullGarbageCollector } from '../../../../node/observability/memory';

const memoryModule = fileURLToPath(new URL('../../../../node/observability/memory.ts', import.meta.url));

describe('full garbage collector', () => {
  it('collects on demand without exposing gc globally', async () => {
    const had = 'gc' in globalThis;
    const gc = fullGarbageCollector();
    expect(gc).toBe(fullGarbageCollector());
    let garbage: number[][] | null = Array.from({ length: 1000 }, (_, i) => [i]);
    const ref = new WeakRef(garbage);
    garbage = null;
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef keeps its target alive until the job ends
    gc();
    expect(ref.deref()).toBeUndefined();
    expect('gc' in globalThis).toBe(had);
  });
});

describe('disableAllocationSitePretenuring', () => {
  it('stops V8 from deciding to pretenure objects made in bursts that are all alive at a collection', () => {
    // A child process: rows made in bursts, all alive when a young collection runs (as an import's
    // reader chunks and event batches are); V8 reports its pretenuring decisions on stdout.
    const dir = mkdtempSync(join(tmpdir(), 'pretenuring-'));
    try {
      const script = join(dir, 'burst.mts');
      writeFileSync(script, `
import { disableAllocationSitePretenuring } from ${JSON.stringify(memoryModule)};
if (process.argv[2] === 'off') disableAllocationSitePretenuring();
const make = (i: number) => ({ line: i, record: { a: String(i) } });
let keep: unknown[] = [];
for (let round = 0; round < 6; round++) {
  keep = [];
  for (let i = 0; i < 3000; i++) keep.push(make(i));
  (globalThis as unknown as { gc: (o: { type: string }) => void }).gc({ type: 'minor' });
}
console.log('kept', keep.length);
`);
      const run = (mode: string) => execFileSync(process.execPath, ['--expose-gc', '--trace-pretenuring-statistics', '--import', 'tsx', script, mode], { encoding: 'utf8', timeout: 30_000 });
      const byDefault = run('default');
      expect(byDefault).toContain('kept 3000');
      expect(byDefault).toMatch(/AllocationSite\(.*\(created, found, ratio\).*=> (maybe )?tenure/);
      const off = run('off');
      expect(off).toContain('kept 3000');
      expect(off).not.toContain('AllocationSite');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
