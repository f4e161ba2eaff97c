import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL `bytea` as a Uint8Array (both drivers hand back Buffers or Uint8Arrays). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | Buffer }>({
  dataType: () => 'bytea',
  fromDriver: (v) => new Uint8Array(v),
  toDriver: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength),
});
