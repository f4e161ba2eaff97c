/**
 * Benchmark phases in child processes (so each phase's CPU time and peak RSS are its own, and load comes
 * from another process than the one measured): the parent passes a task as JSON in an environment
 * variable and reads the child's result as the JSON of its last stdout line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Runs the benchmark module `moduleUrl` (its `import.meta.url`) in child mode with `task`; resolves the child's result. */
export async function runInChild<R>(moduleUrl: string, envName: string, task: unknown, what: string): Promise<R> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl)], {
    env: { ...process.env, [envName]: JSON.stringify(task) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${what} failed (exit ${code}): ${out.slice(-2000)}`);
  return JSON.parse(line) as R;
}

/**
 * In a child started by {@link runInChild} (`envName` set): runs `fn` on the task, prints its result as one
 * JSON line and exits (0, or 1 after printing the error). Does nothing in the parent.
 */
export function childMain<T, R>(envName: string, fn: (task: T) => Promise<R>): void {
  const raw = process.env[envName];
  if (!raw) return;
  fn(JSON.parse(raw) as T).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

/** The `p` quantile (0..1) of ascending `sorted` (0 when empty). */
export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
