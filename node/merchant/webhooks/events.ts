/**
 * Merchant webhook events (issue 8 §6; docs/api-webhooks.md) and the queue they enter: one delivery row per active
 * endpoint of the recipient, inserted in the caller's transaction so an event exists exactly when its cause does.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../store/database';
import { merchantWebhookDeliveries, merchantWebhookEndpoints } from '../../store/schema';
import { newLedgerId } from '../ledger/ids';

/** Event types a merchant receives. */
export const WEBHOOK_EVENT_TYPES = ['authorization.expired', 'line.frozen', 'limit.changed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An event for one merchant. `consentId`: deliver only while this customer consent is active (null: always). */
export interface WebhookEvent {
  type: WebhookEventType;
  clientId: string;
  consentId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** The body a merchant receives (Standard Webhooks layout: `type`, `timestamp`, `data`). */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/** What the row's `payload` column holds: the body, and the consent that must still be active when it is sent. */
export interface StoredPayload {
  consentId: string | null;
  body: WebhookPayload;
}

/** Where the ledger puts events. */
export interface WebhookEventSink {
  /** Queues `e` for every active endpoint of `e.clientId` (none registered: nothing is queued). */
  enqueue(ex: Db | Parameters<Parameters<Db['transaction']>[0]>[0], e: WebhookEvent): Promise<number>;
}

/** The sink over the delivery table; `random` makes event and delivery ids. */
export function createEventSink(deps: { random: (n: number) => Uint8Array }): WebhookEventSink {
  return {
    async enqueue(ex, e) {
      const endpoints = await ex
        .select({ id: merchantWebhookEndpoints.id })
        .from(merchantWebhookEndpoints)
        .where(and(eq(merchantWebhookEndpoints.clientId, e.clientId), eq(merchantWebhookEndpoints.active, true)));
      if (endpoints.length === 0) return 0;
      const eventId = newLedgerId('evt', deps.random);
      const body: WebhookPayload = { id: eventId, type: e.type, timestamp: e.occurredAt.toISOString(), data: e.data };
      const payload: StoredPayload = { consentId: e.consentId, body };
      await ex.insert(merchantWebhookDeliveries).values(
        endpoints.map((ep) => ({
          id: newLedgerId('wd', deps.random),
          eventId,
          endpointId: ep.id,
          clientId: e.clientId,
          eventType: e.type,
          payload,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: e.occurredAt,
          createdAt: e.occurredAt,
        })),
      );
      return endpoints.length;
    },
  };
}
