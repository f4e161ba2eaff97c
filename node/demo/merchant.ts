/**
 * The demo's merchant checkout (issue 8): the first member registers a partner merchant, a customer grants it a
 * `merchant-limit` consent, and the merchant (the typed client of docs/api.md, over real HTTP) gets a token,
 * queries the joint limit, places a hold and captures part of it; the available amount follows.
 */
import { randomUUID } from 'node:crypto';
import type { CliIo } from '../cli/command';
import { createMerchantClient } from '../merchant/sdk/client';
import { expectStatus } from './admin-client';
import type { DemoCustomer } from './customers';
import { table } from './report';
import type { DemoMember } from './setup';

const notice = { version: '2026-11', hash: `sha256:${'3c'.repeat(32)}` };
const yuan = (minor: number) => `CNY ${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

/** What the checkout showed (the demo test reads it). */
export interface MerchantCheckout {
  clientId: string;
  customer: string;
  limitMinor: number;
  availableBefore: number;
  heldMinor: number;
  capturedMinor: number;
  availableAfter: number;
  authorizationState: string;
}

/** Runs the checkout for the first decided customer with an active, non-zero limit; null when there is none. */
export async function demoMerchantCheckout(io: CliIo, member: DemoMember, customers: DemoCustomer[], decided: { status: string; limit: { jointLimitMinor: number } }[]): Promise<MerchantCheckout | null> {
  const named = customers.filter((c) => c.members.includes(0));
  const i = decided.findIndex((d) => d.status === 'active' && d.limit.jointLimitMinor >= 200);
  if (i < 0) {
    io.out('\nMerchant checkout: no customer with an active limit to show.');
    return null;
  }
  const customer = named[i]!;
  const client = await expectStatus<{ id: string; clientSecret: string }>(member.admin, 201, 'POST', '/admin/v1/clients', { name: 'Demo Electronics Store', scopes: ['limits:read', 'authorizations:write'] });
  const consent = await expectStatus<{ consentToken: string }>(member.admin, 201, 'POST', '/admin/v1/consents', {
    subject: { id: customer.id }, purpose: 'merchant-limit', recipients: [client.id], dataCategories: ['decisions'], notice, collectionMethod: 'app-checkbox',
  });
  const merchant = createMerchantClient({ baseUrl: member.node.url, clientId: client.id, clientSecret: client.clientSecret });
  const fail = (what: string, e: unknown): never => {
    throw new Error(`merchant ${what} failed: ${JSON.stringify(e)}`);
  };
  const query = async () => {
    const r = await merchant.api.POST('/v1/joint-limits/query', { body: { consentToken: consent.consentToken } });
    return r.data ?? fail('joint-limit query', r.error);
  };
  const before = await query();
  const basket = Math.max(100, Math.min(before.availableMinor, 1_299_900) - (Math.min(before.availableMinor, 1_299_900) % 100));
  const hold = await merchant.api.POST('/v1/authorizations', {
    params: { header: { 'Idempotency-Key': randomUUID() } },
    body: { consentToken: consent.consentToken, amountMinor: basket, currency: before.currency, merchantReference: 'order-2026-0001', expiresIn: 3600 },
  });
  const held = hold.data ?? fail('hold', hold.error);
  const shipped = Math.floor(basket / 2);
  const capture = await merchant.api.POST('/v1/authorizations/{id}/capture', {
    params: { path: { id: held.id }, header: { 'Idempotency-Key': randomUUID() } },
    body: { amountMinor: shipped },
  });
  const captured = capture.data ?? fail('capture', capture.error);
  const after = await query();

  io.out(`\nMerchant checkout at ${member.id}: "Demo Electronics Store" (${client.id}) with ${customer.label.split(' (')[0]}'s consent token, over the partner API:`);
  io.out(
    table(
      ['step', 'result'],
      [
        ['token', 'POST /v1/oauth/token (client credentials) -> EdDSA JWT, 5 min'],
        ['query', `grade ${before.grade}, VIP ${before.vipTier ?? '-'}, limit ${yuan(before.jointLimitMinor)}, available ${yuan(before.availableMinor)}, ${before.status}`],
        ['hold', `${held.id} ${yuan(held.amountMinor)} (${held.state})`],
        ['capture', `${yuan(captured.capturedMinor)} of the hold (${captured.state}); the rest goes back to the line`],
        ['query', `available ${yuan(after.availableMinor)} (outstanding at the member until repaid)`],
      ],
    ),
  );
  return {
    clientId: client.id,
    customer: customer.label,
    limitMinor: before.jointLimitMinor,
    availableBefore: before.availableMinor,
    heldMinor: held.amountMinor,
    capturedMinor: captured.capturedMinor,
    availableAfter: after.availableMinor,
    authorizationState: captured.state,
  };
}
