/**
 * Audit log benchmark (issue 9 §1 "appends must be cheap"): events/s appended by 64 concurrent callers (group
 * commit, one transaction and advisory lock per batch) against the baseline of the same rows written as plain
 * single-row INSERTs by 64 concurrent callers, on in-memory PGlite in the same run; the cost of an append at 0 and at
 * 50,000 entries (it must not grow with the log: hashes come from the stored frontier); and full verification
 * (`audit verify`) in entries/s against raw SHA-256 of the same entry bytes.
 */
import { sql } from 'drizzle-orm';
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519KeyPairFromSeed, ready } from '../protocol';
import { createAuditLog } from '../node/audit/log';
import { verifyAuditLog } from '../node/audit/verify';
import { createLogger } from '../node/observability/logger';
import { openDatabase } from '../node/store/database';
import { runMigrations } from '../node/store/migrate';

const N = 4000;
const CONCURRENCY = 64;
const event = (i: number) => ({ type: 'merchant.query' as const, actor: `merchant:mch_${i % 17}`, subject: `pseudonym-${i % 997}`, detail: { purpose: 'credit-limit', consent: `cns_${i}`, outcome: 'ok' } });

async function concurrently(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) await fn(next++);
  }));
  return (n * 1000) / (performance.now() - t0);
}

export default async function auditBench(): Promise<void> {
  await ready();
  const database = await openDatabase({ url: null });
  await runMigrations(database);
  const kp = ed25519KeyPairFromSeed(new Uint8Array(32).fill(4));
  const log = createAuditLog({ db: database.db, memberId: 'bench', logKey: { kid: 'b', ...kp }, now: () => new Date(), logger: createLogger({ level: 'silent' }) });
  await database.db.execute(sql`create table bench_plain (idx bigserial primary key, at timestamptz not null, type text not null, actor text not null, subject text, body bytea not null)`);
  const bodyOf = (i: number) => Buffer.from(JSON.stringify(event(i)));

  const plain = await concurrently(N, (i) => database.db.execute(sql`insert into bench_plain (at, type, actor, subject, body) values (now(), 'merchant.query', ${event(i).actor}, ${event(i).subject}, ${bodyOf(i)})`));
  const audit = await concurrently(N, (i) => log.append(event(i)));

  // Cost of one sequential append near size N and again after growing the log to 50,000 entries.
  const seq = async (k: number) => {
    const t0 = performance.now();
    for (let i = 0; i < k; i++) await log.append(event(i));
    return (k * 1000) / (performance.now() - t0);
  };
  const small = await seq(300);
  await Promise.all(Array.from({ length: 50_000 - N - 300 }, (_, i) => log.append(event(i))));
  const large = await seq(300);
  await log.checkpointNow();

  const t0 = performance.now();
  const v = await verifyAuditLog(database.db, { origin: log.origin, verifierKeys: [log.verifierKey] });
  const verifyRate = (v.size * 1000) / (performance.now() - t0);
  if (!v.ok) throw new Error('benchmark log does not verify');
  const sample = new TextEncoder().encode(`{"v":1,"index":12345,"at":"2026-11-23T00:00:00.000Z","type":"merchant.query","actor":"merchant:mch_1","subject":"pseudonym-1","detail":{"consent":"cns_1","outcome":"ok","purpose":"credit-limit"}}`);
  const t1 = performance.now();
  for (let i = 0; i < 200_000; i++) sha256(sample);
  const shaRate = 200_000_000 / (performance.now() - t1);
  await database.close();

  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log('| measurement | per second | baseline | baseline per second | ratio |');
  console.log('|---|---:|---|---:|---:|');
  console.log(`| audit append, ${CONCURRENCY} concurrent callers (PGlite) | ${fmt(audit)} | plain single-row INSERT, same concurrency | ${fmt(plain)} | ${(audit / plain).toFixed(2)}x |`);
  console.log(`| sequential append at 50,000 entries | ${fmt(large)} | sequential append at ~${N} entries | ${fmt(small)} | ${(large / small).toFixed(2)}x |`);
  console.log(`| audit verify (${v.size.toLocaleString('en-US')} entries, ${v.checkpoints} checkpoints) | ${fmt(verifyRate)} | raw SHA-256 of a ${sample.length}-byte entry | ${fmt(shaRate)} | ${((verifyRate / shaRate) * 100).toFixed(1)}% |`);
}
