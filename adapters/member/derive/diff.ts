/**
 * Incremental publication (docs/data-standard.md §7.3): compare the signals already published for a
 * subject with the desired set and say what to publish and what to retract. Idempotent: the same
 * records give the same desired set, hence an empty diff.
 */
import type { DesiredSignal } from './derive';

/** A signal this member published earlier and has not retracted, as remembered by the node. */
export interface PublishedSignal {
  /** Derivation key of the desired signal it was published for. */
  key: string;
  /** Fingerprint of that desired signal. */
  fingerprint: string;
  /** The published signal's id (the target of a later `signal.retracted`). */
  signalId: string;
  /** The published `expiresAt` (protocol timestamp). */
  expiresAt: string;
}

/** What to do to reach the desired set. */
export interface SignalDiff {
  /** New signals to sign and append (new keys, or keys whose fingerprint changed). */
  publish: DesiredSignal[];
  /** Published signals to retract (`signal.retracted`, reason `superseded`); changed ones also appear in `publish`. */
  retract: PublishedSignal[];
}

/**
 * Diffs `published` against `desired`. A key present in both with an equal fingerprint is left
 * alone; a changed fingerprint retracts the old signal and publishes the new one; a key no longer
 * desired is retracted unless its signal has already expired at `nowMs` (it lapses by itself).
 */
export function diffSignals(published: readonly PublishedSignal[], desired: readonly DesiredSignal[], nowMs: number): SignalDiff {
  const want = new Map(desired.map((d) => [d.key, d]));
  const have = new Map<string, PublishedSignal>();
  const retract: PublishedSignal[] = [];
  for (const p of published) {
    if (have.has(p.key)) retract.push(p); // a duplicate publication of one key: keep the first only
    else have.set(p.key, p);
  }
  const publish: DesiredSignal[] = [];
  for (const d of desired) {
    const p = have.get(d.key);
    if (!p) publish.push(d);
    else if (p.fingerprint !== d.fingerprint) {
      retract.push(p);
      publish.push(d);
    }
  }
  for (const p of have.values()) {
    if (!want.has(p.key) && Date.parse(p.expiresAt) > nowMs) retract.push(p);
  }
  const order = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  return { publish: publish.sort(order), retract: retract.sort(order) };
}
