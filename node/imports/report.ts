/**
 * Terminal output of an import: a redrawn progress bar on a TTY, throttled plain progress lines
 * otherwise, and the summary (counts only, never record content).
 */
import { createReadStream } from 'node:fs';
import type { ImportProgress, ImportResult } from './service';

/** Counts the data lines of `paths` (newlines minus one header line per CSV), for the progress bar total. */
export async function countRows(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const p of paths) {
    let n = 0;
    for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
    }
    total += /\.csv$/i.test(p) ? Math.max(0, n - 1) : n;
  }
  return total;
}

/** Renders a progress bar line such as `[#####.....]  50%  5,000/10,000 rows  2,000 rows/s  signals: 12 subjects`. */
export function progressBar(p: ImportProgress, total: number, elapsedMs: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, p.read / total) : 0;
  const filled = Math.round(ratio * width);
  const rate = elapsedMs > 0 ? Math.round((p.read * 1000) / elapsedMs) : 0;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const tail = p.phase === 'signals' ? `  deriving signals: ${fmt(p.subjectsDerived)} subjects` : `  ${fmt(rate)} rows/s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${fmt(p.read)}/${fmt(total)} rows, ${fmt(p.rejected)} rejected${tail}`;
}

/** Where the progress bar is drawn (a terminal): raw writes, and its width when known. */
export interface ProgressTerminal { write(s: string): void; columns?: number }

/** Plain progress lines at most this often (ms). */
export const PLAIN_PROGRESS_EVERY_MS = 2000;
/** The bar is redrawn at most this often (ms). */
export const BAR_REDRAW_EVERY_MS = 100;

/**
 * Progress reporting of an import: on a terminal (`io.isTTY` and a known row total) a bar redrawn
 * in place on `terminal` (cut to its width), otherwise throttled plain lines on `io.out` (logs,
 * pipes). The first progress is always shown; `end` finishes the bar's line.
 */
export function createProgressReporter(opts: {
  io: { isTTY: boolean; out: (line: string) => void };
  terminal: ProgressTerminal;
  total: number | null;
  now: () => number;
}) {
  const { io, terminal, total } = opts;
  const started = opts.now();
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  const bar = io.isTTY && total !== null;
  return {
    onProgress(p: ImportProgress) {
      const t = opts.now();
      if (t - last < (bar ? BAR_REDRAW_EVERY_MS : PLAIN_PROGRESS_EVERY_MS)) return;
      last = t;
      if (bar) {
        const line = progressBar(p, total, t - started);
        const width = terminal.columns && terminal.columns > 1 ? terminal.columns - 1 : line.length;
        terminal.write(`\r${line.slice(0, width)}\u001b[K`);
        drawn = true;
      } else io.out(progressLine(p));
    },
    end() {
      if (drawn) terminal.write('\n');
      drawn = false;
    },
  };
}

/** A plain progress line for logs and pipes. */
export function progressLine(p: ImportProgress): string {
  if (p.phase === 'signals') return `progress: deriving signals, ${p.subjectsDerived} subjects done`;
  return `progress: ${p.file ?? ''} read ${p.read}, accepted ${p.accepted}, rejected ${p.rejected}, inserted ${p.inserted}, updated ${p.updated}, unchanged ${p.unchanged}`;
}

/** The summary lines of a finished import. */
export function summaryLines(r: ImportResult): string[] {
  const s = r.summary;
  const reasons = Object.entries(s.rejectedByReason).sort((a, b) => b[1]! - a[1]!).map(([k, v]) => `${k} ${v}`);
  const sig = s.signals;
  return [
    `import ${r.id}: ${r.status}${r.error ? ` (${r.error})` : ''}`,
    `  read ${s.read}, accepted ${s.accepted} (inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}), rejected ${s.rejected}`,
    ...(reasons.length ? [`  rejected by reason: ${reasons.join(', ')}`] : []),
    ...s.fatal.map((f) => `  unreadable: ${f}`),
    sig.pending
      ? '  signals: pending derivation (the running node derives them)'
      : `  signals: published ${sig.published}, retracted ${sig.retracted}, skipped without sharing consent ${sig.skippedNoConsent} subjects${sig.failed ? `, failed ${sig.failed}` : ''}`,
    `  rejects file: ${r.rejectsPath} (${s.rejected} rows)`,
  ];
}
