/** A composed node (PGlite in memory, fake network) with a movable clock, for merchant route tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeNode, type NodeRuntime } from '../../../../node/compose';
import { loadConfig } from '../../../../node/config/load';
import { createLogger } from '../../../../node/observability/logger';
import { createFakeNetwork } from '../../../support/fake-network';
import { joinedNodes } from '../../../support/member-fixture';
import { migratedPglite } from '../../../support/pglite';

export const notice = { version: '2026-11', hash: `sha256:${'ab'.repeat(32)}` };

/** The harness: the node, its admin token, the clock and request helpers. */
export interface MerchantHarness {
  node: NodeRuntime;
  clock: { t: number };
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** A registered client with its secret. */
  client(scopes?: string[], rateLimit?: Record<string, number>): Promise<{ id: string; secret: string }>;
  token(client: { id: string; secret: string }, scope?: string): Promise<string>;
  /** Grants a merchant-limit consent for `subjectId` to `clientId`; returns the admin response JSON. */
  consent(subjectId: string, clientId: string, expiresAt?: string): Promise<Record<string, any>>;
  /** Evaluates `subjectId` (a decision in force). */
  decide(subjectId: string): Promise<Record<string, any>>;
  merchant(method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** Builds the harness at 2026-11-23T10:00:00Z. */
export async function createMerchantHarness(): Promise<MerchantHarness> {
  const fx = await joinedNodes(['shop-a', 'shop-b']);
  const dir = fx.nodes[0]!.dir;
  const adminToken = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
  const clock = { t: Date.parse('2026-11-23T10:00:00Z') };
  const node = await composeNode(loadConfig(dir, {}), { now: () => new Date(clock.t), database: await migratedPglite(), logger: createLogger({ level: 'silent' }), createNetwork: () => createFakeNetwork('shop-a') });
  const admin = async (method: string, path: string, body?: unknown) =>
    node.app.request(path, { method, headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const h: MerchantHarness = {
    node,
    clock,
    admin,
    async client(scopes = ['limits:read', 'authorizations:write'], rateLimit) {
      const res = await admin('POST', '/admin/v1/clients', { name: 'Shop', scopes, ...(rateLimit ? { rateLimit } : {}) });
      if (res.status !== 201) throw new Error(`client: ${res.status} ${await res.text()}`);
      const j = (await res.json()) as { id: string; clientSecret: string };
      return { id: j.id, secret: j.clientSecret };
    },
    async token(client, scope) {
      const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
      const res = await node.app.request('/v1/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
        body: form.toString(),
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async consent(subjectId, clientId, expiresAt) {
      const res = await admin('POST', '/admin/v1/consents', { subject: { id: subjectId }, purpose: 'merchant-limit', recipients: [clientId], dataCategories: ['decisions'], notice, collectionMethod: 'app-checkbox', ...(expiresAt ? { expiresAt } : {}) });
      if (res.status !== 201) throw new Error(`consent: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, any>;
    },
    async decide(subjectId) {
      const res = await admin('POST', '/admin/v1/decisions', { subject: { id: subjectId } });
      if (res.status !== 201) throw new Error(`decide: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, any>;
    },
    async merchant(method, path, token, body, headers = {}) {
      return node.app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await node.close();
      fx.cleanup();
    },
  };
  return h;
}
