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

interface BundleResult {
  leaves: Uint8Array[];
  held: HeldInput[];
  rejected: { logIndex: number; code: string }[];
}

/**
 * Fetches `[from, to)` of `member`'s log and checks every entry's signal against the roster keys
 * (expiry is not checked: expired signals are held but never served). Bundles must hold exactly the
 * width the range implies. Throws `PeerFetchError`, `ProtocolError` (`BUNDLE_MALFORMED`), or the
 * signature pool's error; the caller still has to check the leaves against the checkpoint.
 */
export async function fetchCheckedRange(client: PeerClient, member: RosterMember, from: number, to: number, opts: FetchCheckedRangeOptions): Promise<CheckedRange> {
  const plan = bundlesForRange(from, to);
  const results: Promise<BundleResult>[] = new Array(plan.length);
  const verifyOpts = { keys: opts.keys, now: opts.now, expectedIssuer: member.id, checkExpiry: false };
  let next = 0;

  function check(entries: Uint8Array[], first: number): Promise<BundleResult> {
    const leaves = entries.map(leafHash);
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
      return { leaves, held, rejected };
    });
  }

  async function fetcher(): Promise<void> {
    while (next < plan.length) {
      const i = next++;
      const b = plan[i]!;
      const bytes = await client.get(member, `/peer/v1/log/${tilePath(b)}`, MAX_BUNDLE_BYTES);
      if (!bytes) throw new Error(`${member.id}: entry bundle ${tilePath(b)} is missing below the checkpoint size`);
      const entries = decodeEntryBundle(bytes, b.width).slice(b.skip);
      results[i] = check(entries, b.index * TILE_WIDTH + b.skip);
      // a failed verification batch is reported when the results are collected below
      results[i].catch(() => undefined);
    }
  }
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, plan.length) }, fetcher));
  const done = await Promise.all(results);
  return {
    leaves: done.flatMap((d) => d.leaves),
    held: done.flatMap((d) => d.held),
    rejected: done.flatMap((d) => d.rejected),
  };
}
