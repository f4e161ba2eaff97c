import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command writes; tests pass buffers, the entry point passes the process streams. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the operator asks the process to stop (SIGINT/SIGTERM); long-running verbs wait on it. */
  stopSignal: Promise<string>;
  isTTY: boolean;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** One CLI verb: its flags, its help text and what it does. Returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines after the usage in `--help`: each flag and what it means. */
  details: string[];
  options: Options;
  /** Positional arguments allowed (0 by default). */
  positionals?: { min: number; max: number; name: string };
  run(args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] }, io: CliIo): Promise<number>;
}

/** A mistake in how the command was called: printed as one line plus a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes, documented in the README. */
export const exitCodes = { ok: 0, failure: 1, usage: 2, database: 3 } as const;

/** Parses `argv` for `cmd` strictly: unknown flags, missing values and extra positionals are usage errors. */
export function parseCommandArgs(cmd: Command, argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const pos = cmd.positionals ?? { min: 0, max: 0, name: '' };
  if (!parsed.values.help) {
    if (parsed.positionals.length > pos.max) {
      throw new UsageError(`unexpected argument '${parsed.positionals[pos.max]}'`);
    }
    if (parsed.positionals.length < pos.min) throw new UsageError(`missing ${pos.name}`);
  }
  return parsed;
}

/** Returns a required string flag or throws a usage error naming it. */
export function requireString(values: Record<string, unknown>, flag: string, hint: string): string {
  const v = values[flag];
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`missing --${flag} (${hint})`);
  return v;
}

/** Parses an optional integer flag within bounds. */
export function optionalInt(values: Record<string, unknown>, flag: string, min: number, max: number): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got '${String(v)}'`);
  }
  return Number(v);
}

/** The `--help` text of a command. */
export function helpText(cmd: Command): string {
  return [`Usage: consortium-node ${cmd.usage}`, '', cmd.summary, '', ...cmd.details.map((d) => `  ${d}`), '  -h, --help  show this help'].join('\n');
}
