/**
 * Summary of the consortium signals about one subject (issue 7 §1(b)).
 * Expired signals (`expiresAt <= asOf`) and signals issued after `asOf` never count; withdrawn and retracted
 * signals must already be removed by the caller (see {@link ConsortiumSignalView}).
 */
import type { ConsortiumSignalView } from './inputs';
import { creditLine, onTimeCleanMonths, overdueBucket } from './signal-data';

/** Reference to one signal used as evidence. */
export interface SignalEvidence {
  issuer: string;
  logIndex: number;
  type: string;
}

/** What the consortium knows, reduced to the figures features and policy need. */
export interface ConsortiumSummary {
  /** Distinct other issuers with at least one live signal. */
  memberCount: number;
  worstOverdueBucket: number;
  recentOverdueBucket: number;
  /** Other issuers whose latest overdue is not followed by a cure, with the bucket of that overdue. */
  activeOverdue: Array<{ issuer: string; bucket: number }>;
  curedCount: number;
  /** Longest clean on-time window (months) reported by another member. */
  onTimeCleanMonths: number;
  /** Sum of limit band midpoints of the latest credit.line of each other issuer, minor units. */
  exposureMinor: number;
  maxUtilization: number;
  refundAbuseCount: number;
  /** fraud.confirmed from any issuer, including ourselves. */
  fraudConfirmed: boolean;
  /** Other issuers that report a relationship without any active overdue, refund abuse or fraud. */
  goodStandingMembers: string[];
  /** Live signals that contributed. */
  evidence: SignalEvidence[];
  /** Live signals whose payload could not be read. */
  ignored: SignalEvidence[];
}

/** Upper bound on signals considered per subject (bounded input). */
export const MAX_SIGNALS = 10_000;

/** Summarise the live signals about one subject as of `asOf`. */
export function summarizeSignals(signals: readonly ConsortiumSignalView[], self: string, asOf: Date): ConsortiumSummary {
  if (signals.length > MAX_SIGNALS) throw new RangeError(`too many signals: ${signals.length} > ${MAX_SIGNALS}`);
  const t = asOf.getTime();
  const live = signals
    .filter((s) => Date.parse(s.expiresAt) > t && Date.parse(s.issuedAt) <= t)
    .sort((a, b) => Date.parse(a.issuedAt) - Date.parse(b.issuedAt) || a.logIndex - b.logIndex);
  const members = new Set<string>();
  const lastOverdue = new Map<string, { bucket: number; at: number }>();
  const lastCure = new Map<string, number>();
  const lines = new Map<string, { limitMinor: number; utilization: number }>();
  const abusers = new Set<string>();
  const evidence: SignalEvidence[] = [];
  const ignored: SignalEvidence[] = [];
  let worst = 0, recent = 0, recentAt = -Infinity, cured = 0, streak = 0, abuse = 0, fraud = false;
  for (const s of live) {
    const ref = { issuer: s.issuer, logIndex: s.logIndex, type: s.type };
    const at = Date.parse(s.issuedAt);
    if (s.type === 'fraud.confirmed') { fraud = true; evidence.push(ref); }
    if (s.issuer === self) continue;
    members.add(s.issuer);
    let used = true;
    switch (s.type) {
      case 'repayment.overdue': {
        const b = overdueBucket(s.data);
        if (b === undefined) { used = false; break; }
        worst = Math.max(worst, b);
        if (at >= recentAt) { recent = b; recentAt = at; }
        const prev = lastOverdue.get(s.issuer);
        lastOverdue.set(s.issuer, { bucket: prev && prev.at === at ? Math.max(prev.bucket, b) : b, at });
        break;
      }
      case 'repayment.cured': cured += 1; lastCure.set(s.issuer, at); break;
      case 'repayment.on_time': {
        const m = onTimeCleanMonths(s.data);
        if (m === undefined) used = false; else streak = Math.max(streak, m);
        break;
      }
      case 'credit.line': {
        const l = creditLine(s.data);
        if (l === undefined) used = false; else lines.set(s.issuer, l);
        break;
      }
      case 'refund.abuse': abuse += 1; abusers.add(s.issuer); break;
      case 'fraud.confirmed': break;
      default: break; // grade.assigned, vip.status, ...: count as a relationship only
    }
    if (!used) ignored.push(ref);
    else if (s.type !== 'fraud.confirmed') evidence.push(ref);
  }
  const activeOverdue: Array<{ issuer: string; bucket: number }> = [];
  for (const [issuer, o] of lastOverdue) {
    const cure = lastCure.get(issuer);
    if (cure === undefined || cure < o.at) activeOverdue.push({ issuer, bucket: o.bucket });
  }
  let exposureMinor = 0, maxUtilization = 0;
  for (const l of lines.values()) { exposureMinor += l.limitMinor; maxUtilization = Math.max(maxUtilization, l.utilization); }
  const overdueIssuers = new Set(activeOverdue.map((o) => o.issuer));
  const goodStandingMembers = [...members]
    .filter((m) => !overdueIssuers.has(m) && !abusers.has(m))
    .filter(() => !fraud)
    .sort();
  return {
    memberCount: members.size, worstOverdueBucket: worst, recentOverdueBucket: recent,
    activeOverdue: activeOverdue.sort((a, b) => a.issuer.localeCompare(b.issuer)),
    curedCount: cured, onTimeCleanMonths: streak, exposureMinor, maxUtilization,
    refundAbuseCount: abuse, fraudConfirmed: fraud, goodStandingMembers, evidence, ignored,
  };
}
