import { resolve } from 'node:path';
import type { NodeConfig } from '../config/schema';
import { loadConfig } from '../config/load';
import { DatabaseUnavailableError } from '../store/errors';
import { exitCodes, requireString, type CliIo } from './command';

/** `--dir` and `--database-url`, the options of every verb that reaches the node's data through a local channel. */
export const localChannelOptions = {
  dir: { type: 'string' as const },
  'database-url': { type: 'string' as const },
};

/**
 * Opens a channel to the node at `--dir` (its admin API when it runs, else its database), runs `body` with it and
 * closes it. An unreachable database becomes a clear message and exit code 3 instead of a stack trace.
 */
export async function withLocalChannel<C extends { close(): Promise<void> }>(
  values: Record<string, unknown>,
  io: CliIo,
  verb: string,
  open: (config: NodeConfig) => Promise<C>,
  body: (ch: C) => Promise<number>,
): Promise<number> {
  const dir = resolve(requireString(values, 'dir', 'the node directory'));
  const config = loadConfig(dir, io.env, { databaseUrl: values['database-url'] as string | undefined });
  let ch: C;
  try {
    ch = await open(config);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError) {
      io.err(`consortium-node ${verb}: database unavailable: ${err.message}`);
      io.err(`If the node is running, check that it answers on ${config.http.host}:${config.http.port}; otherwise stop whatever holds ${config.pgdataDir}.`);
      return exitCodes.database;
    }
    throw err;
  }
  try {
    return await body(ch);
  } finally {
    await ch.close();
  }
}
