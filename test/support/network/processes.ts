/**
 * Real test node processes on 127.0.0.1 (network e2e tests and the network benchmark): free ports,
 * starting `run-node.ts` as a child process, and waiting for it to listen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The test node entry point (see run-node.ts). */
export const RUN_NODE = join(import.meta.dirname, 'run-node.ts');

/** Answers true when `port` can be bound on 127.0.0.1 right now. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 (released before returning, so a child can bind it), for nodes whose address is in
 * the roster and must stay the same across restarts. It is picked below Linux's ephemeral range (32768-60999):
 * ports the kernel hands out (outgoing connections, `listen(0)` in other tests) then cannot take it while a node
 * is down between a kill and its restart.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + randomInt(12_000);
    if (await canBind(port)) return port;
  }
  throw new Error('no free port in 20000-31999 on 127.0.0.1');
}

/** A started child process and everything it printed so far. */
export interface NodeProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited (at once when it already has). */
  exited: () => Promise<void>;
}

/**
 * Starts `script` (default {@link RUN_NODE}) with `args` under `node --import tsx` and resolves once it
 * prints `listening` (rejects when it exits first or does not start within `timeoutMs`).
 */
export function startProcess(name: string, args: string[], opts: { script?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', opts.script ?? RUN_NODE, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'error', ...opts.env },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), opts.timeoutMs ?? 90_000);
    child.stdout!.on('data', () => {
      if (out.includes('listening')) {
        clearTimeout(timer);
        resolve({ child, output: () => out, exited: () => exit });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}):\n${out}`));
    });
  });
}

/** Starts a test node: `run-node.ts MEMBER_ID DIR ROSTER_FILE PORT`. */
export function startNodeProcess(id: string, dir: string, rosterFile: string, port: number, env?: Record<string, string>): Promise<NodeProcess> {
  return startProcess(id, [id, dir, rosterFile, String(port)], env ? { env } : {});
}
