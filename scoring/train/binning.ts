/**
 * Monotone quantile binning with weight of evidence (WoE), the first two steps of a credit scorecard.
 * Bins are half-open: bin k holds values x with edges[k-1] <= x < edges[k]; the bin of x is the number of
 * edges e with x >= e (so NaN falls in bin 0). Edges are float32 values so TypeScript and ONNX agree exactly.
 * WoE of a bin = ln(badShare / goodShare) with +0.5 smoothing: positive WoE means riskier than average.
 */
import { binOf } from '../model/scorecard';

/** Fitted bins of one feature. */
export interface FeatureBins {
  /** Ascending float32 edges; k edges give k + 1 bins. */
  edges: number[];
  /** WoE per bin. */
  woe: number[];
  /** Rows per bin and bad rows per bin in the training data. */
  counts: number[];
  bads: number[];
  /** Information value of the binned feature. */
  iv: number;
}

/** Binning options. */
export interface BinningOptions {
  /** Maximum number of quantile bins before merging (2..20). */
  maxBins: number;
  /** Minimum share of rows per bin (0..0.5); smaller bins are merged into a neighbour. */
  minBinShare: number;
}

export { binOf };

function countBins(xs: Float32Array, ys: Uint8Array, edges: number[]): { counts: number[]; bads: number[] } {
  const counts = new Array<number>(edges.length + 1).fill(0);
  const bads = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < xs.length; i++) {
    const b = binOf(xs[i]!, edges);
    counts[b]! += 1;
    bads[b]! += ys[i]!;
  }
  return { counts, bads };
}

function woeOf(counts: number[], bads: number[]): { woe: number[]; iv: number } {
  const B = bads.reduce((a, b) => a + b, 0);
  const G = counts.reduce((a, b) => a + b, 0) - B;
  const k = counts.length;
  let iv = 0;
  const woe = counts.map((c, i) => {
    const bs = (bads[i]! + 0.5) / (B + 0.5 * k);
    const gs = (c - bads[i]! + 0.5) / (G + 0.5 * k);
    iv += (bs - gs) * Math.log(bs / gs);
    return Math.log(bs / gs);
  });
  return { woe, iv };
}

/** Fit monotone bins of one feature column against 0/1 labels. */
export function fitBins(xs: Float32Array, ys: Uint8Array, opts: BinningOptions): FeatureBins {
  const n = xs.length;
  const sorted = Float32Array.from(xs).sort();
  let edges: number[] = [];
  for (let q = 1; q < opts.maxBins; q++) {
    const e = sorted[Math.min(n - 1, Math.floor((q * n) / opts.maxBins))]!;
    if (Number.isFinite(e) && e > sorted[0]! && (edges.length === 0 || e > edges[edges.length - 1]!)) edges.push(Math.fround(e));
  }
  // Merge bins that are too small, then adjacent pairs that break monotonicity of the bad rate.
  const minCount = Math.max(1, Math.ceil(opts.minBinShare * n));
  for (;;) {
    const { counts } = countBins(xs, ys, edges);
    const small = counts.findIndex((c) => c < minCount);
    if (small < 0 || edges.length === 0) break;
    const right = small === 0 || (small < counts.length - 1 && counts[small + 1]! <= counts[small - 1]!);
    edges.splice(right ? small : small - 1, 1);
  }
  for (;;) {
    const { counts, bads } = countBins(xs, ys, edges);
    const rate = counts.map((c, i) => bads[i]! / c);
    const dir = Math.sign(rate[rate.length - 1]! - rate[0]!) || 1;
    const v = rate.findIndex((r, i) => i > 0 && (r - rate[i - 1]!) * dir < 0);
    if (v < 0) break;
    edges.splice(v - 1, 1);
  }
  const { counts, bads } = countBins(xs, ys, edges);
  const { woe, iv } = woeOf(counts, bads);
  return { edges, woe, counts, bads, iv };
}
