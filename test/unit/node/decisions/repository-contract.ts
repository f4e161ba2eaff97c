/** The decisions repository contract, run against PGlite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../../scoring';
import { createDecisionRepository, type DecisionRepository, type ReviewTask, type StoredDecision } from '../../../../node/decisions/repository';
import type { Database } from '../../../../node/store/database';
import { runMigrations } from '../../../../node/store/migrate';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);

function stored(id: string, subject: string, s: number, status: 'active' | 'frozen' | 'under_review', limit = 100_000): StoredDecision {
  const decision = {
    schema: 'decision/v1',
    subject,
    asOf: at(s).toISOString(),
    inputsDigest: 'ab'.repeat(32),
    versions: { catalogue: '1', model: 'm-1', modelSha256: 'cd'.repeat(32), policy: 'p-1' },
    grade: status === 'frozen' ? 'D' : 'B',
    vip: null,
    limit: { jointLimitMinor: limit },
    status,
    evidence: { signals: [{ issuer: 'member-b', logIndex: 3, type: 'credit.line' }], ignoredSignals: [], external: [] },
    reviewChain: status === 'under_review' ? ['risk_analyst', 'finance_approver'] : [],
  } as unknown as Decision;
  return { id, subject, createdAt: at(s), trigger: 'request', modelId: 'cd'.repeat(32), decision };
}
const task = (id: string, d: StoredDecision, kind: ReviewTask['kind'] = 'limit'): ReviewTask => ({
  id, decisionId: d.id, subject: d.subject, kind, chain: kind === 'limit' ? ['risk_analyst', 'finance_approver'] : ['risk_analyst'], step: 0, state: 'pending', actions: [], createdAt: d.createdAt, decidedAt: null,
});

/** Registers the contract suite for one driver. */
export function describeDecisionRepositoryContract(name: string, open: () => Promise<{ database: Database; dispose: () => Promise<void> }>) {
  describe(`decisions repository on ${name}`, () => {
    let repo: DecisionRepository;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const o = await open();
      await runMigrations(o.database);
      repo = createDecisionRepository(o.database.db);
      dispose = o.dispose;
    });
    afterAll(async () => dispose());

    it('stores decisions immutably and reads them back as written', async () => {
      const d = stored('dec_a1', 'subj-a', 1, 'active');
      await repo.insertDecision(d, null);
      expect(await repo.getDecision('dec_a1')).toEqual(d);
      expect(await repo.getDecision('dec_none')).toBeNull();
      await expect(repo.insertDecision(d, null)).rejects.toThrow();
      expect(await repo.decidedSubjects(['subj-a', 'subj-unknown'])).toEqual(['subj-a']);
      expect(await repo.decidedSubjects([])).toEqual([]);
    });

    it('a decision under review is in force only once approved; rejected ones never', async () => {
      const base = stored('dec_b1', 'subj-b', 1, 'active');
      await repo.insertDecision(base, null);
      const big = stored('dec_b2', 'subj-b', 2, 'under_review', 9_000_000);
      await repo.insertDecision(big, task('rev_b2', big));
      expect((await repo.latest('subj-b'))?.id).toBe('dec_b2');
      expect((await repo.effective('subj-b'))?.id).toBe('dec_b1');

      const step1 = await repo.updateReview('rev_b2', 0, { step: 1, state: 'pending', actions: [{ role: 'risk_analyst', actor: 'a', action: 'approve', comment: '', at: at(3).toISOString() }], decidedAt: null });
      expect(step1?.step).toBe(1);
      expect(await repo.updateReview('rev_b2', 0, { step: 1, state: 'pending', actions: [], decidedAt: null })).toBeNull();
      await repo.updateReview('rev_b2', 1, { step: 2, state: 'approved', actions: step1!.actions, decidedAt: at(4) });
      expect((await repo.effective('subj-b'))?.id).toBe('dec_b2');

      const hr = task('rev_b3', big, 'human-review');
      await repo.insertReviewRequest({ id: 'hrr_b', decisionId: big.id, subject: big.subject, channel: 'app', reason: null, reviewId: hr.id, createdAt: at(5) }, hr);
      await repo.updateReview('rev_b3', 0, { step: 0, state: 'rejected', actions: [], decidedAt: at(6) });
      expect((await repo.effective('subj-b'))?.id).toBe('dec_b1');
      expect((await repo.reviewsOf('dec_b2')).map((r) => [r.kind, r.state])).toEqual([['limit', 'approved'], ['human-review', 'rejected']]);
    });

    it('a newer decision supersedes pending limit reviews of the subject', async () => {
      const a = stored('dec_c1', 'subj-c', 1, 'under_review', 9_000_000);
      await repo.insertDecision(a, task('rev_c1', a));
      await repo.insertDecision(stored('dec_c2', 'subj-c', 2, 'active'), null);
      expect(await repo.getReview('rev_c1')).toMatchObject({ state: 'superseded', decidedAt: at(2) });
      expect((await repo.effective('subj-c'))?.id).toBe('dec_c2');
    });

    it('pages review tasks oldest first after a cursor', async () => {
      for (let i = 0; i < 3; i++) {
        const d = stored(`dec_p${i}`, `subj-p${i}`, 10 + i, 'under_review', 9_000_000);
        await repo.insertDecision(d, task(`rev_p${i}`, d));
      }
      const first = await repo.listReviews({ state: 'pending', limit: 2 });
      expect(first.map((r) => r.id)).toEqual(['rev_p0', 'rev_p1']);
      const rest = await repo.listReviews({ state: 'pending', limit: 2, after: { createdAt: first[1]!.createdAt, id: first[1]!.id } });
      expect(rest.map((r) => r.id)).toEqual(['rev_p2']);
    });

    it('records early-warning events per subject', async () => {
      await repo.insertEvents([
        { id: 'evt_1', subject: 'subj-a', kind: 'GRADE_DROP', decisionIds: ['dec_x', 'dec_y'], detail: { from: 'A', to: 'D' }, createdAt: at(20) },
        { id: 'evt_2', subject: 'subj-a', kind: 'CREDIT_LINE_FROZEN', decisionIds: ['dec_x', 'dec_y'], detail: { from: 'active', to: 'frozen' }, createdAt: at(20) },
      ]);
      await repo.insertEvents([]);
      expect((await repo.events('subj-a', 10)).map((e) => e.kind)).toEqual(['GRADE_DROP', 'CREDIT_LINE_FROZEN']);
      expect(await repo.events('subj-a', 1)).toHaveLength(1);
      expect(await repo.events('subj-none', 10)).toEqual([]);
    });
  });
}
