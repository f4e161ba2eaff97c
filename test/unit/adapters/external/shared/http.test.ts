import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { createHttpTransport } from '../../../../../adapters/external/shared/http';
import { readFileSync } from 'node:fs';

// A throw-away self-signed client certificate made for this test only (not a secret).
const fixture = (f: string) => readFileSync(new URL(`../../../../fixtures/external/${f}`, import.meta.url), 'utf8');

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('http transport', () => {
  it.each([
    ['fetch', undefined],
    ['node:https with client certificate (mutual TLS)', { cert: fixture('mtls-client.cert.pem'), key: fixture('mtls-client.key.pem') }],
  ])('%s: sends method, headers and body; returns raw text and lower-case headers', async (_n, tls) => {
    const seen: { body: string; auth: string | null }[] = [];
    server.use(
      http.post('https://bureau.example.test/score', async ({ request }) => {
        seen.push({ body: await request.text(), auth: request.headers.get('x-api-key') });
        return new HttpResponse('{ "score" : 1 }', { status: 201, headers: { 'X-Request-Id': 'R1' } });
      }),
    );
    const transport = createHttpTransport(fetch);
    const res = await transport({
      method: 'POST',
      url: 'https://bureau.example.test/score',
      headers: { 'x-api-key': 'k', 'content-type': 'application/json' },
      body: '{"a":1}',
      signal: new AbortController().signal,
      ...(tls ? { tls } : {}),
    });
    expect(res).toMatchObject({ status: 201, body: '{ "score" : 1 }', headers: { 'x-request-id': 'R1' } });
    expect(seen).toEqual([{ body: '{"a":1}', auth: 'k' }]);
  });
});
