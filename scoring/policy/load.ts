/** Loading a policy (issue 7 §4): parse, validate, and report every problem with its JSON path. */
import { PolicySchema, type Policy } from './schema';
import defaultPolicyJson from './default-policy.json';

/** A policy that failed validation. */
export interface PolicyError {
  code: 'POLICY_INVALID' | 'POLICY_NOT_JSON';
  message: string;
  /** One line per problem: `path: message`. */
  issues: string[];
}

/** Result of {@link parsePolicy}. */
export type PolicyResult = { ok: true; policy: Policy } | { ok: false; error: PolicyError };

/** Validate a policy object (already parsed JSON) or JSON text. */
export function parsePolicy(input: unknown): PolicyResult {
  let obj = input;
  if (typeof input === 'string') {
    if (input.length > 1_000_000) return { ok: false, error: { code: 'POLICY_NOT_JSON', message: 'policy text exceeds 1 MB', issues: [] } };
    try { obj = JSON.parse(input); } catch (e) {
      return { ok: false, error: { code: 'POLICY_NOT_JSON', message: `policy is not JSON: ${(e as Error).message}`, issues: [] } };
    }
  }
  const r = PolicySchema.safeParse(obj);
  if (r.success) return { ok: true, policy: r.data };
  const issues = r.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return { ok: false, error: { code: 'POLICY_INVALID', message: `policy is invalid: ${issues.join('; ')}`, issues } };
}

/** The default policy shipped in `scoring/policy/default-policy.json` (validated; throws only if the shipped file is broken). */
export function defaultPolicy(): Policy {
  const r = parsePolicy(defaultPolicyJson);
  if (!r.ok) throw new Error(`shipped default policy is invalid: ${r.error.message}`);
  return r.policy;
}
