/**
 * Scoring benchmark (issue 7 "Performance"):
 *  1. one decision end to end in-process (features, model, policy, explanation): p50/p99, against a bare
 *     single-row ONNX inference measured in the same run;
 *  2. batch re-scoring of 100,000 subjects with decideBatch (chunks of 10,000): decisions/s, as a ratio
 *     against bare ONNX inference of the same feature rows in the same chunks.
 */
import { decide, decideBatch } from '../scoring/decide/decide';
import { FEATURE_COUNT } from '../scoring/features/catalogue';
import { computeFeatures } from '../scoring/features/compute';
import { loadOnnxModel } from '../scoring/model/load';
import { defaultPolicy } from '../scoring/policy/load';
import { trainScorecard } from '../scoring/train/train';
import { SYNTH_AS_OF, syntheticSubjects } from '../test/fixtures/scoring/synthetic';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

export default async function (): Promise<void> {
  const asOf = SYNTH_AS_OF;
  const trainSet = syntheticSubjects(20_000, 1);
  const rows = trainSet.map((s) => ({ features: computeFeatures(s.inputs, asOf).values, label: s.label }));
  const trained = trainScorecard(rows, { modelVersion: 'bench-scorecard' });
  const loaded = await loadOnnxModel(trained.onnxBytes);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const model = loaded.value;
  const policy = defaultPolicy();
  const ctx = { model, policy, asOf };

  // 1. single decision vs single-row ONNX inference
  const singles = syntheticSubjects(3_000, 2).map((s) => s.inputs);
  const singleRows = singles.map((s) => computeFeatures(s, asOf).values);
  for (let i = 0; i < 300; i++) { await decide(singles[i]!, ctx); await model.predict(singleRows[i]!, 1); }
  const tDecide: number[] = [];
  const tOnnx: number[] = [];
  for (let i = 0; i < singles.length; i++) {
    let t = performance.now();
    await model.predict(singleRows[i]!, 1);
    tOnnx.push(performance.now() - t);
    t = performance.now();
    await decide(singles[i]!, ctx);
    tDecide.push(performance.now() - t);
  }
  const f = (x: number) => `${(x * 1000).toFixed(0)} µs`;
  console.log(`single decision (n=${singles.length}): p50 ${f(pct(tDecide, 0.5))}, p99 ${f(pct(tDecide, 0.99))}`);
  console.log(`bare ONNX 1-row inference:          p50 ${f(pct(tOnnx, 0.5))}, p99 ${f(pct(tOnnx, 0.99))}`);
  console.log(`ratio decision/ONNX: p50 ${(pct(tDecide, 0.5) / pct(tOnnx, 0.5)).toFixed(2)}x, p99 ${(pct(tDecide, 0.99) / pct(tOnnx, 0.99)).toFixed(2)}x`);

  // 2. batch re-scoring of 100,000 subjects
  const N = 100_000;
  const CHUNK = 10_000;
  let decideMs = 0;
  let onnxMs = 0;
  let decided = 0;
  const grades: Record<string, number> = {};
  for (let c = 0; c < N / CHUNK; c++) {
    const chunk = syntheticSubjects(CHUNK, 1000 + c).map((s) => s.inputs);
    const batch = new Float32Array(CHUNK * FEATURE_COUNT);
    chunk.forEach((s, i) => batch.set(computeFeatures(s, asOf).values, i * FEATURE_COUNT));
    let t = performance.now();
    await model.predict(batch, CHUNK);
    onnxMs += performance.now() - t;
    t = performance.now();
    const ds = await decideBatch(chunk, ctx);
    decideMs += performance.now() - t;
    decided += ds.length;
    for (const d of ds) grades[d.grade] = (grades[d.grade] ?? 0) + 1;
  }
  const dps = decided / (decideMs / 1000);
  const ops = N / (onnxMs / 1000);
  console.log(`batch re-scoring ${N} subjects (chunks of ${CHUNK}): ${decideMs.toFixed(0)} ms, ${dps.toFixed(0)} decisions/s`);
  console.log(`bare ONNX inference of the same rows:               ${onnxMs.toFixed(0)} ms, ${ops.toFixed(0)} rows/s`);
  console.log(`ratio decisions/s : ONNX rows/s = ${(dps / ops).toFixed(3)} (full decision costs ${(ops / dps).toFixed(1)}x bare inference)`);
  console.log(`grades: ${JSON.stringify(grades)}`);
  await model.release();
}
