import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'consortium-node.mjs');

/** A `consortium-node` process started by a test, with its output collected. */
export interface CliProcess {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout match of `re` (rejects after `ms` or when the process exits first). */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Spawns the real CLI entry point (as `npx consortium-node` would run it). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const proc = spawn(process.execPath, [bin, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${re} in output:\n${out}\n${err}`)), ms);
        const check = () => {
          const m = out.match(re);
          if (m) done(undefined, m);
        };
        const onExit = (code: number | null) => done(new Error(`process exited (${code}) before ${re}:\n${out}\n${err}`));
        function done(e?: Error, m?: RegExpMatchArray) {
          clearTimeout(timer);
          proc.stdout!.off('data', check);
          proc.off('exit', onExit);
          if (e) reject(e);
          else resolve(m!);
        }
        proc.stdout!.on('data', check);
        proc.once('exit', onExit);
        check();
      });
    },
  };
}
