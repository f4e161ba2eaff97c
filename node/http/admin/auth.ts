import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problem, sendProblem } from '../problem';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `/admin/v1/*`: `Authorization: Bearer <admin-token>` (the token in the node directory), compared in constant time. */
export function adminAuth(token: string): MiddlewareHandler {
  const want = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer ([A-Za-z0-9_\-.~+/=]{1,512})$/.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!), want)) {
      return sendProblem(c, problem('unauthorized', 'send the node\'s admin token as "Authorization: Bearer <token>" (it is in the node directory, file admin-token)'), {
        'www-authenticate': 'Bearer realm="admin"',
      });
    }
    await next();
  };
}
