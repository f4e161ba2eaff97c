import { loadConfig } from '../../config/load';
import { composeNode } from '../../compose';
import { listen } from '../../server';
import { exitCodes, optionalInt, requireString, type Command } from '../command';

export const startCommand: Command = {
  name: 'start',
  summary: 'Run a node: apply migrations, serve HTTP, run background jobs; stops cleanly on SIGINT/SIGTERM.',
  usage: 'start --dir DIR [--port N] [--host H] [--database-url URL] [--log-level LEVEL]',
  details: [
    '--dir DIR             the node directory made by `init`',
    '--port N              port to listen on (overrides node.json and PORT)',
    '--host H              address to listen on (overrides node.json and HOST)',
    '--database-url URL    PostgreSQL URL (overrides DATABASE_URL); default is embedded PGlite in DIR/pgdata',
    '--log-level LEVEL     fatal, error, warn, info, debug, trace or silent (overrides LOG_LEVEL)',
  ],
  options: { dir: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'database-url': { type: 'string' }, 'log-level': { type: 'string' } },
  async run({ values }, io) {
    const dir = requireString(values, 'dir', 'the node directory made by `consortium-node init`');
    const config = loadConfig(dir, io.env, {
      port: optionalInt(values, 'port', 0, 65535),
      host: values.host as string | undefined,
      databaseUrl: values['database-url'] as string | undefined,
      logLevel: values['log-level'] as string | undefined,
    });
    const runtime = await composeNode(config);
    const node = await listen(runtime, config.http.host, config.http.port).catch(async (err: unknown) => {
      await runtime.close();
      throw err;
    });
    await runtime.start();
    runtime.logger.info({ url: node.url, database: runtime.database.kind }, 'node started');
    io.out(`consortium-node ${config.memberId} listening on ${node.url} (database: ${runtime.database.kind})`);
    const signal = await io.stopSignal;
    runtime.logger.info({ signal }, 'stopping');
    await node.stop();
    io.out('stopped');
    return exitCodes.ok;
  },
};
