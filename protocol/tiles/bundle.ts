/**
 * Entry bundles (c2sp.org/tlog-tiles "Log entries"): entries concatenated, each prefixed with its
 * length as a big-endian uint16. A full bundle holds 256 entries.
 */
import { ProtocolError } from '../errors';
import { leafHash } from '../merkle/hash';
import { TILE_WIDTH } from './path';

/** Largest entry an entry bundle can carry. */
export const MAX_BUNDLE_ENTRY_BYTES = 0xffff;

/** Encodes entries into an entry bundle (1..256 entries, each at most 65535 bytes). */
export function encodeEntryBundle(entries: Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) throw new ProtocolError('BUNDLE_MALFORMED', 'a bundle holds 1..256 entries');
  let total = 0;
  for (const e of entries) {
    if (!(e instanceof Uint8Array) || e.length > MAX_BUNDLE_ENTRY_BYTES) throw new ProtocolError('BUNDLE_MALFORMED', 'entry longer than 65535 bytes');
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const e of entries) {
    out[o] = e.length >> 8;
    out[o + 1] = e.length & 0xff;
    out.set(e, o + 2);
    o += 2 + e.length;
  }
  return out;
}

/**
 * Decodes an entry bundle; with `width`, insists on exactly that many entries. Throws
 * `BUNDLE_MALFORMED` on truncation, trailing bytes or a wrong count.
 */
export function decodeEntryBundle(bundle: Uint8Array, width?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < bundle.length) {
    if (o + 2 > bundle.length) throw new ProtocolError('BUNDLE_MALFORMED', 'truncated length prefix');
    const len = (bundle[o]! << 8) | bundle[o + 1]!;
    if (o + 2 + len > bundle.length) throw new ProtocolError('BUNDLE_MALFORMED', 'truncated entry');
    out.push(bundle.slice(o + 2, o + 2 + len));
    o += 2 + len;
    if (out.length > TILE_WIDTH) throw new ProtocolError('BUNDLE_MALFORMED', 'more than 256 entries');
  }
  if (width !== undefined && out.length !== width) throw new ProtocolError('BUNDLE_MALFORMED', `bundle has ${out.length} entries, want ${width}`);
  return out;
}

/** RFC 6962 leaf hashes of a bundle's entries (what its level-0 tile must contain). */
export function bundleLeafHashes(bundle: Uint8Array, width?: number): Uint8Array[] {
  return decodeEntryBundle(bundle, width).map(leafHash);
}
