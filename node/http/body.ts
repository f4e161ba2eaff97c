import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpProblem, problem } from './problem';

/**
 * Reads a JSON request body and validates it with `schema`. Wrong content type -> 415, malformed JSON ->
 * 400 `bad-request`, schema failures -> 400 `validation-failed` with each failing path in `errors`.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpProblem(problem('unsupported-media-type', `send the body as application/json (got '${type || 'none'}')`));
  }
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new HttpProblem(problem('bad-request', 'the body is not valid JSON'));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.length ? i.path.join('.') : '(body)', message: i.message }));
    throw new HttpProblem(problem('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }));
  }
  return parsed.data;
}
