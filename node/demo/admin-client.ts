/** A tiny client for a node's admin API, as a member's back office would use it. */
export interface AdminClient {
  url: string;
  token: string;
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export function adminClient(url: string, token: string, fetchImpl: typeof fetch = fetch): AdminClient {
  return {
    url,
    token,
    async call(method, path, body) {
      const res = await fetchImpl(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    },
  };
}

/** Calls and insists on the expected status, with the problem detail in the error otherwise. */
export async function expectStatus<T>(client: AdminClient, status: number, method: string, path: string, body?: unknown): Promise<T> {
  const r = await client.call<T>(method, path, body);
  if (r.status !== status) throw new Error(`${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}
