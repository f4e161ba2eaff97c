import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL `bytea` as a Uint8Array (both drivers hand back Buffers or Uint8Arrays). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | Buffer }>({
  dataType: () => 'bytea',
  fromDriver: (v) => new Uint8Array(v),
  toDriver: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength),
});

/**
 * `text COLLATE "C"`: identifiers compared byte by byte. Keys and pseudonyms have no linguistic
 * order, and the database's default collation (often `en_US.UTF-8`, even `C.UTF-8` on PostgreSQL
 * 15) makes every B-tree comparison a `strcoll` call: bulk imports insert millions of them.
 */
export const idText = customType<{ data: string }>({
  dataType: () => 'text COLLATE "C"',
});
