/**
 * Node import throughput and memory (issue 5 performance). Generated order CSVs (100,000 rows and
 * BENCH_IMPORT_ROWS rows, default 1,000,000, over 20,000 customers) are imported by the real command,
 * `consortium-node import --dir DIR --mapping FILE [--database-url URL] FILE` (customers first, then
 * the timed order file), into a joined node on PGlite (on disk, created as by a first start) and on
 * PostgreSQL (TEST_DATABASE_URL, or a throw-away local cluster when one is installed), against merely
 * parsing the same file. Each phase runs in its own child process so its peak RSS
 * (`process.resourceUsage().maxRSS`) is its own. Reports rows/s, the ratio import/parse measured in
 * the same run, and peak RSS for a file without rows (the command's fixed cost), 100k rows and the
 * full file (flat memory = about the same peak whatever the size). `clean-only` (the adapters'
 * pipeline without storage) shows what storage costs.
 */
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFileMapping, createImportSession, parseMapping, readFileSourceChunks } from '../adapters/member';
import { createPrng, residentId } from '../adapters/member/synth';
import { disableAllocationSitePretenuring } from '../node/observability/memory';
import { createTestDatabase } from '../test/support/databases';
import { findPostgresBin, startCluster, type Cluster } from '../test/support/postgres-cluster';
import { childMain, runInChild } from './child';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const SMALL = Math.min(100_000, ROWS);
const CUSTOMERS = 20_000;
const NOW = () => new Date('2026-11-23T10:00:00Z');
const CHILD_ENV = 'CONSORTIUM_IMPORT_BENCH_CHILD';

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

async function writeOrders(path: string, rows: number): Promise<void> {
  const rng = createPrng(`import-bench-${rows}`);
  const statuses = ['已完成', '已取消', '已退货', '已支付'];
  const base = Date.UTC(2025, 0, 1);
  await writeLines(path, '订单号,客户编号,下单时间,金额(元),订单状态\n', rows, (j) => {
    const t = new Date(base + rng.int(300 * 86_400) * 1000).toISOString();
    return `SO${j},C${rng.int(CUSTOMERS)},${t.slice(0, 10)} ${t.slice(11, 19)},${rng.range(1, 5000)}.${String(rng.int(100)).padStart(2, '0')},${statuses[j % 4]}\n`;
  });
}

/**
 * What a child process measures: rows handled, wall seconds, CPU seconds of the process (user +
 * system; steadier than wall time on a shared machine, but without the database server's share),
 * and the process's peak RSS in bytes.
 */
interface Phase { rows: number; seconds: number; cpuSeconds: number; peakRss: number }

type ChildTask =
  | { phase: 'parse' | 'clean'; orders: string }
  | { phase: 'create-pglite'; dataDir: string }
  | { phase: 'import'; orders: string; customers: string; dir: string; mapping: string; databaseUrl?: string; rows: number };

/** Runs one phase in a child process (the module itself, in child mode). */
const inChild = (task: ChildTask) => runInChild<Phase>(import.meta.url, CHILD_ENV, task, `bench child ${task.phase}`);

async function runChild(task: ChildTask): Promise<Phase> {
  // As `consortium-node` does for every verb (node/observability/memory.ts), so every phase runs with the same heap policy.
  disableAllocationSitePretenuring();
  const parsed = parseMapping(mapping);
  if (!parsed.ok) throw new Error('bench mapping invalid');
  const section = parsed.mapping.files[1]!;
  const start = performance.now();
  let cpu0 = process.cpuUsage();
  const cpuSince = (from: NodeJS.CpuUsage) => { const c = process.cpuUsage(from); return (c.user + c.system) / 1e6; };
  let rows = 0;
  if (task.phase === 'create-pglite') {
    // A node's PGlite directory exists before any import (init creates it); creating it costs far
    // more memory than opening it, so it is done here and not in the measured import process.
    const { openDatabase } = await import('../node/store/database');
    const { runMigrations } = await import('../node/store/migrate');
    const database = await openDatabase({ url: null, dataDir: task.dataDir });
    await runMigrations(database);
    await database.close();
  } else if (task.phase === 'parse') {
    // the reader's chunks, as the import takes them (one asynchronous step per chunk)
    for await (const items of readFileSourceChunks(task.orders, section.source)) for (const item of items) if ('record' in item) rows++;
  } else if (task.phase === 'clean') {
    const session = createImportSession({ now: NOW, knownKeys: { has: (k) => k.startsWith('customer:C') } });
    for await (const events of session.runBatches(readFileSourceChunks(task.orders, section.source), compileFileMapping(parsed.mapping, section))) {
      for (const ev of events) if (ev.kind === 'accepted') rows++;
    }
  } else if (task.phase === 'import') {
    // What an operator runs: `consortium-node import --dir DIR --mapping FILE [--database-url URL] FILE`,
    // customers first (orders refer to them), then the timed order file.
    const { main } = await import('../node/cli/main');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => { if (err.length < 1000) err.push(l); }, env: {}, stopSignal: new Promise<string>(() => {}), isTTY: false };
    const cli = (file: string) => main(['import', '--dir', task.dir, '--mapping', task.mapping, ...(task.databaseUrl ? ['--database-url', task.databaseUrl] : []), file], io);
    const expected = task.rows ? 0 : 1; // a file without rows imports nothing: exit 1
    if ((await cli(task.customers)) !== 0 || !out.some((l) => l.includes(`inserted ${CUSTOMERS},`))) throw new Error(`customer import failed: ${[...out, ...err].join('\n')}`);
    out.length = 0;
    const t0 = performance.now();
    cpu0 = process.cpuUsage();
    const code = await cli(task.orders);
    const seconds = (performance.now() - t0) / 1000;
    if (code !== expected || !out.some((l) => l.includes(`inserted ${task.rows},`))) throw new Error(`order import failed (exit ${code}): ${[...out, ...err.slice(-20)].join('\n')}`);
    return { rows: task.rows, seconds, cpuSeconds: cpuSince(cpu0), peakRss: process.resourceUsage().maxRSS * 1024 };
  }
  const seconds = (performance.now() - start) / 1000;
  return { rows, seconds, cpuSeconds: cpuSince(cpu0), peakRss: process.resourceUsage().maxRSS * 1024 };
}

