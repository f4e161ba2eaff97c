/**
 * Fetching and checking a range of a peer's log (architecture section 4, docs/protocol.md §3.7 and §7):
 * entry bundles are fetched a few at a time; as each arrives its entries are decoded, hashed and
 * prepared on this thread (canonical form, schema, issuer, roster key and its validity) while their
 * Ed25519 signatures are verified as one batch per bundle by the signature pool, so fetching,
 * hashing and verifying overlap.
 */
import {
  bundlesForRange,
  decodeEntryBundle,
  finishSignalCheck,
  leafHash,
  prepareSignalEntry,
  tilePath,
  TILE_WIDTH,
  type PreparedSignal,
  type RosterMember,
  type SignalKeyLookup,
} from '../../../protocol';
import type { HeldInput } from '../store/held';
import type { SignatureVerifier } from '../verify/pool';
import type { PeerClient } from './client';
import { MAX_BUNDLE_BYTES } from './verify';

/** The range's leaf hashes (in log order) and its entries split into verified and rejected. */
export interface CheckedRange {
  leaves: Uint8Array[];
  /** Entries whose signal verified, in log order (to apply). */
  held: HeldInput[];
  /** Entries that failed verification, with `entry-<protocol code>`, in log order. */
  rejected: { logIndex: number; code: string }[];
}

/** Options of {@link fetchCheckedRange}. */
export interface FetchCheckedRangeOptions {
  /** Parallel bundle fetches. */
  concurrency: number;
  verifier: SignatureVerifier;
  /** Signal keys of the current roster. */
  keys: SignalKeyLookup;
  now: Date;
}

const entryCode = (code: string) => `entry-${code.toLowerCase().replace(/_/g, '-')}`;

/** The signal checks of one fetched bundle (its entries that belong to the range). */
export interface BundleChecks {
  /** Entries of the range in this bundle. */
  count: number;
  /** Settles once the bundle's signatures are verified (rejects if the signature pool fails). */
  checked: Promise<{ held: HeldInput[]; rejected: { logIndex: number; code: string }[] }>;
}

/** A fetched range: every leaf hash at once, the signal checks bundle by bundle as they complete. */
export interface FetchedRange {
  leaves: Uint8Array[];
  bundles: BundleChecks[];
}

/**
 * Fetches `[from, to)` of `member`'s log and starts checking every entry's signal against the roster keys
 * (expiry is not checked: expired signals are held but never served); resolves once every bundle is
 * fetched and hashed, while signatures may still be in verification. Bundles must hold exactly the
 * width the range implies. Throws `PeerFetchError` or `ProtocolError` (`BUNDLE_MALFORMED`); the caller
 * still has to check the leaves against the checkpoint.
 */
export async function fetchRangeChecking(client: PeerClient, member: RosterMember, from: number, to: number, opts: FetchCheckedRangeOptions): Promise<FetchedRange> {
  const plan = bundlesForRange(from, to);
  const leaves: Uint8Array[][] = new Array(plan.length);
  const bundles: BundleChecks[] = new Array(plan.length);
  const verifyOpts = { keys: opts.keys, now: opts.now, expectedIssuer: member.id, checkExpiry: false };
  let next = 0;

  function check(entries: Uint8Array[], first: number): BundleChecks['checked'] {
    const rejected: { logIndex: number; code: string }[] = [];
    const prepared: { logIndex: number; entry: Uint8Array; p: PreparedSignal }[] = [];
    entries.forEach((entry, i) => {
      const r = prepareSignalEntry(entry, verifyOpts);
      if (r.ok) prepared.push({ logIndex: first + i, entry, p: r.prepared });
      else rejected.push({ logIndex: first + i, code: entryCode(r.error.code) });
    });
    return opts.verifier.verify(prepared.map((x) => x.p.check)).then((valid) => {
      const held: HeldInput[] = [];
      prepared.forEach((x, i) => {
        const done = finishSignalCheck(x.p, valid[i]!, verifyOpts);
        if (done.ok) held.push({ logIndex: x.logIndex, signed: done.signed, entry: x.entry });
        else rejected.push({ logIndex: x.logIndex, code: entryCode(done.error.code) });
      });
      rejected.sort((a, b) => a.logIndex - b.logIndex);
      return { held, rejected };
    });
  }

  async function fetcher(): Promise<void> {
    while (next < plan.length) {
      const i = next++;
      const b = plan[i]!;
      const bytes = await client.get(member, `/peer/v1/log/${tilePath(b)}`, MAX_BUNDLE_BYTES);
      if (!bytes) throw new Error(`${member.id}: entry bundle ${tilePath(b)} is missing below the checkpoint size`);
      const entries = decodeEntryBundle(bytes, b.width).slice(b.skip);
      leaves[i] = entries.map(leafHash);
      const checked = check(entries, b.index * TILE_WIDTH + b.skip);
      // a failed verification is reported to whoever awaits this bundle (or to nobody after a quarantine)
      checked.catch(() => undefined);
      bundles[i] = { count: entries.length, checked };
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, plan.length) }, fetcher));
  return { leaves: leaves.flat(), bundles };
}

/** {@link fetchRangeChecking}, then waits for every signature: the whole range's outcome at once. */
export async function fetchCheckedRange(client: PeerClient, member: RosterMember, from: number, to: number, opts: FetchCheckedRangeOptions): Promise<CheckedRange> {
  const range = await fetchRangeChecking(client, member, from, to, opts);
  const done = await Promise.all(range.bundles.map((b) => b.checked));
  return { leaves: range.leaves, held: done.flatMap((d) => d.held), rejected: done.flatMap((d) => d.rejected) };
}
