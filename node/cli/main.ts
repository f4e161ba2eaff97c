import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config/errors';
import { DatabaseUnavailableError } from '../store/errors';
import { UsageError, exitCodes, helpText, parseCommandArgs, type CliIo, type Command } from './command';
import { demoCommand } from './commands/demo';
import { initCommand } from './commands/init';
import { startCommand } from './commands/start';

/** Every verb of `consortium-node`, in the order `--help` lists them. */
export const commands: Command[] = [initCommand, startCommand, demoCommand];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: consortium-node <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `consortium-node <command> --help` for the options of a command.',
  ].join('\n');
}

function processIo(): CliIo {
  const stopSignal = new Promise<string>((resolve) => {
    const onSignal = (sig: string) => resolve(sig);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  return {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
    stopSignal,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(overview());
    return verb ? exitCodes.ok : exitCodes.usage;
  }
  const cmd = commands.find((c) => c.name === verb);
  if (!cmd) {
    io.err(`consortium-node: unknown command '${verb}'. Run 'consortium-node --help' to see the commands.`);
    return exitCodes.usage;
  }
  try {
    const parsed = parseCommandArgs(cmd, rest);
    if (parsed.values.help) {
      io.out(helpText(cmd));
      return exitCodes.ok;
    }
    return await cmd.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`consortium-node ${cmd.name}: ${err.message}`);
      io.err(`Run 'consortium-node ${cmd.name} --help' for usage.`);
      return exitCodes.usage;
    }
    if (err instanceof ConfigError) {
      io.err(`consortium-node ${cmd.name}: configuration error: ${err.message}`);
      return exitCodes.usage;
    }
    if (err instanceof DatabaseUnavailableError) {
      io.err(`consortium-node ${cmd.name}: database unavailable: ${err.message}`);
      return exitCodes.database;
    }
    io.err(`consortium-node ${cmd.name}: failed: ${(err as Error).message}`);
    return exitCodes.failure;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isEntry) {
  process.exitCode = await main(process.argv.slice(2));
}
