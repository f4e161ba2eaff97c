/** Storage of partner-merchant OAuth2 clients (table `merchant_clients`); PGlite and PostgreSQL alike. */
import { asc, eq, isNull, and } from 'drizzle-orm';
import type { Db } from '../../../store/database';
import { merchantClients } from '../../../store/schema';
import type { MerchantScope } from '../../contracts';

/** A client as stored (the secret hash never leaves the access module). */
export interface ClientRow {
  id: string;
  name: string;
  scopes: MerchantScope[];
  secretHash: Uint8Array;
  createdAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  ratePerSecond: number;
  burst: number;
  dailyQuota: number;
}

/** The client repository. */
export interface ClientRepository {
  insert(row: ClientRow): Promise<void>;
  get(id: string): Promise<ClientRow | null>;
  /** All clients, oldest first (bounded by `limit`). */
  list(limit: number): Promise<ClientRow[]>;
  /** Replaces the secret hash of a client that is not revoked; null when none. */
  rotate(id: string, secretHash: Uint8Array, at: Date): Promise<ClientRow | null>;
  /** Marks the client revoked (idempotent: the first revocation time stays); null when no such client. */
  revoke(id: string, at: Date): Promise<ClientRow | null>;
}

const toRow = (r: typeof merchantClients.$inferSelect): ClientRow => ({ ...r, scopes: r.scopes as MerchantScope[] });

/** Builds the repository over `db`. */
export function createClientRepository(db: Db): ClientRepository {
  return {
    async insert(row) {
      await db.insert(merchantClients).values(row);
    },
    async get(id) {
      const [r] = await db.select().from(merchantClients).where(eq(merchantClients.id, id));
      return r ? toRow(r) : null;
    },
    async list(limit) {
      return (await db.select().from(merchantClients).orderBy(asc(merchantClients.createdAt), asc(merchantClients.id)).limit(limit)).map(toRow);
    },
    async rotate(id, secretHash, at) {
      const [r] = await db.update(merchantClients).set({ secretHash, rotatedAt: at }).where(and(eq(merchantClients.id, id), isNull(merchantClients.revokedAt))).returning();
      return r ? toRow(r) : null;
    },
    async revoke(id, at) {
      await db.update(merchantClients).set({ revokedAt: at }).where(and(eq(merchantClients.id, id), isNull(merchantClients.revokedAt)));
      return this.get(id);
    },
  };
}
