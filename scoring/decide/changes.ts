/**
 * Early-warning events from re-evaluation (issue 7 §6): comparing a subject's new decision with the previous
 * one; the node raises these when new signals trigger a re-evaluation.
 */
import { GRADES } from '../policy/schema';
import type { Decision } from './decide';

/** An early-warning event. */
export interface DecisionChange {
  code: 'GRADE_DROP' | 'CREDIT_LINE_FROZEN' | 'VIP_LOST';
  from: string;
  to: string;
}

/** Events between `prev` (or null for a first decision) and `next`. */
export function decisionChanges(prev: Pick<Decision, 'grade' | 'status' | 'vip'> | null, next: Pick<Decision, 'grade' | 'status' | 'vip'>): DecisionChange[] {
  if (prev === null) return next.status === 'frozen' ? [{ code: 'CREDIT_LINE_FROZEN', from: 'none', to: 'frozen' }] : [];
  const out: DecisionChange[] = [];
  if (GRADES.indexOf(next.grade) > GRADES.indexOf(prev.grade)) out.push({ code: 'GRADE_DROP', from: prev.grade, to: next.grade });
  if (next.status === 'frozen' && prev.status !== 'frozen') out.push({ code: 'CREDIT_LINE_FROZEN', from: prev.status, to: 'frozen' });
  if (prev.vip !== null && next.vip === null) out.push({ code: 'VIP_LOST', from: prev.vip.tier, to: 'none' });
  return out;
}
