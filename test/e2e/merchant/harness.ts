/**
 * A member node listening on 127.0.0.1 (composeNode + @hono/node-server, PGlite in memory, a fake peer network)
 * with a clock that can be moved forward, for the merchant e2e tests. Merchants talk to it over real HTTP with the
 * client docs/api.md builds from openapi.yaml.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeNode } from '../../../node/compose';
import { loadConfig } from '../../../node/config/load';
import { loadSigningKeys, type SigningKeys } from '../../../node/merchant/access/tokens/signing-keys';
import { createMerchantClient, type MerchantClient } from '../../../node/merchant/sdk/client';
import { createLogger } from '../../../node/observability/logger';
import { listen, type RunningNode } from '../../../node/server';
import { createFakeNetwork } from '../../support/fake-network';
import { joinedNodes } from '../../support/member-fixture';
import { migratedPglite } from '../../support/pglite';

/** The running node and helpers. */
export interface MerchantE2e {
  node: RunningNode;
  /** Milliseconds added to the real clock. */
  skew: { ms: number };
  admin<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Registers a merchant and returns its typed client. */
  merchant(scopes?: string[], rateLimit?: Record<string, number>): Promise<{ id: string; secret: string; client: MerchantClient }>;
  /** A merchant-limit consent of `subjectId` for `clientId`; returns the consent id and token. */
  consent(subjectId: string, clientId: string, expiresAt?: string): Promise<{ id: string; consentToken: string }>;
  decide(subjectId: string): Promise<{ id: string; limit: { jointLimitMinor: number } }>;
  /** The node's merchant signing keys (to mint tokens a real node would sign, with wrong claims). */
  signingKeys(): Promise<SigningKeys>;
  close(): Promise<void>;
}

/** Starts the node. */
export async function startMerchantNode(): Promise<MerchantE2e> {
  const fx = await joinedNodes(['shop-a', 'shop-b']);
  const dir = fx.nodes[0]!.dir;
  const adminToken = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
  const skew = { ms: 0 };
  const now = () => new Date(Date.now() + skew.ms);
  const runtime = await composeNode(loadConfig(dir, {}), { now, database: await migratedPglite(), logger: createLogger({ level: 'silent' }), createNetwork: () => createFakeNetwork('shop-a') });
  const node = await listen(runtime, '127.0.0.1', 0);
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${node.url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? null : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const must = async (status: number, method: string, path: string, body?: unknown) => {
    const r = await admin(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    node,
    skew,
    admin,
    async merchant(scopes = ['limits:read', 'authorizations:write'], rateLimit) {
      const c = await must(201, 'POST', '/admin/v1/clients', { name: 'E2E shop', scopes, rateLimit: rateLimit ?? { perSecond: 10_000, burst: 10_000 } });
      return { id: c.id, secret: c.clientSecret, client: createMerchantClient({ baseUrl: node.url, clientId: c.id, clientSecret: c.clientSecret, nowMs: () => now().getTime() }) };
    },
    async consent(subjectId, clientId, expiresAt) {
      const c = await must(201, 'POST', '/admin/v1/consents', {
        subject: { id: subjectId }, purpose: 'merchant-limit', recipients: [clientId], dataCategories: ['decisions'],
        notice: { version: '2026-11', hash: `sha256:${'cd'.repeat(32)}` }, collectionMethod: 'app-checkbox', ...(expiresAt ? { expiresAt } : {}),
      });
      return { id: c.id, consentToken: c.consentToken };
    },
    decide: (subjectId) => must(201, 'POST', '/admin/v1/decisions', { subject: { id: subjectId } }),
    signingKeys: () => loadSigningKeys({ db: runtime.database.db, storageKey: runtime.keys.storageKey, now, random: (n) => new Uint8Array(n) }),
    async close() {
      await node.stop();
      fx.cleanup();
    },
  };
}
