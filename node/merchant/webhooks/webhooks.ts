/**
 * Merchant webhooks (issue 8 §6; docs/api-webhooks.md): endpoints the member registers for a merchant client, the
 * signed delivery of queued events with retries and exponential backoff with jitter, and the delivery log.
 */
import { and, asc, desc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { ConsentService } from '../../consent/service';
import { loadSodium } from '../../keys/sodium';
import type { Logger } from '../../observability/logger';
import type { Db } from '../../store/database';
import { merchantClients, merchantWebhookDeliveries, merchantWebhookEndpoints } from '../../store/schema';
import { newLedgerId } from '../ledger/ids';
import { createEventSink, type StoredPayload, type WebhookEventSink } from './events';
import { newWebhookSecret, signWebhook } from './signing';

/** Settings of webhook delivery (defaults in brackets). */
export interface WebhookSettings {
  /** Attempts before a delivery is given up (`failed`) [12: about 3-6 hours of retries]. */
  maxAttempts?: number;
  /** Backoff before the 2nd attempt, doubled per attempt, ms [10 000]; capped at `maxBackoffMs` [6 h]. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Per-attempt timeout, ms [10 000]. */
  deliveryTimeoutMs?: number;
}

/** Dependencies of {@link createWebhooks}. */
export interface WebhooksDeps {
  db: Db;
  storageKey: Uint8Array;
  consents: Pick<ConsentService, 'get'> | null;
  logger: Logger;
  now: () => Date;
  random: (n: number) => Uint8Array;
  fetch: typeof globalThis.fetch;
  settings?: WebhookSettings;
}

/** Most active endpoints one merchant client may have. */
export const MAX_ENDPOINTS_PER_CLIENT = 5;

/** An endpoint as the admin API shows it (the secret only once, at creation). */
export interface EndpointView {
  id: string;
  clientId: string;
  url: string;
  active: boolean;
  createdAt: string;
  disabledAt: string | null;
}

/** One line of the delivery log. */
export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  clientId: string;
  state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: unknown;
}

/** The webhooks API. */
export interface Webhooks {
  events: WebhookEventSink;
  register(clientId: string, url: string): Promise<{ ok: true; endpoint: EndpointView; secret: string } | { ok: false; code: 'client-not-found' | 'client-revoked' | 'webhook-endpoint-limit'; message: string }>;
  list(clientId: string): Promise<EndpointView[]>;
  /** Disables an endpoint; its pending deliveries are cancelled. False when it is not this client's active endpoint. */
  disable(clientId: string, endpointId: string): Promise<boolean>;
  /** Newest first; `before`: only deliveries created before that instant (paging). */
  deliveries(q: { clientId?: string | undefined; state?: DeliveryView['state'] | undefined; limit: number; before?: Date | undefined }): Promise<DeliveryView[]>;
  /** Attempts the deliveries that are due; returns how many were attempted. */
  deliverDue(limit?: number): Promise<number>;
}

type DeliveryRow = typeof merchantWebhookDeliveries.$inferSelect;
type EndpointRow = typeof merchantWebhookEndpoints.$inferSelect;

const endpointView = (e: EndpointRow): EndpointView => ({ id: e.id, clientId: e.clientId, url: e.url, active: e.active, createdAt: e.createdAt.toISOString(), disabledAt: e.disabledAt?.toISOString() ?? null });
const deliveryView = (d: DeliveryRow): DeliveryView => ({
  id: d.id, eventId: d.eventId, eventType: d.eventType, endpointId: d.endpointId, clientId: d.clientId, state: d.state as DeliveryView['state'], attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null, lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null, lastStatus: d.lastStatus, lastError: d.lastError,
  createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null, payload: (d.payload as StoredPayload).body,
});

/** Delay before attempt `attempt + 1` after `attempt` failures: base x 2^(attempt-1), capped, times a jitter in [0.5, 1). */
export function backoffMs(attempt: number, u: number, base: number, max: number): number {
  return Math.round(Math.min(max, base * 2 ** Math.max(0, attempt - 1)) * (0.5 + u / 2));
}

