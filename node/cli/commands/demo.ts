import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeNode } from '../../compose';
import { loadConfig } from '../../config/load';
import { listen } from '../../server';
import { exitCodes, optionalInt, type Command } from '../command';
import { initNodeDir } from './init';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Set up a fresh node in a temporary (or given) directory on 127.0.0.1, print its URLs and serve until Ctrl-C.',
  usage: 'demo [--base-port N] [--dir DIR] [--once]',
  details: [
    '--base-port N  port of the first node (default 7400; 0 picks a free port)',
    '--dir DIR      where to create the demo (default: a new temporary directory)',
    '--once         exit after the scenario instead of serving',
  ],
  options: { 'base-port': { type: 'string' }, dir: { type: 'string' }, once: { type: 'boolean' } },
  async run({ values }, io) {
    const port = optionalInt(values, 'base-port', 0, 65535) ?? 7400;
    const root = typeof values.dir === 'string' ? resolve(values.dir) : mkdtempSync(join(tmpdir(), 'consortium-demo-'));
    const dir = join(root, 'member-1');
    await initNodeDir({ dir, memberId: 'member-1', baseUrl: `http://127.0.0.1:${port || 7400}`, port });
    const config = loadConfig(dir, { ...io.env, DATABASE_URL: '', LOG_LEVEL: io.env.LOG_LEVEL || 'warn' });
    const node = await listen(await composeNode(config), '127.0.0.1', port);
    io.out(`Demo node 'member-1' is running (directory ${dir})`);
    io.out(`  health       ${node.url}/healthz`);
    io.out(`  readiness    ${node.url}/readyz`);
    io.out(`  metrics      ${node.url}/metrics`);
    io.out(`  API docs     ${node.url}/docs`);
    io.out(`  OpenAPI      ${node.url}/openapi.yaml`);
    if (!values.once) {
      io.out('Press Ctrl-C to stop.');
      await io.stopSignal;
    }
    await node.stop();
    return exitCodes.ok;
  },
};
