/**
 * The HTTP seam all adapters use. The default transport uses `fetch`, or
 * node:https when mutual TLS client credentials are configured. Responses are
 * read as raw text because signatures cover the exact bytes received.
 */
// Called through the module object (not a destructured import) so test interceptors can see it.
import https from 'node:https';

/** Client certificate material for mutual TLS (PEM text). */
export interface TlsClientOptions {
  readonly cert: string;
  readonly key: string;
  readonly ca?: string;
}

/** One outgoing request. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly tls?: TlsClientOptions;
}

/** A response with lower-case header names and the raw body text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Sends a request; throws only on transport failure (network error, abort). */
export type HttpTransport = (req: HttpRequest) => Promise<HttpResponse>;

/** Maximum response body accepted from a provider (bytes). */
export const MAX_RESPONSE_BYTES = 1_000_000;

function viaHttps(req: HttpRequest & { tls: TlsClientOptions }): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const r = https.request(
      req.url,
      {
        method: req.method,
        headers: req.headers,
        cert: req.tls.cert,
        key: req.tls.key,
        ...(req.tls.ca ? { ca: req.tls.ca } : {}),
        signal: req.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) {
            res.destroy(new Error('response too large'));
            return;
          }
          chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** Build the default transport over `fetchImpl` (the node passes `globalThis.fetch`). */
export function createHttpTransport(fetchImpl: typeof fetch): HttpTransport {
  return async (req) => {
    if (req.tls) return viaHttps({ ...req, tls: req.tls });
    const res = await fetchImpl(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal: req.signal,
    });
    const body = await res.text();
    if (Buffer.byteLength(body) > MAX_RESPONSE_BYTES) throw new Error('response too large');
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k.toLowerCase()] = v;
    });
    return { status: res.status, headers, body };
  };
}
