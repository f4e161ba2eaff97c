/**
 * `model` verbs (issue 7 §2-3): install, roll back and list the models of a node directory (`DIR/models/`; a running
 * node picks changes up at its next evaluation), train the default scorecard and evaluate the installed model.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDirModelFiles, createModelRegistry, type Metrics, type ModelRegistry } from '../../../scoring';
import { DEFAULT_TRAIN, evaluateOnPopulation, trainDefaultModel } from '../../decisions/train/pipeline';
import { exitCodes, optionalInt, requireString, type CliIo, type Command } from '../command';

/** The models directory of a node directory. */
export const modelsDirOf = (dir: string) => join(dir, 'models');

async function openRegistry(dir: string, io: CliIo): Promise<ModelRegistry | null> {
  const registry = createModelRegistry({ files: createDirModelFiles(modelsDirOf(dir)), now: () => new Date() });
  const r = await registry.init();
  if (!r.ok) {
    io.err(`model registry in ${modelsDirOf(dir)}: ${r.error.code}: ${r.error.message}`);
    return null;
  }
  return registry;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);
const metricsLine = (m: Metrics) =>
  `AUC ${f3(m.auc)}  KS ${f3(m.ks)}  Gini ${f3(m.gini)}  bad rate ${pct(m.badRate)}  bad rate at approval ${Object.entries(m.badRateAtApproval).map(([r, b]) => `${pct(Number(r))}: ${pct(b)}`).join(', ')}`;

const dirOption = { dir: { type: 'string' } } as const;
const dirDetail = '--dir DIR      the node directory (models live in DIR/models)';

