import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns';

/**
 * Partner-merchant OAuth2 clients (issue 8 §1). The secret is never stored: only HMAC-SHA256 of it under a key
 * derived from the node's storage key (a 256-bit random secret needs no slow KDF). Rate-limit settings per client.
 */
export const merchantClients = pgTable('merchant_clients', {
  /** `mch_<32 hex>`; also the recipient named in the customer's `merchant-limit` consent. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Scopes granted (`limits:read`, `authorizations:write`). */
  scopes: jsonb('scopes').$type<string[]>().notNull(),
  secretHash: bytea('secret_hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  rotatedAt: timestamp('rotated_at', { withTimezone: true, mode: 'date' }),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  /** Token bucket: sustained requests per second and burst size; daily request quota. */
  ratePerSecond: integer('rate_per_second').notNull(),
  burst: integer('burst').notNull(),
  dailyQuota: integer('daily_quota').notNull(),
});

/**
 * The node's signing keys for merchant access tokens and consent tokens (Ed25519, EdDSA JWS). The secret key is
 * sealed with the storage key (libsodium secretbox: nonce || box). The newest unretired key signs; all verify.
 */
export const merchantSigningKeys = pgTable('merchant_signing_keys', {
  kid: text('kid').primaryKey(),
  publicKey: bytea('public_key').notNull(),
  sealedSecretKey: bytea('sealed_secret_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'date' }),
});

/**
 * `Idempotency-Key` records of `/v1/` POSTs, per client (issue 8 §5). `state` is `in_progress` while the first
 * request runs, then `done` with the stored response. Purged after the retention window (at least 24 h).
 */
export const merchantIdempotency = pgTable(
  'merchant_idempotency',
  {
    clientId: text('client_id').notNull(),
    key: text('key').notNull(),
    /** Hex SHA-256 over method, path and body. */
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull(),
    status: integer('status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.key] }), index('merchant_idempotency_created').on(t.createdAt)],
);

/**
 * Every look-up or use of a customer's credit by a merchant (issue 8 §7), for compliance review: who, which
 * subject (pseudonym only), why, under which consent, what happened.
 */
export const merchantQueryLog = pgTable(
  'merchant_query_log',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    clientId: text('client_id').notNull(),
    subject: text('subject').notNull(),
    purpose: text('purpose').notNull(),
    consentId: text('consent_id').notNull(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    requestId: text('request_id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('merchant_query_log_subject').on(t.subject, t.at), index('merchant_query_log_client').on(t.clientId, t.at)],
);
