import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { createBureauProvider } from '../../../../../adapters/external/bureau/adapter';
import { BureauMappingError, parseBureauMapping, type BureauMappingInput } from '../../../../../adapters/external/bureau/mapping';
import { createHttpTransport } from '../../../../../adapters/external/index';
import { harness, testPolicy } from '../../../../fixtures/external/harness';
import { testClock } from '../../../../fixtures/external/keys';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const URL_ = 'https://bureau.example.test/v1/score';
const MAPPING: BureauMappingInput = {
  url: URL_,
  auth: { type: 'header', name: 'X-Api-Key', value: 'k-123' },
  request: { fields: { id_no: 'idNumber', mobile: 'phone' }, constants: { product: 'retail' } },
  response: { score: '$.data.result[0].score', reference: '$.data.reportId', eligible: '$.data.pass', asOf: '$.data.at', scale: { min: 300, max: 900 } },
};
const SUBJECT = { pseudonym: 'psn-B', idNumber: '11010519491231002X', phone: '+8613800138000', name: '李四' };

function setup(reply: (body: unknown, headers: Headers) => Response, mapping: BureauMappingInput = MAPPING) {
  const clock = testClock();
  const seen: { body: unknown; key: string | null; url: string }[] = [];
  server.use(
    http.all(`${URL_}`, async ({ request }) => {
      const body = request.method === 'POST' ? await request.json() : null;
      seen.push({ body, key: request.headers.get('x-api-key'), url: request.url });
      return reply(body, request.headers);
    }),
  );
  const provider = createBureauProvider('acme', parseBureauMapping(mapping), { transport: createHttpTransport(fetch), now: clock.now });
  const h = harness([{ provider, policy: testPolicy() }], clock);
  h.grant('psn-B', 'acme');
  return { ...h, seen };
}

describe('generic bureau adapter', () => {
  it('sends only the mapped fields with the auth header and maps the JSON paths', async () => {
    const t = setup(() => HttpResponse.json({ data: { reportId: 'R-77', pass: 'Y', at: '2026-02-28T12:00:00+08:00', result: [{ score: '612' }] } }));
    const r = await t.service.fetchScore('acme', SUBJECT);
    expect(r.ok && r.score).toEqual({ provider: 'acme', score: 612, scale: { min: 300, max: 900 }, eligible: true, asOf: '2026-02-28T04:00:00.000Z', reference: 'R-77' });
    expect(t.seen[0]).toMatchObject({ body: { id_no: '11010519491231002X', mobile: '+8613800138000', product: 'retail' }, key: 'k-123' });
    expect(t.saved[0]).toMatchObject({ kind: 'bureau', reference: 'R-77', requestParams: { id_no: '[redacted]', mobile: '[redacted]', product: 'retail' }, signature: { scheme: 'none' } });
  });

  it.each([
    ['missing score', { data: { reportId: 'R1' } }, 'not_assessable'],
    ['N/A score', { data: { reportId: 'R1', result: [{ score: 'N/A' }] } }, 'not_assessable'],
    ['out of scale', { data: { reportId: 'R1', result: [{ score: 1000 }] } }, 'invalid_response'],
    ['bad flag', { data: { reportId: 'R1', pass: 'maybe', result: [{ score: 500 }] } }, 'invalid_response'],
  ])('%s -> %s', async (_n, body, code) => {
    const t = setup(() => HttpResponse.json(body));
    const r = await t.service.fetchScore('acme', SUBJECT);
    expect(r.ok ? 'ok' : r.code).toBe(code);
  });

  it.each([
    [401, 'provider_auth_error'],
    [422, 'request_rejected'],
    [500, 'unavailable'],
  ])('HTTP %i -> %s; POST is not retried unless declared safe', async (status, code) => {
    const t = setup(() => new HttpResponse('x', { status }));
    const r = await t.service.fetchScore('acme', SUBJECT);
    expect(r.ok ? 'ok' : r.code).toBe(code);
    expect(t.seen).toHaveLength(1);
  });

  it('GET mappings put fields in the query and are retried', async () => {
    let n = 0;
    const t = setup(() => (n++ === 0 ? new HttpResponse('', { status: 503 }) : HttpResponse.json({ data: { reportId: 'R2', result: [{ score: 450 }] } })), { ...MAPPING, method: 'GET' });
    const r = await t.service.fetchScore('acme', SUBJECT);
    expect(r.ok && r.score.score).toBe(450);
    expect(t.seen).toHaveLength(2);
    expect(new URL(t.seen[0]!.url).searchParams.get('id_no')).toBe('11010519491231002X');
  });

  it('a missing subject field means no call', async () => {
    const t = setup(() => HttpResponse.json({}));
    const r = await t.service.fetchScore('acme', { pseudonym: 'psn-B', idNumber: '11010519491231002X' });
    expect(r.ok ? 'ok' : r.code).toBe('missing_identifier');
    expect(t.seen).toHaveLength(0);
  });
});

describe('bureau mapping validation', () => {
  it.each([
    ['bad path', { ...MAPPING, response: { ...MAPPING.response, score: 'data.score' } }, /response\.score: must be a JSON path/],
    ['no fields', { ...MAPPING, request: { fields: {} } }, /request: request\.fields must name at least one/],
    ['pseudonym field', { ...MAPPING, request: { fields: { p: 'pseudonym' } } }, /request\.fields\.p/],
    ['bad scale', { ...MAPPING, response: { ...MAPPING.response, scale: { min: 9, max: 1 } } }, /response\.scale: scale\.min must be below/],
    ['ftp url', { ...MAPPING, url: 'ftp://x.test/a' }, /url/],
    ['unknown key', { ...MAPPING, extra: 1 }, /\(root\)/],
  ])('%s', (_n, input, msg) => {
    expect(() => parseBureauMapping(input)).toThrow(BureauMappingError);
    expect(() => parseBureauMapping(input)).toThrow(msg);
  });
});
