/**
 * Full garbage collections on demand, for long bulk jobs (imports) whose memory must stay flat.
 *
 * During an import, each batch of records lives across several young-generation collections while it
 * is written, so V8 promotes it to the old generation; V8 then lets the old generation grow to
 * several times the live data before it collects, and the process's peak RSS grows with the file.
 * A full collection every few tens of thousands of rows keeps the heap near its live size.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Runs a full, synchronous garbage collection of the process's heap. */
export type CollectGarbage = () => void;

let collector: CollectGarbage | undefined;

/**
 * The process's full garbage collector: `globalThis.gc` when node runs with `--expose-gc`, otherwise
 * V8's `gc` taken from a fresh context with the flag set just for that (the global stays untouched).
 */
export function fullGarbageCollector(): CollectGarbage {
  const exposed = (globalThis as { gc?: CollectGarbage }).gc;
  if (exposed) return exposed;
  if (!collector) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as CollectGarbage;
    setFlagsFromString('--no-expose-gc');
  }
  return collector;
}
