import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDemo } from '../../demo/run';
import { DEMO_MEMBERS } from '../../demo/setup';
import { exitCodes, optionalInt, type Command } from '../command';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Set up a whole consortium on 127.0.0.1, run the scenario, print what happened, and serve until Ctrl-C.',
  usage: 'demo [--members N] [--base-port N] [--dir DIR] [--once]',
  details: [
    `--members N    how many member nodes (2 to ${DEMO_MEMBERS.length}, default 3)`,
    '--base-port N  port of the first member; the others follow (default 7400)',
    '--dir DIR      where to create the consortium (default: a new temporary directory)',
    '--once         exit after the scenario instead of serving',
  ],
  options: { members: { type: 'string' }, 'base-port': { type: 'string' }, dir: { type: 'string' }, once: { type: 'boolean' } },
  async run({ values }, io) {
    const members = optionalInt(values, 'members', 2, DEMO_MEMBERS.length) ?? 3;
    const basePort = optionalInt(values, 'base-port', 1024, 65535 - members) ?? 7400;
    const root = typeof values.dir === 'string' ? resolve(values.dir) : mkdtempSync(join(tmpdir(), 'consortium-demo-'));
    const { stop } = await runDemo({ root, members, basePort, io: { ...io, env: { ...io.env, LOG_LEVEL: io.env.LOG_LEVEL || 'warn' } } });
    if (!values.once) {
      io.out('\nServing. Press Ctrl-C to stop.');
      await io.stopSignal;
    }
    await stop();
    io.out('Demo stopped.');
    return exitCodes.ok;
  },
};
