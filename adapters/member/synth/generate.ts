/**
 * The synthetic consortium generator (docs/data-standard.md §8): seeded and deterministic; each
 * member's exports in a different native format with their mapping file, a manifest of injected
 * defects and per-person ground truth. Backs `consortium-node synth`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { injectDefects, type InjectedDefect, type PlannedRow } from './defects';
import { mappingFor, serialize, toNative } from './encode';
import { FORMATS, type FormatSpec } from './formats';
import { SYNTH_ENTITIES, type GroundTruth, type SynthEntity, type SynthRows } from './model';
import { createPrng, type Prng } from './prng';
import { generateWorld } from './world';

/** Options of {@link generateConsortium}. */
export interface SynthOptions {
  /** Number of members (1-26). */
  members: number;
  /** Number of distinct people (1-1,000,000). */
  customers: number;
  /** Seed: same seed and options, same bytes. */
  seed: string | number;
  /** Where to write files; nothing is written when absent. */
  outDir?: string;
  /** Reference instant: all normal events lie before it. Default 2026-06-30T00:00:00+08:00. */
  asOf?: Date;
  /** Share of rows per file that get a defect. Default 0.02. */
  defectRate?: number;
}

/** One synthetic export file. */
export interface SynthFile { name: string; entity: SynthEntity; text: string }

/** One synthetic member. */
export interface SynthMember { id: string; format: FormatSpec['id']; mapping: Record<string, unknown>; files: SynthFile[] }

/** The generated consortium. */
export interface SynthConsortium {
  asOf: string;
  members: SynthMember[];
  truth: GroundTruth[];
  defects: InjectedDefect[];
}

/** Default reference instant of the generator. */
export const DEFAULT_SYNTH_AS_OF = new Date('2026-06-30T00:00:00+08:00');

function leafFlags(entity: SynthEntity, rows: SynthRows): boolean[] {
  if (entity === 'order') {
    const used = new Set([...rows.installment.map((i) => i.orderRef), ...rows.refund.map((r) => r.orderRef)]);
    return rows.order.map((o) => !used.has(o.orderRef));
  }
  if (entity === 'creditLine' || entity === 'customer') return rows[entity].map(() => false);
  return rows[entity].map(() => true);
}

function buildMember(rng: Prng, id: string, f: FormatSpec, rows: SynthRows, asOfMs: number, rate: number): { member: SynthMember; defects: InjectedDefect[] } {
  const files: SynthFile[] = [];
  const defects: InjectedDefect[] = [];
  const template = rows.customer[0];
  for (const entity of SYNTH_ENTITIES) {
    const planned: PlannedRow[] = (rows[entity] as Record<string, unknown>[]).map((r) => ({ native: toNative(f, entity, r) }));
    const extra = f.extras?.[entity];
    if (extra) for (const p of planned) if (rng.chance(0.03)) p.native[extra] = rng.pick(['请放门口\n谢谢', '工作日送货, 周末不在家', '"加急" 发货']);
    const extraCustomer = (suffix: string) =>
      toNative(f, 'customer', { ...template!, customerRef: `${template!.customerRef}-${suffix}`, verifiedAt: undefined, verificationMethod: 'none' });
    const ordered = template ? injectDefects(rng.fork(`${id}/${entity}`), f, entity, planned, leafFlags(entity, rows), asOfMs, rate, extraCustomer) : planned;
    const { text, lines } = serialize(f, entity, ordered.map((p) => p.native));
    ordered.forEach((p, i) => {
      if (!p.defect) return;
      const d: InjectedDefect = { member: id, file: f.files[entity], line: lines[i]!, kind: p.defect.kind, reason: p.defect.reason };
      if (p.defect.field) d.field = p.defect.field;
      defects.push(d);
    });
    files.push({ name: f.files[entity], entity, text });
  }
  return { member: { id, format: f.id, mapping: mappingFor(f, id), files }, defects };
}

/**
 * Generates a consortium of `members` members and `customers` people from `seed` (§8). Member i
 * (1-based) uses format FORMATS[(i-1) % 3]. With `outDir`, writes `<outDir>/<member>/<file>`,
 * `<outDir>/<member>/mapping.json`, `<outDir>/manifest.json` (asOf, members, injected defects) and
 * `<outDir>/ground-truth.ndjson` (one person per line).
 */
export async function generateConsortium(opts: SynthOptions): Promise<SynthConsortium> {
  if (!Number.isInteger(opts.members) || opts.members < 1 || opts.members > 26) throw new RangeError('members must be 1..26');
  if (!Number.isInteger(opts.customers) || opts.customers < 1 || opts.customers > 1_000_000) throw new RangeError('customers must be 1..1,000,000');
  const asOf = opts.asOf ?? DEFAULT_SYNTH_AS_OF;
  const rate = opts.defectRate ?? 0.02;
  if (!(rate >= 0 && rate <= 0.2)) throw new RangeError('defectRate must be 0..0.2');
  const rng = createPrng(opts.seed);
  const ids = Array.from({ length: opts.members }, (_, i) => `member-${i + 1}`);
  const world = generateWorld(rng.fork('world'), ids, opts.customers, asOf.getTime());
  const members: SynthMember[] = [];
  const defects: InjectedDefect[] = [];
  ids.forEach((id, i) => {
    const built = buildMember(rng.fork(`defects/${id}`), id, FORMATS[i % FORMATS.length]!, world.rows.get(id)!, asOf.getTime(), rate);
    members.push(built.member);
    defects.push(...built.defects);
  });
  const result: SynthConsortium = { asOf: asOf.toISOString(), members, truth: world.truth, defects };
  if (opts.outDir) await writeConsortium(result, opts.outDir);
  return result;
}

/** Writes a generated consortium to `dir` (layout: see {@link generateConsortium}). */
export async function writeConsortium(c: SynthConsortium, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const m of c.members) {
    const mdir = join(dir, m.id);
    await mkdir(mdir, { recursive: true });
    for (const f of m.files) await writeFile(join(mdir, f.name), f.text);
    await writeFile(join(mdir, 'mapping.json'), `${JSON.stringify(m.mapping, null, 2)}\n`);
  }
  const manifest = { asOf: c.asOf, members: c.members.map((m) => ({ id: m.id, format: m.format, files: m.files.map((f) => f.name) })), defects: c.defects };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'ground-truth.ndjson'), c.truth.map((t) => JSON.stringify(t)).join('\n') + '\n');
}
