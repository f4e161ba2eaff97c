import { resolve } from 'node:path';
import { parseSynthArgs, runSynth } from '../../../adapters/member';
import { UsageError, exitCodes, type Command } from '../command';

/** `consortium-node synth`: writes a seeded synthetic consortium (docs/data-standard.md §8). */
export const synthCommand: Command = {
  name: 'synth',
  summary: "Generate a synthetic consortium: each member's exports in its own native format, its mapping, injected defects and ground truth.",
  usage: 'synth --out DIR [--members N] [--customers M] [--seed S]',
  details: [
    '--out DIR         where to write <member>/<files>, <member>/mapping.json, manifest.json, ground-truth.ndjson',
    '--members N       number of members, 1-26 (default 3); member i uses one of three native formats',
    '--customers M     number of distinct people, 1-1000000 (default 1000); people shop at several members',
    '--seed S          seed: the same seed and options write the same bytes (default 1)',
  ],
  options: { out: { type: 'string' }, members: { type: 'string' }, customers: { type: 'string' }, seed: { type: 'string' } },
  async run({ values }, io) {
    const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
    const parsed = parseSynthArgs({ members: str('members'), customers: str('customers'), seed: str('seed'), out: str('out') });
    if (!parsed.ok) throw new UsageError(parsed.error);
    const report = await runSynth({ ...parsed.args, out: resolve(parsed.args.out) });
    for (const line of report.lines) io.out(line);
    io.out(`Import a member's exports: consortium-node import --dir NODE_DIR --mapping ${resolve(parsed.args.out)}/member-1/mapping.json <its export files>`);
    return exitCodes.ok;
  },
};
