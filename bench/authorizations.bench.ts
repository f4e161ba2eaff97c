/**
 * Authorizations benchmark (issue 8 "Performance"): holds/s with 64 concurrent merchant clients, first on 64
 * distinct customers, then all on one customer, then an overspend check (64 clients race 3,000 holds for a limit
 * that fits 1,000: exactly 1,000 must be accepted and the held sum in the database must equal them, never more).
 * The node side is the ledger module over HTTP on 127.0.0.1 (fake merchant access: token checks are merchant
 * access's benchmark, not this one); the load comes from a separate process (this file in child mode), and the
 * baseline is `GET /healthz` on the same server in the same run. Runs on PGlite (in memory) and on PostgreSQL
 * (TEST_DATABASE_URL, or a throw-away local cluster when PostgreSQL is installed). BENCH_AUTH_SECONDS sets the
 * length of each timed phase (default 5).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../node/store/database';
import { runMigrations } from '../node/store/migrate';
import { merchantAuthorizations } from '../node/store/schema';
import { createTestDatabase } from '../test/support/databases';
import { findPostgresBin, startCluster, type Cluster } from '../test/support/postgres-cluster';
import { decision, ledgerHarness, subject } from '../test/unit/node/merchant/ledger/harness';
import { childMain, quantile, runInChild } from './child';

const CHILD_ENV = 'CONSORTIUM_AUTH_BENCH_CHILD';
const SECONDS = Number(process.env.BENCH_AUTH_SECONDS ?? 5);
const CONCURRENCY = 64;
const AMOUNT = 100;

/** What the load generator is asked to do: GET `/healthz`, or POST holds with one body per worker. */
interface LoadTask {
  base: string;
  kind: 'healthz' | 'holds';
  /** Per worker: client id and consent token (holds only). */
  workers: { clientId: string; token: string }[];
  seconds: number;
  /** Stop after this many requests in total (overspend check) instead of after `seconds`. */
  maxRequests?: number;
}
interface LoadResult { ok: number; refused: number; errors: number; seconds: number; p50: number; p99: number }

async function runLoad(task: LoadTask): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let refused = 0;
  let errors = 0;
  let sent = 0;
  const start = performance.now();
  const until = start + task.seconds * 1000;
  const more = () => (task.maxRequests !== undefined ? sent < task.maxRequests : performance.now() < until);
  await Promise.all(
    task.workers.map(async (w, i) => {
      let n = 0;
      while (more()) {
        sent++;
        const t = performance.now();
        const res =
          task.kind === 'healthz'
            ? await fetch(`${task.base}/healthz`)
            : await fetch(`${task.base}/v1/authorizations`, {
                method: 'POST',
                headers: { authorization: `Bearer client:${w.clientId}`, 'content-type': 'application/json' },
                body: JSON.stringify({ consentToken: w.token, amountMinor: AMOUNT, currency: 'CNY', merchantReference: `w${i}-${n++}` }),
              });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status === 200 || res.status === 201) ok++;
        else if (res.status === 409) refused++;
        else errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => quantile(latencies, p);
  return { ok, refused, errors, seconds: (performance.now() - start) / 1000, p50: q(0.5), p99: q(0.99) };
}

/** Runs the load in a child process (this module in child mode). */
const inChild = (task: LoadTask) => runInChild<LoadResult>(import.meta.url, CHILD_ENV, task, 'load generator');

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** One database: the three phases and the overspend check; returns the report rows. */
async function measure(label: string, database: Database): Promise<string[][]> {
  await runMigrations(database);
  const h = await ledgerHarness(database);
  const server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const customer = (name: string, limit: number) => {
      const s = subject(`${label}-${name}`);
      h.decisions.set(s, decision(`dec-${label}-${name}`, s, limit));
      return s;
    };
    const distinct = Array.from({ length: CONCURRENCY }, (_, i) => {
      const s = customer(`distinct-${i}`, 1e11);
      return { clientId: `bench-${i}`, token: h.token(`bench-${i}`, s) };
    });
    const hot = customer('hot', 1e11);
    const one = Array.from({ length: CONCURRENCY }, (_, i) => ({ clientId: `bench-${i}`, token: h.token(`bench-${i}`, hot) }));
    const tight = customer('tight', 1000 * AMOUNT);
    const race = Array.from({ length: CONCURRENCY }, (_, i) => ({ clientId: `bench-${i}`, token: h.token(`bench-${i}`, tight) }));

    const healthz = await inChild({ base, kind: 'healthz', workers: distinct, seconds: SECONDS });
    const d = await inChild({ base, kind: 'holds', workers: distinct, seconds: SECONDS });
    const o = await inChild({ base, kind: 'holds', workers: one, seconds: SECONDS });
    const r = await inChild({ base, kind: 'holds', workers: race, seconds: 600, maxRequests: 3000 });
    const [row] = await database.db
      .select({ n: sql<string>`count(*)`, total: sql<string>`coalesce(sum(${merchantAuthorizations.amountMinor}), 0)` })
      .from(merchantAuthorizations)
      .where(eq(merchantAuthorizations.subject, tight));
    const heldSum = Number(row!.total);
    const overspend = heldSum > 1000 * AMOUNT || r.ok !== 1000 || Number(row!.n) !== r.ok || r.errors > 0;
    const rate = (x: LoadResult) => x.ok / x.seconds;
    const base0 = rate(healthz);
    const line = (name: string, x: LoadResult, note = '') => [`${label}: ${name}`, fmt(rate(x)), (rate(x) / base0).toFixed(3), x.p50.toFixed(1), x.p99.toFixed(1), `${x.errors}${note}`];
    return [
      line('GET /healthz (baseline)', healthz),
      line('holds, 64 clients on 64 customers', d),
      line('holds, 64 clients on one customer', o),
      [`${label}: overspend check (3,000 racing for 1,000)`, `${r.ok} accepted, ${r.refused} refused`, '', r.p50.toFixed(1), r.p99.toFixed(1), `held ${fmt(heldSum)} of ${fmt(1000 * AMOUNT)}: ${overspend ? 'FAILED' : 'never overspent'}`],
    ];
  } finally {
    server.close();
    await h.ledger.stop();
  }
}

/** Runs the benchmark and prints its report. */
export default async function main(): Promise<void> {
  const rows: string[][] = [];
  const pglite = await openDatabase({ url: null });
  try {
    rows.push(...(await measure('PGlite', pglite)));
  } finally {
    await pglite.close();
  }
  let cluster: Cluster | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  const bin = adminUrl ? undefined : findPostgresBin();
  if (!adminUrl && bin) {
    cluster = await startCluster(bin);
    adminUrl = cluster.url;
  }
  try {
    if (adminUrl) {
      const { url, drop } = await createTestDatabase(adminUrl);
      const pg = await openDatabase({ url });
      try {
        rows.push(...(await measure('PostgreSQL', pg)));
      } finally {
        await pg.close();
        await drop();
      }
    } else console.log('PostgreSQL: skipped (set TEST_DATABASE_URL or install PostgreSQL)');
  } finally {
    await cluster?.stop();
  }
  console.log(`${SECONDS} s per timed phase, ${CONCURRENCY} concurrent clients in a separate load-generator process, HTTP on 127.0.0.1`);
  console.log('| phase | ok/s | ratio vs /healthz | p50 ms | p99 ms | errors / check |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

childMain(CHILD_ENV, runLoad);
