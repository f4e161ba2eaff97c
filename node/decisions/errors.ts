/** Expected failures of the decisions module, returned as values with a stable `code` (mapped to HTTP in problem.ts). */
export type DecisionFailure =
  | { ok: false; code: 'model-unavailable'; message: string }
  | { ok: false; code: 'decision-not-found'; message: string }
  | { ok: false; code: 'review-not-found'; message: string }
  | { ok: false; code: 'review-not-pending'; message: string }
  | { ok: false; code: 'review-wrong-role'; message: string; expectedRole: string }
  | { ok: false; code: 'review-same-actor'; message: string }
  | { ok: false; code: 'review-already-requested'; message: string; reviewId: string };

/** Builds a failure value. */
export const failure = <C extends DecisionFailure['code']>(code: C, message: string, extra: Record<string, unknown> = {}) =>
  ({ ok: false, code, message, ...extra }) as Extract<DecisionFailure, { code: C }>;
