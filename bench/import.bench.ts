/**
 * Node import throughput (issue 5 performance): a generated order CSV (BENCH_IMPORT_ROWS rows,
 * default 1,000,000, over 20,000 stored customers) imported through the node's import service into
 * PGlite (on disk) and PostgreSQL (TEST_DATABASE_URL, or a throw-away local cluster when one is
 * installed), against merely parsing the same file in the same run. Reports rows/s, peak RSS and
 * the ratio import/parse; `clean-only` (the adapters' pipeline without storage) shows what storage costs. Derivation runs too (orders derive no signals; every customer is visited).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFileMapping, createImportSession, parseMapping, readFileSource } from '../adapters/member';
import { createPrng, residentId } from '../adapters/member/synth';
import { openDatabase, type Database } from '../node/store/database';
import { createTestDatabase } from '../test/support/databases';
import { findPostgresBin, startCluster, type Cluster } from '../test/support/postgres-cluster';
import { importStack } from '../test/unit/node/imports/fixture';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const CUSTOMERS = 20_000;
const NOW = () => new Date('2026-11-23T10:00:00Z');

const mapping = {
  format: 'consortium-mapping/v1',
  defaults: { currency: 'CNY', timeZone: 'Asia/Shanghai' },
  files: [
    { match: 'customers*.csv', entity: 'customer', source: { type: 'csv' },
      fields: { customerRef: { column: 'id' }, subjectId: { column: 'rid' }, registeredAt: { column: 'reg', format: 'YYYY-MM-DD HH:mm:ss' }, verificationMethod: { column: 'kyc', values: { F: 'face_match' } } } },
    { match: 'orders*.csv', entity: 'order', source: { type: 'csv' },
      fields: {
        orderRef: { column: '订单号' }, customerRef: { column: '客户编号' },
        placedAt: { column: '下单时间', format: 'YYYY-MM-DD HH:mm:ss' }, amount: { column: '金额(元)', unit: 'yuan' },
        status: { column: '订单状态', values: { 已完成: 'completed', 已取消: 'cancelled', 已退货: 'returned', 已支付: 'paid' } },
      } },
  ],
};

async function writeLines(path: string, header: string, rows: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(header);
  for (let i = 0; i < rows; i += 10_000) {
    let chunk = '';
    for (let j = i; j < Math.min(rows, i + 10_000); j++) chunk += line(j);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function writeFiles(dir: string) {
  const rng = createPrng('import-bench');
  const customers = join(dir, 'customers.csv');
  const orders = join(dir, 'orders.csv');
  await writeLines(customers, 'id,rid,reg,kyc\n', CUSTOMERS, (i) => `C${i},${residentId(rng)},2024-01-01 10:00:00,F\n`);
  const statuses = ['已完成', '已取消', '已退货', '已支付'];
  const base = Date.UTC(2025, 0, 1);
  await writeLines(orders, '订单号,客户编号,下单时间,金额(元),订单状态\n', ROWS, (j) => {
    const t = new Date(base + rng.int(300 * 86_400) * 1000).toISOString();
    return `SO${j},C${rng.int(CUSTOMERS)},${t.slice(0, 10)} ${t.slice(11, 19)},${rng.range(1, 5000)}.${String(rng.int(100)).padStart(2, '0')},${statuses[j % 4]}\n`;
  });
  return { customers, orders };
}

interface Phase { rows: number; seconds: number; peakRss: number }

async function measure(run: () => Promise<number>): Promise<Phase> {
  globalThis.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 50);
  const start = performance.now();
  const rows = await run();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  return { rows, seconds, peakRss: Math.max(peak, process.memoryUsage.rss()) };
}

const mb = (b: number) => `${(b / 1_048_576).toFixed(0)} MB`;
const rate = (p: Phase) => Math.round(p.rows / p.seconds);

async function importInto(label: string, database: Database, files: { customers: string; orders: string }, parse: Phase): Promise<void> {
  const stack = await importStack('bench-member', NOW, database, 1000);
  try {
    const c = await stack.service.runImport({ mapping, files: [files.customers] });
    if (!c.ok || c.summary.accepted !== CUSTOMERS) throw new Error(`customer import failed: ${JSON.stringify(c)}`);
    let recordsDone = 0;
    const phase = await measure(async () => {
      const start = performance.now();
      const r = await stack.service.runImport({ mapping, files: [files.orders], onProgress: (p) => { if (p.phase === 'signals' && !recordsDone) recordsDone = performance.now() - start; } });
      if (!r.ok || r.summary.inserted !== ROWS) throw new Error(`order import failed: ${JSON.stringify(r)}`);
      return r.summary.read;
    });
    const records = recordsDone ? { ...phase, seconds: recordsDone / 1000 } : phase;
    console.log(`${label.padEnd(10)} import ${rate(phase).toLocaleString('en')} rows/s (${phase.seconds.toFixed(1)} s incl. derivation; records phase ${rate(records).toLocaleString('en')} rows/s), peak RSS ${mb(phase.peakRss)}, import/parse = ${(rate(phase) / rate(parse)).toFixed(3)} (records phase ${(rate(records) / rate(parse)).toFixed(3)})`);
  } finally {
    await stack.close();
  }
}

/** Runs the benchmark and prints its report. */
export default async function main(): Promise<void> {
  const parsed = parseMapping(mapping);
  if (!parsed.ok) throw new Error('bench mapping invalid');
  const section = parsed.mapping.files[1]!;
  const dir = mkdtempSync(join(tmpdir(), 'consortium-import-bench-'));
  let cluster: Cluster | undefined;
  try {
    const files = await writeFiles(dir);
    console.log(`file: ${ROWS.toLocaleString('en')} order rows over ${CUSTOMERS.toLocaleString('en')} customers, ${mb((await stat(files.orders)).size)}`);
    const parse = await measure(async () => {
      let n = 0;
      for await (const item of readFileSource(files.orders, section.source)) if ('record' in item) n++;
      return n;
    });
    console.log(`parse-only ${rate(parse).toLocaleString('en')} rows/s (${parse.seconds.toFixed(1)} s), peak RSS ${mb(parse.peakRss)}  [baseline]`);
    const pipeline = await measure(async () => {
      const session = createImportSession({ now: NOW, knownKeys: { has: (k) => k.startsWith('customer:C') } });
      let n = 0;
      for await (const ev of session.run(readFileSource(files.orders, section.source), compileFileMapping(parsed.mapping, section))) if (ev.kind === 'accepted') n++;
      return n;
    });
    console.log(`clean-only ${rate(pipeline).toLocaleString('en')} rows/s (${pipeline.seconds.toFixed(1)} s, parse+map+validate+dedupe, no storage), peak RSS ${mb(pipeline.peakRss)}, clean/parse = ${(rate(pipeline) / rate(parse)).toFixed(3)}`);

    const pglite = await openDatabase({ url: null, dataDir: join(dir, 'pgdata') });
    try {
      await importInto('PGlite', pglite, files, parse);
    } finally {
      await pglite.close();
    }

    let adminUrl = process.env.TEST_DATABASE_URL;
    const bin = adminUrl ? undefined : findPostgresBin();
    if (!adminUrl && bin) {
      cluster = await startCluster(bin);
      adminUrl = cluster.url;
    }
    if (!adminUrl) {
      console.log('PostgreSQL: skipped (set TEST_DATABASE_URL or install PostgreSQL)');
      return;
    }
    const { url, drop } = await createTestDatabase(adminUrl);
    const pg = await openDatabase({ url });
    try {
      await importInto('PostgreSQL', pg, files, parse);
    } finally {
      await pg.close();
      await drop();
    }
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
