import { OVERDUE_BUCKETS } from '../../protocol';
import type { Db } from '../store/database';
import type { CsvCell } from './csv';
import { exposureByMember, gradeDistribution, overdueAging } from './queries';

/** The overdue buckets in the order the signal catalogue defines them. */
export const OVERDUE_ORDER: readonly string[] = OVERDUE_BUCKETS;

/** How many months back the aging report looks. */
export const AGING_MONTHS = 24;

/** Credit report tables (issue 9 §6): each with a CSV form. */
export interface CreditReport {
  grades: { grade: string; n: number; limitMinor: number; usedMinor: number; frozen: number }[];
  exposure: { issuer: string; band: string; n: number; subjects: number }[];
  aging: { month: string; buckets: Record<string, number> }[];
  agingFrom: string;
}

/** `YYYY-MM` of the month `back` months before `now` (UTC). */
export function monthsBack(now: Date, back: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Gathers the credit report at `now` for member `own`. */
export async function creditReport(db: Db, own: string, now: Date): Promise<CreditReport> {
  const agingFrom = monthsBack(now, AGING_MONTHS - 1);
  const [grades, exposure, aging] = await Promise.all([gradeDistribution(db, now), exposureByMember(db, own, now), overdueAging(db, agingFrom)]);
  const byMonth = new Map<string, Record<string, number>>();
  for (const a of aging) {
    const m = byMonth.get(a.month) ?? {};
    m[a.bucket] = (m[a.bucket] ?? 0) + a.n;
    byMonth.set(a.month, m);
  }
  return {
    grades: grades.map((g) => ({ grade: g.grade, n: g.n, limitMinor: Number(g.limit_minor), usedMinor: Number(g.used_minor), frozen: g.frozen })),
    exposure,
    aging: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, buckets]) => ({ month, buckets })),
    agingFrom,
  };
}

/** The report tables that can be exported as CSV. */
export const csvTables = ['grades', 'exposure', 'aging'] as const;

/** One report table as CSV header and rows (money in CNY with two decimals). */
export function reportTable(r: CreditReport, table: (typeof csvTables)[number]): { header: string[]; rows: CsvCell[][] } {
  switch (table) {
    case 'grades':
      return { header: ['grade', 'subjects', 'total_limit_cny', 'used_limit_cny', 'frozen'], rows: r.grades.map((g) => [g.grade, g.n, Number((g.limitMinor / 100).toFixed(2)), Number((g.usedMinor / 100).toFixed(2)), g.frozen]) };
    case 'exposure':
      return { header: ['member', 'limit_band', 'credit_lines', 'subjects'], rows: r.exposure.map((e) => [e.issuer, e.band, e.n, e.subjects]) };
    case 'aging':
      return { header: ['month', ...OVERDUE_ORDER], rows: r.aging.map((a) => [a.month, ...OVERDUE_ORDER.map((b) => a.buckets[b] ?? 0)]) };
  }
}
