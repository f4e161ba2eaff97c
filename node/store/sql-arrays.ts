/**
 * Column arrays as single bound parameters, for multi-row statements that expand them with
 * `unnest(...)`: one parameter per column instead of one per value (far less statement building,
 * binding and parsing than a VALUES list), on both drivers (node-postgres and PGlite).
 */
import { sql, type SQL } from 'drizzle-orm';

/** `$n::text[]` of `xs`. Bytes travel as hex or base64 text and are decoded in SQL. */
export const textArray = (xs: readonly string[]): SQL => sql`${sql.param(xs)}::text[]`;

/** `$n::bigint[]` of `xs` (decimal strings, so values beyond 2^53 stay exact). */
export const bigintArray = (xs: readonly string[]): SQL => sql`${sql.param(xs)}::bigint[]`;