/** `model install --dir DIR FILE`. */
export const modelInstallCommand: Command = {
  name: 'model install',
  summary: 'Validate an ONNX model against the model contract, install it and make it active (the previous one stays for rollback).',
  usage: 'model install --dir DIR FILE',
  details: [dirDetail, 'FILE           the .onnx file (docs/scoring.md section 3 and 4)'],
  options: dirOption,
  positionals: { min: 1, max: 1, name: 'FILE (the .onnx model to install)' },
  async run({ values, positionals }, io) {
    const dir = requireString(values, 'dir', 'the node directory');
    const file = positionals[0]!;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (err) {
      io.err(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return exitCodes.failure;
    }
    const registry = await openRegistry(dir, io);
    if (!registry) return exitCodes.failure;
    const r = await registry.install(bytes, { activate: true });
    if (!r.ok) {
      io.err(`model refused: ${r.error.code}: ${r.error.message}`);
      return exitCodes.failure;
    }
    io.out(`installed and activated ${r.value.modelVersion} (${r.value.kind}, id ${r.value.id})`);
    return exitCodes.ok;
  },
};

/** `model rollback --dir DIR`. */
export const modelRollbackCommand: Command = {
  name: 'model rollback',
  summary: 'Make the previously active model active again.',
  usage: 'model rollback --dir DIR',
  details: [dirDetail],
  options: dirOption,
  async run({ values }, io) {
    const registry = await openRegistry(requireString(values, 'dir', 'the node directory'), io);
    if (!registry) return exitCodes.failure;
    const r = await registry.rollback();
    if (!r.ok) {
      io.err(`${r.error.code}: ${r.error.message}`);
      return exitCodes.failure;
    }
    io.out(`active model is now ${r.value.modelVersion} (id ${r.value.id})`);
    return exitCodes.ok;
  },
};

/** `model list --dir DIR`. */
export const modelListCommand: Command = {
  name: 'model list',
  summary: 'List installed models; the active one is marked *, the rollback target -.',
  usage: 'model list --dir DIR',
  details: [dirDetail],
  options: dirOption,
  async run({ values }, io) {
    const registry = await openRegistry(requireString(values, 'dir', 'the node directory'), io);
    if (!registry) return exitCodes.failure;
    const s = registry.state();
    if (s.models.length === 0) io.out('no models installed');
    for (const m of s.models) {
      const mark = m.id === s.active ? '*' : m.id === s.previous ? '-' : ' ';
      io.out(`${mark} ${m.modelVersion}  ${m.kind}  ${m.id}  installed ${m.installedAt}`);
    }
    return exitCodes.ok;
  },
};

/** `model train --out FILE [--seed S] [--subjects N] [--model-version V]`. */
export const modelTrainCommand: Command = {
  name: 'model train',
  summary: 'Train the WoE credit scorecard on the seeded synthetic consortium and export it as ONNX (reproducible).',
  usage: 'model train --out FILE [--seed S] [--subjects N] [--model-version V]',
  details: [
    '--out FILE          where to write the .onnx model',
    `--seed S            population and split seed (default ${DEFAULT_TRAIN.seed})`,
    `--subjects N        population size, 1000 to 1000000 (default ${DEFAULT_TRAIN.subjects})`,
    `--model-version V   model_version metadata (default ${DEFAULT_TRAIN.modelVersion})`,
  ],
  options: { out: { type: 'string' }, seed: { type: 'string' }, subjects: { type: 'string' }, 'model-version': { type: 'string' } },
  async run({ values }, io) {
    const out = requireString(values, 'out', 'the .onnx file to write');
    const seed = optionalInt(values, 'seed', 0, 2 ** 32 - 1);
    const subjects = optionalInt(values, 'subjects', 1000, 1_000_000);
    const modelVersion = values['model-version'] as string | undefined;
    const { onnxBytes, report } = trainDefaultModel({ ...(seed !== undefined ? { seed } : {}), ...(subjects !== undefined ? { subjects } : {}), ...(modelVersion ? { modelVersion } : {}) });
    await writeFile(out, onnxBytes);
    io.out(`model ${report.modelVersion}: seed ${report.seed}, ${report.nTrain} training and ${report.nHoldout} hold-out subjects, ${onnxBytes.length} bytes -> ${out}`);
    io.out(`train:    ${metricsLine(report.train)}`);
    io.out(`hold-out: ${metricsLine(report.holdout)}`);
    return exitCodes.ok;
  },
};

/** `model evaluate --dir DIR [--seed S] [--subjects N]`. */
export const modelEvaluateCommand: Command = {
  name: 'model evaluate',
  summary: 'Evaluate the active model on a synthetic hold-out and compare own-data-only with consortium scorecards on the same customers.',
  usage: 'model evaluate --dir DIR [--seed S] [--subjects N]',
  details: [dirDetail, `--seed S       population and split seed (default ${DEFAULT_TRAIN.seed})`, `--subjects N   population size, 1000 to 1000000 (default ${DEFAULT_TRAIN.subjects})`],
  options: { ...dirOption, seed: { type: 'string' }, subjects: { type: 'string' } },
  async run({ values }, io) {
    const registry = await openRegistry(requireString(values, 'dir', 'the node directory'), io);
    if (!registry) return exitCodes.failure;
    const model = registry.active();
    if (!model) {
      io.err('no active model: run consortium-node model install --dir DIR FILE');
      return exitCodes.failure;
    }
    const seed = optionalInt(values, 'seed', 0, 2 ** 32 - 1);
    const subjects = optionalInt(values, 'subjects', 1000, 1_000_000);
    const s = await evaluateOnPopulation(model, { ...(seed !== undefined ? { seed } : {}), ...(subjects !== undefined ? { subjects } : {}) });
    const u = s.uplift;
    io.out(`synthetic consortium: seed ${s.seed}, ${s.subjects} subjects, ${s.holdout} hold-out customers`);
    io.out(`installed ${s.installed.modelVersion}: ${metricsLine(s.installed.metrics)}`);
    io.out(`own data only:        ${metricsLine(u.baseline.metrics)}`);
    io.out(`consortium:           ${metricsLine(u.candidate.metrics)}`);
    io.out(`consortium vs own-only: AUC ${u.delta.auc >= 0 ? '+' : ''}${f3(u.delta.auc)}, KS ${u.delta.ks >= 0 ? '+' : ''}${f3(u.delta.ks)}, bad rate at equal approval ${Object.entries(u.delta.badRateReduction).map(([r, x]) => `${pct(Number(r))}: ${x >= 0 ? "-" : "+"}${pct(Math.abs(x))} relative`).join(', ')}`);
    return exitCodes.ok;
  },
};

/** All `model` verbs, for the CLI's command list. */
export const modelCommands: Command[] = [modelInstallCommand, modelRollbackCommand, modelListCommand, modelTrainCommand, modelEvaluateCommand];
