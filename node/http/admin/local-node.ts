/**
 * Reaching this member's own running node from a CLI process on the same machine. With the embedded PGlite
 * database only one process may open the data directory, so verbs that change state (`clients`, `officers`,
 * `import`) first ask whether the node answers at its configured address, and go through its admin API if so.
 */
import type { NodeConfig } from '../../config/schema';

/** The node's local base URL (`http://127.0.0.1:7400`), or null when no node answers `/healthz` there within 500 ms. */
export async function localNodeUrl(config: NodeConfig, fetchImpl: typeof fetch): Promise<string | null> {
  if (!config.http.port) return null;
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
  try {
    const res = await fetchImpl(`${base}/healthz`, { signal: AbortSignal.timeout(500) });
    await res.body?.cancel();
    return base;
  } catch {
    return null;
  }
}

/** A JSON call to the node's admin API with the admin token; answers the status and the parsed body. */
export type AdminApiCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; json: Record<string, any> }>;

/** Builds an {@link AdminApiCall} against `base`; each call is bounded by `timeoutMs`. */
export function adminApiCaller(base: string, adminToken: string, fetchImpl: typeof fetch, timeoutMs: number): AdminApiCall {
  return async (method, path, body) => {
    const res = await fetchImpl(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
}

/** An admin API problem+json answer as an Error: `code: detail` (the title when there is no detail). */
export function problemError(json: Record<string, any>): Error {
  return new Error(`${json.code}: ${json.detail ?? json.title}`);
}