const mb = (b: number) => `${(b / 1_048_576).toFixed(0)} MB`;
const rate = (p: Phase) => p.rows / p.seconds;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Runs the benchmark and prints its report. */
export default async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'consortium-import-bench-'));
  let cluster: Cluster | undefined;
  try {
    const customers = join(dir, 'customers.csv');
    const rng = createPrng('import-bench');
    await writeLines(customers, 'id,rid,reg,kyc\n', CUSTOMERS, (i) => `C${i},${residentId(rng)},2024-01-01 10:00:00,F\n`);
    const sizes = [...new Set([SMALL, ROWS])];
    const files = new Map<number, string>();
    for (const n of sizes) {
      const p = join(dir, `orders-${n}.csv`);
      await writeOrders(p, n);
      files.set(n, p);
    }
    const big = files.get(ROWS)!;
    console.log(`files: ${sizes.map((n) => fmt(n)).join(' and ')} order rows over ${fmt(CUSTOMERS)} customers (${mb((await stat(big)).size)} for ${fmt(ROWS)}); each phase in a child process`);

    const parse = await inChild({ phase: 'parse', orders: big });
    const clean = await inChild({ phase: 'clean', orders: big });
    const row = (name: string, p: Phase, peaks = '') =>
      [name, fmt(rate(p)), (rate(p) / rate(parse)).toFixed(3), p.seconds.toFixed(1), fmt(p.rows / p.cpuSeconds), ((p.rows / p.cpuSeconds) / (parse.rows / parse.cpuSeconds)).toFixed(3), mb(p.peakRss), peaks];
    // Rows are printed as they are measured, so a slow machine still shows what finished.
    console.log(`| phase (${fmt(ROWS)} rows) | rows/s (wall) | ratio vs parse | seconds | rows per CPU-second of the process | CPU ratio vs parse | peak RSS | peak RSS by file size |`);
    console.log('|---|---|---|---|---|---|---|---|');
    const print = (r: string[]) => console.log(`| ${r.join(' | ')} |`);
    print(row('parse only (baseline)', parse));
    print(row('clean only (parse+map+validate+dedupe)', clean));

    let adminUrl = process.env.TEST_DATABASE_URL;
    const bin = adminUrl ? undefined : findPostgresBin();
    if (!adminUrl && bin) {
      cluster = await startCluster(bin);
      adminUrl = cluster.url;
    }
    const { joinedNodes } = await import('../test/support/member-fixture');
    /** A joined node directory with the bench mapping, on PGlite (created as by a first start) or on a fresh PostgreSQL database. */
    const nodeFor = async (label: string) => {
      const fx = await joinedNodes(['bench-member']);
      const nodeDir = fx.nodes[0]!.dir;
      const mappingPath = join(nodeDir, 'bench-mapping.json');
      writeFileSync(mappingPath, JSON.stringify(mapping));
      if (label === 'PGlite') {
        await inChild({ phase: 'create-pglite', dataDir: fx.nodes[0]!.config.pgdataDir });
        return { nodeDir, mappingPath, drop: async () => fx.cleanup() };
      }
      const { url, drop } = await createTestDatabase(adminUrl!);
      return { nodeDir, mappingPath, databaseUrl: url, drop: async () => { await drop(); fx.cleanup(); } };
    };
    const empty = join(dir, 'orders-0.csv');
    await writeOrders(empty, 0);
    for (const label of adminUrl ? ['PostgreSQL', 'PGlite'] : ['PGlite']) {
      const peaks: string[] = [];
      let full: Phase | undefined;
      for (const n of [0, ...sizes]) {
        const target = await nodeFor(label);
        try {
          const p = await inChild({ phase: 'import', orders: n ? files.get(n)! : empty, customers, dir: target.nodeDir, mapping: target.mappingPath, rows: n, ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}) });
          peaks.push(`${n ? fmt(n) : 'no rows'}: ${mb(p.peakRss)}`);
          if (n === ROWS) full = p;
        } finally {
          await target.drop();
        }
      }
      print(row(`${label} import (\`consortium-node import\`)`, full!, peaks.join(', ')));
    }
    if (!adminUrl) console.log('PostgreSQL: skipped (set TEST_DATABASE_URL or install PostgreSQL)');
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

childMain(CHILD_ENV, runChild);
