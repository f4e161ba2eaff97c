/**
 * The merchant surface of the ledger (issue 8 §4; openapi.yaml "partner merchants: ledger"):
 * `POST /v1/authorizations`, `POST /v1/authorizations/{id}/capture`, `.../release`, `GET /v1/authorizations/{id}`,
 * all with scope `authorizations:write`. Another merchant's authorization id answers exactly like an unknown one
 * (404 `authorization-not-found`). Idempotency of the POSTs is applied around these routes by merchant access.
 */
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { readJson } from '../../http/body';
import { HttpProblem, problem, sendProblem } from '../../http/problem';
import type { MerchantAccess, MerchantEnv } from '../contracts';
import { captureBody, createAuthorizationBody, holdExpiry, MAX_HOLD_SECONDS, MIN_HOLD_SECONDS, releaseBody } from './amounts';
import type { LedgerFailure } from './errors';
import { isLedgerId } from './ids';
import type { LedgerService } from './service';

/** Dependencies of {@link merchantLedgerRoutes}. */
export interface MerchantLedgerRouteDeps {
  access: MerchantAccess;
  ledger: LedgerService;
  now: () => Date;
}

const notFound = () => new HttpProblem(problem('authorization-not-found', 'no such authorization'));
const refuse = (c: Context, f: LedgerFailure) => sendProblem(c, problem(f.code, f.message, f.extra ?? {}));

/** A JSON body that may also be absent (capture and release need none). */
async function optionalJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  if ((await c.req.text()).length === 0) return schema.parse({});
  return readJson(c, schema);
}

/** The authorization id path parameter; anything that cannot be an id is not found. */
function authorizationId(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!isLedgerId('az', id)) throw notFound();
  return id;
}

/** Builds the routes. */
export function merchantLedgerRoutes(deps: MerchantLedgerRouteDeps) {
  const { access, ledger } = deps;
  const app = new Hono<MerchantEnv>();
  const guard = [access.authenticate, access.requireScope('authorizations:write')] as const;
  const log = (c: Context<MerchantEnv>, subject: string, consentId: string, action: string, outcome: string) =>
    access.logQuery({ clientId: c.get('merchant').clientId, subject, consentId, action, purpose: 'merchant-limit', outcome, requestId: c.get('requestId'), at: deps.now() });

  app.post('/v1/authorizations', ...guard, async (c) => {
    const body = await readJson(c, createAuthorizationBody);
    const expiresAt = holdExpiry(deps.now(), body);
    if (!expiresAt) {
      const errors = [{ path: body.expiresAt !== undefined ? 'expiresAt' : 'expiresIn', message: `a hold lasts between ${MIN_HOLD_SECONDS} s and ${MAX_HOLD_SECONDS} s` }];
      return sendProblem(c, problem('validation-failed', `${errors[0]!.path}: ${errors[0]!.message}`, { errors }));
    }
    const { clientId } = c.get('merchant');
    const v = await access.verifyConsentToken(body.consentToken, clientId);
    if (!v.ok) return sendProblem(c, problem(v.code, v.message));
    const r = await ledger.hold({ clientId, subject: v.subject, consentId: v.consentId, amountMinor: body.amountMinor, currency: body.currency, merchantReference: body.merchantReference, expiresAt });
    await log(c, v.subject, v.consentId, 'authorization.create', r.ok ? 'ok' : r.code);
    if (!r.ok) return refuse(c, r);
    return c.json(r.authorization, 201, { location: `/v1/authorizations/${r.authorization.id}`, 'cache-control': 'no-store' });
  });

  app.get('/v1/authorizations/:id', ...guard, async (c) => {
    const a = await ledger.get(c.get('merchant').clientId, authorizationId(c));
    if (!a) throw notFound();
    return c.json(a, 200, { 'cache-control': 'no-store' });
  });

  app.post('/v1/authorizations/:id/capture', ...guard, async (c) => {
    const id = authorizationId(c);
    const body = await optionalJson(c, captureBody);
    const r = await ledger.capture(c.get('merchant').clientId, id, body.amountMinor);
    if (!r.ok) return refuse(c, r);
    await log(c, r.subject, r.consentId, 'authorization.capture', 'ok');
    return c.json(r.authorization, 200, { 'cache-control': 'no-store' });
  });

  app.post('/v1/authorizations/:id/release', ...guard, async (c) => {
    const id = authorizationId(c);
    await optionalJson(c, releaseBody);
    const r = await ledger.release(c.get('merchant').clientId, id);
    if (!r.ok) return refuse(c, r);
    await log(c, r.subject, r.consentId, 'authorization.release', 'ok');
    return c.json(r.authorization, 200, { 'cache-control': 'no-store' });
  });

  return app;
}
