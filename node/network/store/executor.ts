import type { Db } from '../../store/database';

/** A drizzle transaction on the node database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: repository functions run inside the caller's transaction. */
export type Executor = Db | Tx;

/** Splits `rows` into chunks of at most `size` (keeps every insert under PostgreSQL's parameter limit). */
export function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
