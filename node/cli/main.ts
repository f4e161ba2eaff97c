import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ready } from '../../protocol';
import { ConfigError } from '../config/errors';
import { DatabaseUnavailableError } from '../store/errors';
import { UsageError, exitCodes, helpText, parseCommandArgs, type CliIo, type Command } from './command';
import { demoCommand } from './commands/demo';
import { initCommand } from './commands/init';
import { startCommand } from './commands/start';
import { joinCommand } from './commands/join';
import { keysRotateCommand } from './commands/keys';
import { auditVerifyCommand } from './commands/audit';
import { modelCommands } from './commands/model';
import { importCommand } from './commands/import';
import { synthCommand } from './commands/synth';
import { clientsCommands } from './commands/clients';
import { officersCommands } from './commands/officers';
import { providersListCommand, providersTestCommand } from './commands/providers';
import { consortiumAddMemberCommand, consortiumCreateCommand, consortiumSetStatusCommand } from './commands/consortium';

/** Every verb of `consortium-node`, in the order `--help` lists them. */
export const commands: Command[] = [
  consortiumCreateCommand,
  consortiumAddMemberCommand,
  consortiumSetStatusCommand,
  initCommand,
  joinCommand,
  keysRotateCommand,
  auditVerifyCommand,
  startCommand,
  providersListCommand,
  providersTestCommand,
  importCommand,
  synthCommand,
  ...clientsCommands,
  ...officersCommands,
  ...modelCommands,
  demoCommand,
];

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
  const [verb] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(overview());
    return verb ? exitCodes.ok : exitCodes.usage;
  }
  // Verbs may have two words (`consortium create`); the longest match wins.
  const cmd = commands
    .filter((c) => c.name.split(' ').every((w, i) => argv[i] === w))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!cmd) {
    const group = commands.filter((c) => c.name.startsWith(`${verb} `));
    if (group.length > 0) {
      io.err(`consortium-node ${verb}: ${argv[1] ? `unknown subcommand '${argv[1]}'` : 'missing subcommand'}; one of: ${group.map((c) => c.name.split(' ')[1]).join(', ')}`);
    } else {
      io.err(`consortium-node: unknown command '${verb}'. Run 'consortium-node --help' to see the commands.`);
    }
    return exitCodes.usage;
  }
  const rest = argv.slice(cmd.name.split(' ').length);
  try {
    const parsed = parseCommandArgs(cmd, rest);
    if (parsed.values.help) {
      io.out(helpText(cmd));
      return exitCodes.ok;
    }
    await ready();
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
