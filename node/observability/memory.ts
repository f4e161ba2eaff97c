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

/**
 * Turns off V8's allocation-site pretenuring for this process (call once, before the work starts).
 *
 * V8 allocates the objects of a literal straight into the old generation once, at some collection,
 * nearly all of them allocated since the previous one are still alive. A bulk import makes rows in
 * bursts (a reader chunk's rows, a batch's events) that are all alive for a moment and dead soon
 * after, so whether a collection lands inside a burst early in the run decided whether the rest of
 * the run went "tenured": then every row's objects were promoted (their old-generation parents keep
 * them alive in young collections), a quarter of the young generation survived each scavenge instead
 * of 3%, scavenges took six times as long and cleaning ran 15-30% slower. Measured on the cleaning
 * of a million-row file (docs/mappings.md §9.1): half the runs tenured by default, none with this.
 */
export function disableAllocationSitePretenuring(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
