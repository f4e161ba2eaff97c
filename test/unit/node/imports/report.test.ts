import { describe, expect, it } from 'vitest';
import { BAR_REDRAW_EVERY_MS, createProgressReporter, PLAIN_PROGRESS_EVERY_MS } from '../../../../node/imports/report';
import type { ImportProgress } from '../../../../node/imports/service';

const progress = (read: number, phase: ImportProgress['phase'] = 'records'): ImportProgress => ({
  phase, file: 'orders.csv', read, accepted: read, rejected: 0, inserted: read, updated: 0, unchanged: 0, subjectsDerived: phase === 'signals' ? 7 : 0,
});

function setup(isTTY: boolean, total: number | null, columns?: number) {
  let clock = 1000;
  const lines: string[] = [];
  const written: string[] = [];
  const reporter = createProgressReporter({
    io: { isTTY, out: (l) => void lines.push(l) },
    terminal: { write: (s) => void written.push(s), ...(columns ? { columns } : {}) },
    total,
    now: () => clock,
  });
  return { reporter, lines, written, advance: (ms: number) => { clock += ms; } };
}

describe('import progress reporter', () => {
  it('on a terminal redraws one bar in place, throttled, and ends its line', () => {
    const t = setup(true, 1000);
    t.reporter.onProgress(progress(0));
    t.advance(BAR_REDRAW_EVERY_MS / 2);
    t.reporter.onProgress(progress(250)); // throttled
    t.advance(BAR_REDRAW_EVERY_MS);
    t.reporter.onProgress(progress(500));
    t.advance(BAR_REDRAW_EVERY_MS);
    t.reporter.onProgress(progress(1000, 'signals'));
    t.reporter.end();
    expect(t.lines).toEqual([]);
    expect(t.written).toHaveLength(4);
    expect(t.written[0]).toMatch(/^\r\[\.{30}\]   0%  0\/1,000 rows, 0 rejected  0 rows\/s\u001b\[K$/);
    expect(t.written[1]).toMatch(/^\r\[#{15}\.{15}\]  50%  500\/1,000 rows, 0 rejected  [\d,]+ rows\/s\u001b\[K$/);
    expect(t.written[2]).toContain('100%  1,000/1,000 rows, 0 rejected  deriving signals: 7 subjects');
    expect(t.written[3]).toBe('\n');
  });

  it('cuts the bar to the terminal width', () => {
    const t = setup(true, 10, 40);
    t.reporter.onProgress(progress(5));
    expect(t.written[0]).toBe(`\r${'[###############...............]  50%  5/10 rows'.slice(0, 39)}\u001b[K`);
  });

  it('without a terminal (or without a row total) prints plain lines every few seconds', () => {
    for (const t of [setup(false, 1000), setup(true, null)]) {
      t.reporter.onProgress(progress(10));
      t.advance(PLAIN_PROGRESS_EVERY_MS - 1);
      t.reporter.onProgress(progress(20)); // throttled
      t.advance(1);
      t.reporter.onProgress(progress(30, 'signals'));
      t.reporter.end();
      expect(t.written).toEqual([]);
      expect(t.lines).toEqual([
        'progress: orders.csv read 10, accepted 10, rejected 0, inserted 10, updated 0, unchanged 0',
        'progress: deriving signals, 7 subjects done',
      ]);
    }
  });
});
