import type { Hono } from 'hono';

/** Routes registered on an app, as `{ method, path }` with hono path syntax (`/v1/things/:id`). */
export function registeredRoutes(app: Hono<any>): { method: string; path: string }[] {
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // middleware
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path: r.path });
  }
  return out;
}

function toRegExp(path: string): RegExp {
  const body = path
    .split('/')
    .map((seg) => {
      if (seg === '*') return '.*';
      if (seg.startsWith(':')) {
        const custom = /^:[^{]+\{(.+)\}$/.exec(seg);
        return custom ? `(?:${custom[1]})` : '[^/]+';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/** Methods that some route accepts at `path` (for a 405 and its `Allow` header); empty when none matches. */
export function allowedMethods(app: Hono<any>, path: string): string[] {
  const methods = new Set<string>();
  for (const r of registeredRoutes(app)) if (toRegExp(r.path).test(path)) methods.add(r.method);
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
