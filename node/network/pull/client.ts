import type { RosterMember } from '../../../protocol';
import type { PeerTokenIssuer } from '../http/tokens';

/** A failed fetch from a peer (unreachable, timeout, unexpected status, oversized body). */
export class PeerFetchError extends Error {
  constructor(
    readonly code: 'peer-unreachable' | 'peer-timeout' | 'peer-status' | 'peer-oversized',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PeerFetchError';
  }
}

/** Authenticated, bounded HTTP access to peers' `/peer/v1/` surfaces. */
export interface PeerClient {
  /** GETs `path` (under the member's base URL); resolves with the body, or null on 404. */
  get(member: RosterMember, path: string, maxBytes: number): Promise<Uint8Array | null>;
  /** POSTs a text body; resolves with the status. */
  post(member: RosterMember, path: string, body: string): Promise<number>;
}

async function readBounded(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new PeerFetchError('peer-oversized', `response of ${declared} bytes exceeds ${maxBytes}`);
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new PeerFetchError('peer-oversized', `response exceeds ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Builds a {@link PeerClient}: every request carries a fresh peer token and a timeout. */
export function createPeerClient(deps: { fetch: typeof fetch; tokens: PeerTokenIssuer; timeoutMs: number }): PeerClient {
  async function request(member: RosterMember, path: string, init: RequestInit): Promise<Response> {
    const url = `${member.baseUrl.replace(/\/+$/, '')}${path}`;
    const token = await deps.tokens.issue(member.id);
    try {
      return await deps.fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new PeerFetchError('peer-timeout', `${member.id}: ${path} timed out after ${deps.timeoutMs} ms`);
      throw new PeerFetchError('peer-unreachable', `${member.id}: ${(err as Error).message}`);
    }
  }
  return {
    async get(member, path, maxBytes) {
      const res = await request(member, path, { method: 'GET' });
      if (res.status === 404) {
        await res.body?.cancel().catch(() => undefined);
        return null;
      }
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        throw new PeerFetchError('peer-status', `${member.id}: GET ${path} answered ${res.status}`, res.status);
      }
      try {
        return await readBounded(res, maxBytes);
      } catch (err) {
        if (err instanceof PeerFetchError) throw err;
        throw new PeerFetchError('peer-unreachable', `${member.id}: ${(err as Error).message}`);
      }
    },
    async post(member, path, body) {
      const res = await request(member, path, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' } });
      await res.body?.cancel().catch(() => undefined);
      return res.status;
    },
  };
}
