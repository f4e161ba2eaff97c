import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainScorecard } from '../../../../scoring';
import { modelEvaluateCommand, modelInstallCommand, modelListCommand, modelRollbackCommand, modelTrainCommand } from '../../../../node/cli/commands/model';
import { parseCommandArgs, UsageError, type CliIo, type Command } from '../../../../node/cli/command';
import { POPULATION_AS_OF, syntheticPopulation } from '../../../../node/decisions/train/population';
import { trainingRows } from '../../../../node/decisions/train/rows';
import { createHarness, goodHistory, type Harness } from './harness';

async function run(cmd: Command, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, stopSignal: new Promise(() => undefined), isTTY: false };
  const p = parseCommandArgs(cmd, argv);
  const code = await cmd.run({ values: p.values, positionals: p.positionals }, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('model install and rollback on a running node', () => {
  let h: Harness;
  let file: string;
  const ID = '+8613500135000';
  beforeAll(async () => {
    h = await createHarness();
    // An externally produced model: trained on other data (own features only, another seed) and another version.
    const rows = trainingRows(syntheticPopulation(3000, 7), POPULATION_AS_OF);
    const own = ['own_has_relationship', 'own_days_since_last_order', 'own_months_on_book', 'own_order_count_12m', 'own_max_dpd_12m', 'own_current_dpd'];
    const trained = trainScorecard(rows, { modelVersion: 'acme-own-2026-11', seed: 7, useFeatures: own });
    file = join(h.dir, 'acme.onnx');
    writeFileSync(file, trained.onnxBytes);
    const p = h.subjects.pseudonymOf(ID);
    if (!p.ok) throw new Error(p.message);
    h.own.set(p.pseudonym.value, goodHistory(h.clock.now(), { orderCount12m: 4, maxDaysPastDue12m: 5 }));
  });
  afterAll(async () => h.close());

  const decideNow = async () => (await (await h.call('POST', '/admin/v1/decisions', { subject: { id: ID } })).json()) as Record<string, any>;

  it('installs the shipped default model at first start', async () => {
    const list = await run(modelListCommand, ['--dir', h.dir]);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^\* consortium-scorecard-1 {2}scorecard {2}[0-9a-f]{64}/);
    const registry = JSON.parse(readFileSync(join(h.dir, 'models', 'registry.json'), 'utf8')) as { models: unknown[] };
    expect(registry.models).toHaveLength(1);
  });

  it('a model installed by the CLI changes decisions without a restart; rollback restores the previous one', async () => {
    const before = await decideNow();
    expect(before.versions.model).toBe('consortium-scorecard-1');

    const installed = await run(modelInstallCommand, ['--dir', h.dir, file]);
    expect(installed).toMatchObject({ code: 0, out: expect.stringContaining('installed and activated acme-own-2026-11') });
    const after = await decideNow();
    expect(after.versions.model).toBe('acme-own-2026-11');
    expect(after.modelId).not.toBe(before.modelId);
    expect(after.pd).not.toBeCloseTo(before.pd, 6);

    const list = await run(modelListCommand, ['--dir', h.dir]);
    expect(list.out.split('\n').map((l) => l.slice(0, 2))).toEqual(['- ', '* ']);

    const rolled = await run(modelRollbackCommand, ['--dir', h.dir]);
    expect(rolled).toMatchObject({ code: 0, out: expect.stringContaining('consortium-scorecard-1') });
    const back = await decideNow();
    expect(back.versions.model).toBe('consortium-scorecard-1');
    expect(back.pd).toBeCloseTo(before.pd, 12);
  });

  it('refuses a file that breaks the model contract and keeps the active model', async () => {
    const bad = join(h.dir, 'bad.onnx');
    writeFileSync(bad, new Uint8Array([8, 1, 18, 0]));
    const r = await run(modelInstallCommand, ['--dir', h.dir, bad]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^model refused: MODEL_[A-Z_]+: /);
    expect((await decideNow()).versions.model).toBe('consortium-scorecard-1');
  });

  it('model train writes a reproducible scorecard and model evaluate reports the consortium uplift', async () => {
    const out = join(h.dir, 'trained.onnx');
    const trained = await run(modelTrainCommand, ['--out', out, '--subjects', '2000', '--seed', '11', '--model-version', 'small-1']);
    expect(trained.code).toBe(0);
    expect(trained.out).toMatch(/model small-1: seed 11, 1400 training and 600 hold-out subjects/);
    expect(trained.out).toMatch(/hold-out: AUC 0\.\d{3} {2}KS 0\.\d{3} {2}Gini/);
    const again = join(h.dir, 'again.onnx');
    await run(modelTrainCommand, ['--out', again, '--subjects', '2000', '--seed', '11', '--model-version', 'small-1']);
    expect(readFileSync(again)).toEqual(readFileSync(out));

    const evaluated = await run(modelEvaluateCommand, ['--dir', h.dir, '--subjects', '2000', '--seed', '11']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toMatch(/own data only: +AUC/);
    expect(evaluated.out).toMatch(/consortium vs own-only: AUC \+0\.\d{3}, KS \+0\.\d{3}, bad rate at equal approval 50\.0%: -/);
    await expect(run(modelTrainCommand, ['--out', out, '--subjects', '5'])).rejects.toThrow(UsageError);
  });
});
