import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process';

/** A base port with `n` free consecutive ports after it (checked, not assumed). */
async function freeRange(n: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all(
      Array.from({ length: n }, (_, i) => new Promise<boolean>((resolve) => {
        const s = createServer().once('error', () => resolve(false));
        s.listen(base + i, '127.0.0.1', () => s.close(() => resolve(true)));
      })),
    );
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

describe('consortium-node demo --once', { timeout: 300_000 }, () => {
  it('sets up three members, replicates and verifies everything, and honours a withdrawal', async () => {
    const base = await freeRange(3);
    const demo = runCli(['demo', '--once', '--members', '3', '--base-port', String(base), '--dir', mkdtempSync(join(tmpdir(), 'demo-e2e-'))]);
    expect(await demo.exited).toBe(0);
    const out = demo.stdout();
    expect(out).toMatch(/Recorded 13 signal-sharing consents for 5 customers/);
    expect(out).toMatch(/Published 27 signed signals/);
    const imports = out.split('imported its own exports')[1]!.split('Replication')[0]!;
    const importRows = imports.split('\n').filter((l) => /^\s+shop-[abc]\s/.test(l));
    expect(importRows).toHaveLength(3);
    for (const r of importRows) {
      const [, , , rows, accepted, rejected] = r.trim().split(/\s+/);
      expect(Number(accepted) + Number(rejected)).toBe(Number(rows));
      expect(Number(rejected)).toBeGreaterThan(0);
      expect(Number(r.trim().split(/\s+/).at(-1))).toBeGreaterThan(0);
    }
    const replication = out.split('Replication')[1]!.split('What shop-a knows')[0]!;
    const rows = replication.split('\n').filter((l) => /^\s+shop-[abc]\s+shop-/.test(l));
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r).toMatch(/\sok\s+(\d+)\s+\1\s+0$/);
    expect(out).toMatch(/signals from shop-b about them 2 -> 0; from others 4 -> 4/);
    const decisions = out.split('Joint decisions at shop-a')[1]!;
    expect(decisions).toMatch(/Li Wei\s+C\s.*M2 or worse: grade capped at C/);
    expect(decisions).toMatch(/Chen Jie\s+D\s+-\s+CNY 0\s+frozen\s.*confirmed fraud/);
    expect(decisions).toMatch(/sesameScore=\d+ sesameAdmittance=(true|false) wechatPayScore=(true|false)/);
    expect(out).toMatch(/Merchant checkout at shop-a: .* consent token, over the partner API/);
    expect(out).toMatch(/capture\s+CNY [\d,.]+ of the hold \(captured\)/);
    expect(out).toContain('Demo stopped.');
    expect(demo.stderr()).not.toMatch(/"level":(50|60)/);
  });
});
