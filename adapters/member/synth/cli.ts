/**
 * The `consortium-node synth --members N --customers M --seed S --out DIR` verb's logic (the node's
 * CLI parses argv and prints the returned lines).
 */
import { generateConsortium, type SynthOptions } from './generate';

/** Validated arguments of the synth verb. */
export interface SynthArgs { members: number; customers: number; seed: string; out: string; asOf?: Date }

/** Result of the synth verb: what was written, as printable lines. */
export interface SynthReport { lines: string[]; defects: number; files: number }

/** Parses the verb's string options; returns an error message naming the bad option instead of throwing. */
export function parseSynthArgs(raw: { members?: string; customers?: string; seed?: string; out?: string }): { ok: true; args: SynthArgs } | { ok: false; error: string } {
  const members = Number(raw.members ?? '3');
  const customers = Number(raw.customers ?? '1000');
  if (!Number.isInteger(members) || members < 1 || members > 26) return { ok: false, error: '--members must be an integer 1..26' };
  if (!Number.isInteger(customers) || customers < 1 || customers > 1_000_000) return { ok: false, error: '--customers must be an integer 1..1000000' };
  if (!raw.out) return { ok: false, error: '--out DIR is required' };
  return { ok: true, args: { members, customers, seed: raw.seed ?? '1', out: raw.out } };
}

/** Generates and writes the consortium; returns a summary for the terminal. */
export async function runSynth(args: SynthArgs): Promise<SynthReport> {
  const opts: SynthOptions = { members: args.members, customers: args.customers, seed: args.seed, outDir: args.out };
  if (args.asOf) opts.asOf = args.asOf;
  const c = await generateConsortium(opts);
  const lines = [
    `synthetic consortium (seed ${args.seed}, as of ${c.asOf}) written to ${args.out}`,
    ...c.members.map((m) => `  ${m.id}: ${m.format}, ${m.files.map((f) => f.name).join(' ')} + mapping.json`),
    `  ${c.truth.length} people, ${c.truth.filter((t) => t.defaulted).length} defaulted (ground-truth.ndjson)`,
    `  ${c.defects.length} injected defects (manifest.json)`,
  ];
  return { lines, defects: c.defects.length, files: c.members.reduce((n, m) => n + m.files.length + 1, 0) + 2 };
}
