/**
 * `POST /v1/joint-limits/query` (issue 8 §3): with a customer's consent token, the merchant reads the decision in
 * force for that customer (scope `limits:read`). Every look-up of a consented customer is written to the query
 * log. The node does not evaluate on demand: a customer without a decision in force (or whose decision is older
 * than the validity window) answers `no-decision`, and the member evaluates the customer in its own flow.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { readJson } from '../../http/body';
import { problem, sendProblem } from '../../http/problem';
import type { DecisionService, InForceDecision } from '../../decisions/service';
import { DEFAULT_DECISION_VALIDITY_MS, type LineView, type MerchantAccess, type MerchantEnv } from '../contracts';
import { jointLimitView } from './view';


/** `POST /v1/joint-limits/query` body. */
export const jointLimitQuery = z.strictObject({ consentToken: z.string().min(1).max(8192) });

/** Dependencies of {@link jointLimitRoutes}. */
export interface JointLimitRouteDeps {
  access: MerchantAccess;
  decisions: Pick<DecisionService, 'effective'>;
  /** The customer's line from the ledger (available amount); null when the ledger is not wired. */
  /** The customer's line given the decision in force being read (the ledger reads balances meanwhile). */
  line: ((subject: string, known: Promise<InForceDecision | null>) => Promise<LineView | null>) | null;
  now: () => Date;
  decisionValidityMs?: number;
}

/** The joint-limit query route. */
export function jointLimitRoutes(deps: JointLimitRouteDeps) {
  const validity = deps.decisionValidityMs ?? DEFAULT_DECISION_VALIDITY_MS;
  const app = new Hono<MerchantEnv>();
  app.post('/v1/joint-limits/query', deps.access.authenticate, deps.access.requireScope('limits:read'), async (c) => {
    const { consentToken } = await readJson(c, jointLimitQuery);
    const { clientId } = c.get('merchant');
    const v = await deps.access.verifyConsentToken(consentToken, clientId);
    const logFor = (subject: string, consentId: string, outcome: string) =>
      deps.access.logQuery({ clientId, subject, consentId, action: 'joint-limit.query', purpose: 'merchant-limit', outcome, requestId: c.get('requestId'), at: deps.now() });
    if (!v.ok) {
      // A genuine token whose consent was withdrawn or ran out: the attempt is logged for compliance review.
      if (v.subject && v.consentId) await logFor(v.subject, v.consentId, v.code);
      return sendProblem(c, problem(v.code, v.message));
    }
    const log = (outcome: string) => logFor(v.subject, v.consentId, outcome);
    // The decision and the line's balances are read concurrently; the ledger uses this same decision.
    const decision = deps.decisions.effective(v.subject);
    const linePending = deps.line ? deps.line(v.subject, decision) : null;
    linePending?.catch(() => null);
    const d = await decision;
    const expiresAt = d ? new Date(d.createdAt.getTime() + validity) : null;
    if (!d || !expiresAt || expiresAt.getTime() <= deps.now().getTime()) {
      await log('no-decision');
      return sendProblem(c, problem('no-decision', d ? 'the decision for this customer has expired; the member must evaluate the customer again' : 'the member has no decision in force for this customer'));
    }
    const line = linePending ? await linePending : null;
    await log('ok');
    return c.json(jointLimitView(d, line, expiresAt), 200, { 'cache-control': 'no-store' });
  });
  return app;
}