/** Builds the webhooks service. */
export function createWebhooks(deps: WebhooksDeps): Webhooks {
  const { db } = deps;
  const s = deps.settings ?? {};
  const maxAttempts = s.maxAttempts ?? 12;
  const base = s.baseBackoffMs ?? 10_000;
  const maxBackoff = s.maxBackoffMs ?? 6 * 3600_000;
  const timeoutMs = s.deliveryTimeoutMs ?? 10_000;
  const uniform = () => Buffer.from(deps.random(4)).readUInt32BE(0) / 2 ** 32;

  async function seal(secret: string): Promise<Uint8Array> {
    const sodium = await loadSodium();
    const nonce = deps.random(sodium.crypto_secretbox_NONCEBYTES);
    return new Uint8Array([...nonce, ...sodium.crypto_secretbox_easy(new TextEncoder().encode(secret), nonce, deps.storageKey)]);
  }
  async function unseal(sealed: Uint8Array): Promise<string> {
    const sodium = await loadSodium();
    const nb = sodium.crypto_secretbox_NONCEBYTES;
    return new TextDecoder().decode(sodium.crypto_secretbox_open_easy(sealed.subarray(nb), sealed.subarray(0, nb), deps.storageKey));
  }

  /** Whether the consent an event depends on is still active (no consent service: the node has not joined, none is). */
  async function consentActive(consentId: string | null): Promise<boolean> {
    if (consentId === null) return true;
    const c = deps.consents ? await deps.consents.get(consentId) : null;
    return c?.status === 'active';
  }

  async function finish(d: DeliveryRow, set: Partial<DeliveryRow>) {
    await db.update(merchantWebhookDeliveries).set(set).where(eq(merchantWebhookDeliveries.id, d.id));
  }

  async function attempt(d: DeliveryRow, endpoints: Map<string, EndpointRow | null>, revoked: Map<string, boolean>): Promise<void> {
    const now = deps.now();
    const stored = d.payload as StoredPayload;
    if (!endpoints.has(d.endpointId)) {
      const [e] = await db.select().from(merchantWebhookEndpoints).where(eq(merchantWebhookEndpoints.id, d.endpointId));
      endpoints.set(d.endpointId, e ?? null);
    }
    const endpoint = endpoints.get(d.endpointId);
    if (!endpoint?.active) return finish(d, { state: 'cancelled', nextAttemptAt: null, lastError: 'endpoint disabled' });
    if (!revoked.has(d.clientId)) {
      const [client] = await db.select({ revokedAt: merchantClients.revokedAt }).from(merchantClients).where(eq(merchantClients.id, d.clientId));
      revoked.set(d.clientId, !client || client.revokedAt !== null);
    }
    if (revoked.get(d.clientId)) return finish(d, { state: 'cancelled', nextAttemptAt: null, lastError: 'the merchant client is revoked' });
    if (!(await consentActive(stored.consentId))) return finish(d, { state: 'cancelled', nextAttemptAt: null, lastError: "the customer's consent for this merchant is no longer active" });
    const body = JSON.stringify(stored.body);
    const timestamp = Math.floor(now.getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'consortium-node-webhooks/1',
      'webhook-id': d.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(await unseal(endpoint.sealedSecret), d.id, timestamp, body),
    };
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await deps.fetch(endpoint.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (status < 200 || status > 299) error = `the endpoint answered ${status}`;
    } catch (err) {
      error = `delivery failed: ${(err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message}`.slice(0, 300);
    }
    const attempts = d.attempts + 1;
    if (error === null) return finish(d, { state: 'delivered', attempts, lastAttemptAt: now, lastStatus: status, lastError: null, nextAttemptAt: null, deliveredAt: now });
    const giveUp = attempts >= maxAttempts;
    deps.logger.warn({ delivery: d.id, endpoint: d.endpointId, attempts, status, giveUp }, 'webhook delivery failed');
    return finish(d, {
      state: giveUp ? 'failed' : 'pending', attempts, lastAttemptAt: now, lastStatus: status, lastError: error,
      nextAttemptAt: giveUp ? null : new Date(now.getTime() + backoffMs(attempts, uniform(), base, maxBackoff)),
    });
  }

  return {
    events: createEventSink({ random: deps.random }),

    async register(clientId, url) {
      const [client] = await db.select({ revokedAt: merchantClients.revokedAt }).from(merchantClients).where(eq(merchantClients.id, clientId));
      if (!client) return { ok: false, code: 'client-not-found', message: `no merchant client ${clientId}` };
      if (client.revokedAt) return { ok: false, code: 'client-revoked', message: `client ${clientId} is revoked` };
      const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(merchantWebhookEndpoints).where(and(eq(merchantWebhookEndpoints.clientId, clientId), eq(merchantWebhookEndpoints.active, true)));
      if ((count?.n ?? 0) >= MAX_ENDPOINTS_PER_CLIENT) return { ok: false, code: 'webhook-endpoint-limit', message: `a client has at most ${MAX_ENDPOINTS_PER_CLIENT} active endpoints; disable one first` };
      const secret = newWebhookSecret(deps.random);
      const [row] = await db
        .insert(merchantWebhookEndpoints)
        .values({ id: newLedgerId('we', deps.random), clientId, url, sealedSecret: await seal(secret), active: true, createdAt: deps.now() })
        .returning();
      return { ok: true, endpoint: endpointView(row!), secret };
    },

    async list(clientId) {
      const rows = await db.select().from(merchantWebhookEndpoints).where(eq(merchantWebhookEndpoints.clientId, clientId)).orderBy(asc(merchantWebhookEndpoints.createdAt));
      return rows.map(endpointView);
    },

    async disable(clientId, endpointId) {
      const now = deps.now();
      const rows = await db
        .update(merchantWebhookEndpoints)
        .set({ active: false, disabledAt: now })
        .where(and(eq(merchantWebhookEndpoints.id, endpointId), eq(merchantWebhookEndpoints.clientId, clientId), eq(merchantWebhookEndpoints.active, true)))
        .returning({ id: merchantWebhookEndpoints.id });
      if (rows.length === 0) return false;
      await db
        .update(merchantWebhookDeliveries)
        .set({ state: 'cancelled', nextAttemptAt: null, lastError: 'endpoint disabled' })
        .where(and(eq(merchantWebhookDeliveries.endpointId, endpointId), eq(merchantWebhookDeliveries.state, 'pending')));
      return true;
    },

    async deliveries(q) {
      const rows = await db
        .select()
        .from(merchantWebhookDeliveries)
        .where(
          and(
            q.clientId ? eq(merchantWebhookDeliveries.clientId, q.clientId) : undefined,
            q.state ? eq(merchantWebhookDeliveries.state, q.state) : undefined,
            q.before ? lt(merchantWebhookDeliveries.createdAt, q.before) : undefined,
          ),
        )
        .orderBy(desc(merchantWebhookDeliveries.createdAt), desc(merchantWebhookDeliveries.id))
        .limit(q.limit);
      return rows.map(deliveryView);
    },

    async deliverDue(limit = 100) {
      const due = await db
        .select()
        .from(merchantWebhookDeliveries)
        .where(and(eq(merchantWebhookDeliveries.state, 'pending'), or(isNull(merchantWebhookDeliveries.nextAttemptAt), lte(merchantWebhookDeliveries.nextAttemptAt, deps.now()))))
        .orderBy(asc(merchantWebhookDeliveries.nextAttemptAt))
        .limit(limit);
      const endpoints = new Map<string, EndpointRow | null>();
      const revoked = new Map<string, boolean>();
      for (const d of due) await attempt(d, endpoints, revoked);
      return due.length;
    },
  };
}
