import { Hono } from 'hono';
import { z } from 'zod';
import { adminAuth } from '../http/admin/auth';
import { readJson } from '../http/body';
import { HttpProblem, problem } from '../http/problem';
import type { SubjectService } from '../subjects/service';
import type { ComplianceServices } from './services';

const erasureRequest = z.strictObject({
  subject: z.string().min(1).max(64),
  /** Why (e.g. "subject request 2026-11-23, ticket 123"); must not contain personal data. */
  reason: z.string().min(1).max(500),
});

/**
 * Member-operator compliance actions on `/admin/v1/` (admin token): run a retention sweep now and execute an
 * erasure request (PIPL art. 47). Officers only read their evidence (`/compliance/v1/retention/sweeps`,
 * `/compliance/v1/erasures`).
 */
export function complianceAdminRoutes(deps: { adminToken: string; services: ComplianceServices; subjects: Pick<SubjectService, 'pseudonymOf'> | null }): Hono {
  const app = new Hono();
  const auth = adminAuth(deps.adminToken);
  app.post('/admin/v1/retention/sweep', auth, async (c) => c.json(await deps.services.retention.sweep('admin'), 200));
  app.post('/admin/v1/erasures', auth, async (c) => {
    const req = await readJson(c, erasureRequest);
    if (!deps.subjects) throw new HttpProblem(problem('not-joined', 'erasure needs the consortium pseudonymization key; join first'));
    const p = deps.subjects.pseudonymOf(req.subject);
    if (!p.ok) throw new HttpProblem(problem('subject-invalid', p.message));
    return c.json(await deps.services.erasures.execute({ subject: p.pseudonym.value, reason: req.reason, actor: 'admin' }), 201);
  });
  return app;
}
