/**
 * Sharing a decision with the consortium (docs/protocol.md §3.4): `grade.assigned`, and `vip.status` when a tier
 * is granted, once the decision is in force and only when the grade or tier changed from the decision it replaces
 * (re-evaluations triggered by peers' signals must not echo back and forth). Without the subject's sharing consent
 * nothing is published; that is counted, not an error.
 */
import { gradeAssignedData, vipStatusData, type Decision } from '../../scoring';
import type { Logger } from '../observability/logger';
import type { PublishService } from '../signals/publish';
import type { DecisionMetrics } from './metrics';

/** What sharing needs. */
export interface ShareDeps {
  publish: Pick<PublishService, 'publishFor'>;
  logger: Logger;
  metrics: DecisionMetrics;
}

/** Publishes what changed between `prev` (the decision replaced, or null) and `next`, both in force. */
export async function shareDecision(deps: ShareDeps, subject: { kid: string; value: string } | null, prev: Decision | null, next: Decision, decisionId: string): Promise<void> {
  const out: Array<['grade.assigned' | 'vip.status', unknown, string | undefined]> = [];
  if (!prev || prev.grade !== next.grade) out.push(['grade.assigned', gradeAssignedData(next), undefined]);
  const vip = vipStatusData(next);
  if (vip && next.vip && (prev?.vip?.tier !== next.vip.tier)) out.push(['vip.status', vip, next.vip.validUntil]);
  for (const [type, data, expiresAt] of out) {
    if (!subject) {
      deps.metrics.shared.inc({ type, outcome: 'no-key-id' });
      deps.logger.debug({ decision: decisionId, type }, 'decision not shared: the pseudonym key id is unknown');
      continue;
    }
    const r = await deps.publish.publishFor(subject, type, data, expiresAt);
    if (r.ok) {
      deps.metrics.shared.inc({ type, outcome: 'published' });
      continue;
    }
    const outcome = r.code === 'consent-required' ? 'consent-missing' : r.code === 'not-joined' ? 'not-joined' : 'failed';
    deps.metrics.shared.inc({ type, outcome });
    if (outcome === 'failed') deps.logger.warn({ decision: decisionId, type, code: r.code, reason: r.message }, 'could not share the decision');
  }
}
