import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../config/load';
import { ImportStackError, openImportStack } from '../../imports/standalone';
import { countRows, createProgressReporter, summaryLines, type ProgressTerminal } from '../../imports/report';
import { createLogger } from '../../observability/logger';
import { DatabaseUnavailableError } from '../../store/errors';
import { exitCodes, requireString, type CliIo, type Command } from '../command';

/** `consortium-node import`: imports member export files through a mapping into the node (docs/mappings.md). */
export const importCommand: Command = {
  name: 'import',
  summary: 'Import member export files through a mapping: clean, store (personal data encrypted), derive and publish signals.',
  usage: 'import --dir DIR --mapping MAPPING [--rejects PATH] [--defer-signals] [--database-url URL] FILE...',
  details: [
    '--dir DIR             the node directory (joined to a consortium); the node must not be running on PGlite',
    '--mapping MAPPING     the mapping file (docs/mappings.md) matching every FILE by name',
    '--rejects PATH        where to write the rejects CSV (default DIR/imports/<import id>/rejects.csv)',
    '--defer-signals       store the records only; the running node derives and publishes the signals',
    '--database-url URL    PostgreSQL URL (overrides DATABASE_URL); default is the embedded PGlite in DIR/pgdata',
    'FILE...               export files (CSV or NDJSON); imported in dependency order (customers first)',
    'Exit code 0 when rows were imported, 1 when nothing could be imported, 2 on usage errors, 3 when the database is unavailable.',
    'While the node is running on PGlite, import through it instead: POST /admin/v1/imports (docs/mappings.md).',
  ],
  options: { dir: { type: 'string' }, mapping: { type: 'string' }, rejects: { type: 'string' }, 'defer-signals': { type: 'boolean' }, 'database-url': { type: 'string' } },
  positionals: { min: 1, max: 1000, name: 'FILE... (the export files to import)' },
  async run({ values, positionals }, io) {
    const dir = resolve(requireString(values, 'dir', 'the node directory'));
    const mappingPath = resolve(requireString(values, 'mapping', 'the mapping file, see docs/mappings.md'));
    const config = loadConfig(dir, io.env, { databaseUrl: values['database-url'] as string | undefined });
    const files = positionals.map((p) => resolve(p));
    const logger = createLogger({ level: 'error', memberId: config.memberId, destination: { write: (s: string) => void io.err(s.trimEnd()) } });
    let stack;
    try {
      stack = await openImportStack(config, { logger });
    } catch (err) {
      if (err instanceof ImportStackError) {
        io.err(`consortium-node import: ${err.message}`);
        return exitCodes.failure;
      }
      if (err instanceof DatabaseUnavailableError) {
        io.err(`consortium-node import: database unavailable: ${err.message}`);
        io.err('If the node is running, import through it instead: POST /admin/v1/imports (see docs/mappings.md, "Running an import").');
        return exitCodes.database;
      }
      throw err;
    }
    try {
      const total = io.isTTY ? await countRows(files).catch(() => null) : null;
      // The bar redraws itself on stderr; tests pass a terminal of their own on the io.
      const terminal: ProgressTerminal = (io as CliIo & { terminal?: ProgressTerminal }).terminal
        ?? { write: (s) => void process.stderr.write(s), columns: process.stderr.columns };
      const progress = createProgressReporter({ io, terminal, total, now: () => performance.now() });
      const r = await stack.service.runImport({
        mappingPath, files, onProgress: (p) => progress.onProgress(p), deferDerivation: values['defer-signals'] === true,
        ...(typeof values.rejects === 'string' ? { rejectsPath: resolve(values.rejects) } : {}),
      });
      progress.end();
      if (!r.ok) {
        io.err(`consortium-node import: ${r.message}`);
        return exitCodes.failure;
      }
      for (const line of summaryLines(r)) io.out(line);
      return r.status === 'succeeded' ? exitCodes.ok : exitCodes.failure;
    } finally {
      await stack.close();
    }
  },
};
