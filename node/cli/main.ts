import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ready } from '../../protocol';
import { ConfigError } from '../config/errors';
import { disableAllocationSitePretenuring } from '../observability/memory';
import { DatabaseUnavailableError } from '../store/errors';
import { UsageError, exitCodes, helpText, parseCommandArgs, type CliIo, type Command } from './command';

/**
 * Every verb of `consortium-node`, in the order `--help` lists them, with the module that implements
 * it. A run loads only its own verb's module: `import` does not pay for the HTTP server, the
 * scoring models or the console (memory and start-up time of bulk imports).
 */
const registry: { names: string[]; load: () => Promise<Command[]> }[] = [
  { names: ['consortium create', 'consortium add-member', 'consortium set-status'], load: async () => {
    const m = await import('./commands/consortium');
    return [m.consortiumCreateCommand, m.consortiumAddMemberCommand, m.consortiumSetStatusCommand];
  } },
  { names: ['init'], load: async () => [(await import('./commands/init')).initCommand] },
  { names: ['join'], load: async () => [(await import('./commands/join')).joinCommand] },
  { names: ['keys rotate'], load: async () => [(await import('./commands/keys')).keysRotateCommand] },
  { names: ['audit verify'], load: async () => [(await import('./commands/audit')).auditVerifyCommand] },
  { names: ['start'], load: async () => [(await import('./commands/start')).startCommand] },
  { names: ['providers list', 'providers test'], load: async () => {
    const m = await import('./commands/providers');
    return [m.providersListCommand, m.providersTestCommand];
  } },
  { names: ['import'], load: async () => [(await import('./commands/import')).importCommand] },
  { names: ['synth'], load: async () => [(await import('./commands/synth')).synthCommand] },
  { names: ['clients create', 'clients list', 'clients rotate', 'clients revoke'], load: async () => (await import('./commands/clients')).clientsCommands },
  { names: ['officers create', 'officers list', 'officers disable'], load: async () => (await import('./commands/officers')).officersCommands },
  { names: ['model install', 'model rollback', 'model list', 'model train', 'model evaluate'], load: async () => (await import('./commands/model')).modelCommands },
  { names: ['demo'], load: async () => [(await import('./commands/demo')).demoCommand] },
];

/** The name of every verb, in `--help` order, without loading any verb's module. */
export const commandNames: readonly string[] = registry.flatMap((r) => r.names);

/** Every command (loads every verb's module: for `--help` and tests). */
export async function loadCommands(): Promise<Command[]> {
  return (await Promise.all(registry.map((r) => r.load()))).flat();
}

/** The command `name` (one registry entry's module loaded). */
async function loadCommand(name: string): Promise<Command> {
  const entry = registry.find((r) => r.names.includes(name))!;
  const cmd = (await entry.load()).find((c) => c.name === name);
  if (!cmd) throw new Error(`command module for '${name}' does not export it`);
  return cmd;
}

async function overview(): Promise<string> {
  const commands = await loadCommands();
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
    io.out(await overview());
    return verb ? exitCodes.ok : exitCodes.usage;
  }
  // Verbs may have two words (`consortium create`); the longest match wins.
  const names = commandNames;
  const name = names
    .filter((n) => n.split(' ').every((w, i) => argv[i] === w))
    .sort((a, b) => b.length - a.length)[0];
  if (!name) {
    const group = names.filter((n) => n.startsWith(`${verb} `));
    if (group.length > 0) {
      io.err(`consortium-node ${verb}: ${argv[1] ? `unknown subcommand '${argv[1]}'` : 'missing subcommand'}; one of: ${group.map((n) => n.split(' ')[1]).join(', ')}`);
    } else {
      io.err(`consortium-node: unknown command '${verb}'. Run 'consortium-node --help' to see the commands.`);
    }
    return exitCodes.usage;
  }
  // Before the verb's modules load: bulk work (imports, derivation) allocates rows in bursts (memory.ts).
  disableAllocationSitePretenuring();
  const cmd = await loadCommand(name);
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
