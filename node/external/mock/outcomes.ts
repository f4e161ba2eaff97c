/**
 * What the provider mock answers for a user: a stable pseudo-random outcome derived from the
 * identifier the provider receives, unless the operator of the demo scripted one.
 */
import { createHash } from 'node:crypto';

/** A scripted answer: a Zhima score (350-950), `N/A`, or a Pay Score service state. */
export type MockOutcome = number | 'N/A' | 'AVAILABLE' | 'UNAVAILABLE';

/** First 4 bytes of SHA-256 of `text` as an unsigned integer. */
export function stableNumber(text: string): number {
  return createHash('sha256').update(text, 'utf8').digest().readUInt32BE(0);
}

/**
 * The Zhima score for an identifier (auth_token or cert_no): scripted, `N/A` for ids starting `na_`,
 * otherwise 350..950 from its digest. (Ids starting `err_` get a business error from the gateway.)
 */
export function zhimaScoreFor(id: string, scripted: Readonly<Record<string, MockOutcome>>): number | 'N/A' {
  const s = scripted[id];
  if (typeof s === 'number' || s === 'N/A') return s;
  if (id.startsWith('na_')) return 'N/A';
  return 350 + (stableNumber(id) % 601);
}

/** The Pay Score service state for an openid: scripted, or from its digest (about 3 in 4 available). */
export function payScoreStateFor(openid: string, scripted: Readonly<Record<string, MockOutcome>>): 'AVAILABLE' | 'UNAVAILABLE' {
  const s = scripted[openid];
  if (s === 'AVAILABLE' || s === 'UNAVAILABLE') return s;
  return stableNumber(openid) % 4 === 0 ? 'UNAVAILABLE' : 'AVAILABLE';
}
