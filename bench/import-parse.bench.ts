/**
 * Import throughput of member exports (issue 5 performance): parse-only vs parse+map+clean on a
 * generated 1,000,000-row order CSV streamed from os.tmpdir(). Reports rows/s, the ratio of the
 * full pipeline to raw parsing measured in the same run (wall time, and CPU time of the process,
 * which a shared machine disturbs less), peak RSS per phase and RSS at each quarter of the file
 * (flat memory = streaming works). Each phase runs twice, alternating; the best
 * run of each is reported. Storage (PGlite/PostgreSQL upserts) is the
 * node's part and is benchmarked there.
 */
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImportSession } from '../adapters/member/clean/pipeline';
import { compileFileMapping } from '../adapters/member/mapping/compile';
import { parseMapping } from '../adapters/member/mapping/validate';
import { readFileSourceChunks } from '../adapters/member/readers';
import { createPrng } from '../adapters/member/synth/prng';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const STATUS = ['已完成', '已取消', '已退货', '已支付'] as const;

async function writeOrders(path: string): Promise<void> {
  const rng = createPrng('bench');
  const out = createWriteStream(path);
  out.write('\uFEFF订单号,客户编号,下单时间,金额(元),订单状态,备注\n');
  const base = Date.UTC(2024, 0, 1);
  for (let i = 0; i < ROWS; i += 10_000) {
    let chunk = '';
    for (let j = i; j < i + 10_000; j++) {
      const t = new Date(base + rng.int(300 * 86_400) * 1000 + 8 * 3_600_000).toISOString();
      const yuan = `${rng.range(1, 5000)}.${String(rng.int(100)).padStart(2, '0')}`;
      const remark = j % 97 === 0 ? '"请放门口,\n谢谢"' : '';
      chunk += `SO${j},C${rng.int(100_000)},${t.slice(0, 10)} ${t.slice(11, 19)},${yuan},${rng.pick(STATUS)},${remark}\n`;
    }
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const mappingResult = parseMapping({
  format: 'consortium-mapping/v1',
  files: [{
    match: 'orders*.csv', entity: 'order', source: { type: 'csv' },
    fields: {
      orderRef: { column: '订单号' }, customerRef: { column: '客户编号' },
      placedAt: { column: '下单时间', format: 'YYYY-MM-DD HH:mm:ss' }, amount: { column: '金额(元)', unit: 'yuan' },
      status: { column: '订单状态', values: { 已完成: 'completed', 已取消: 'cancelled', 已退货: 'returned', 已支付: 'paid' } },
    },
  }],
});

interface Phase { rows: number; seconds: number; cpuSeconds: number; peakRss: number; quarters: number[] }

async function measure(run: (tick: (n: number) => void) => Promise<number>): Promise<Phase> {
  globalThis.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 50);
  const quarters: number[] = [];
  const quarter = Math.max(1, Math.floor(ROWS / 4));
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const rows = await run((n) => {
    if (n % quarter === 0) quarters.push(process.memoryUsage.rss());
  });
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { rows, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss: peak, quarters };
}

const mb = (b: number) => `${(b / 1_048_576).toFixed(0)} MB`;

/** Runs the benchmark and prints its report. */
export default async function main(): Promise<void> {
  if (!mappingResult.ok) throw new Error('bench mapping invalid');
  const mapping = mappingResult.mapping;
  const section = mapping.files[0]!;
  const path = join(tmpdir(), `consortium-bench-orders-${process.pid}.csv`);
  try {
    await writeOrders(path);
    const size = (await stat(path)).size;
    console.log(`file: ${ROWS.toLocaleString('en')} order rows, ${mb(size)} (${path})`);

    const parseOnce = () => measure(async (tick) => {
      let n = 0;
      // the reader's chunks, as the import takes them (one asynchronous step per chunk)
      for await (const items of readFileSourceChunks(path, section.source)) for (const item of items) if ('record' in item) tick(++n);
      return n;
    });

    const fullOnce = () => measure(async (tick) => {
      const session = createImportSession({
        now: () => new Date('2025-01-01T00:00:00Z'),
        // every customer C0..C99999 is "already stored": a lookup the node would answer from its index
        knownKeys: { has: (k) => /^customer:C\d{1,5}$/.test(k) },
      });
      let n = 0;
      let accepted = 0;
      // in arrays of events, as the node's import service consumes them
      for await (const events of session.runBatches(readFileSourceChunks(path, section.source), compileFileMapping(mapping, section))) {
        for (const ev of events) {
          if (ev.kind === 'accepted') accepted++;
          else if (ev.kind === 'fatal') throw new Error(ev.message);
          tick(++n);
        }
      }
      const s = session.summary();
      if (accepted !== ROWS) throw new Error(`expected every row accepted, got ${accepted}: ${JSON.stringify(s.rejectedByReason)}`);
      return n;
    });

    // The machine may be shared: alternate the phases and keep each one's best run, so a burst of
    // outside load does not land on one side of the ratio only.
    const best = (a: Phase, b: Phase) => (a.rows / a.seconds >= b.rows / b.seconds ? a : b);
    let parse = await parseOnce();
    let full = await fullOnce();
    parse = best(parse, await parseOnce());
    full = best(full, await fullOnce());

    const rate = (p: Phase) => p.rows / p.seconds;
    const cpuRate = (p: Phase) => p.rows / p.cpuSeconds;
    console.log('| phase | rows/s | ratio vs parse | seconds | rows per CPU-second | CPU ratio vs parse | peak RSS | RSS at 25/50/75/100% |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [name, p] of [['parse only (baseline)', parse], ['parse + map + clean', full]] as const) {
      console.log(`| ${name} | ${Math.round(rate(p)).toLocaleString('en')} | ${(rate(p) / rate(parse)).toFixed(2)} | ${p.seconds.toFixed(1)} | ${Math.round(cpuRate(p)).toLocaleString('en')} | ${(cpuRate(p) / cpuRate(parse)).toFixed(2)} | ${mb(p.peakRss)} | ${p.quarters.map(mb).join(' / ')} |`);
    }
    console.log('note: parse+map+clean keeps one in-memory natural-key entry per accepted row for de-duplication (ImportKeyIndex);');
    console.log('      that index is the only state that grows with the file; everything else streams.');
  } finally {
    await rm(path, { force: true });
  }
}
