/**
 * Bulk writes (member imports): one transaction on one connection with plain SQL and `COPY ... FROM`
 * in text format, the cheapest way to load many rows into PostgreSQL — about twice the rows per
 * server CPU-second of an `INSERT ... SELECT FROM jsonb_to_recordset` (docs/operations.md, imports).
 * PostgreSQL streams the data with pg-copy-streams; PGlite reads it from a blob (`/dev/blob`).
 */
import { once } from 'node:events';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A bulk transaction's connection. */
export interface BulkSession {
  /** Runs one statement with `$1...` parameters and returns its rows. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /**
   * Loads `data` (rows in COPY text format, see {@link copyField}) into `table (columns)`.
   * Like any statement, a failure (e.g. a unique violation) aborts the transaction unless run
   * inside a savepoint.
   */
  copyIn(table: string, columns: readonly string[], data: string | Uint8Array): Promise<void>;
}

/** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
export type BulkTransaction = <T>(fn: (session: BulkSession) => Promise<T>) => Promise<T>;

const IDENT = /^[a-z_][a-z0-9_]*$/;

function copyStatement(table: string, columns: readonly string[], source: string): string {
  for (const name of [table, ...columns]) if (!IDENT.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return `copy ${table} (${columns.join(', ')}) from ${source}`;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;

/**
 * One field in COPY text format: `\N` for null, backslash, tab, newline and carriage return
 * escaped (PostgreSQL docs, COPY "Text Format"). Rows are fields joined by `\t`, ended by `\n`.
 */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

const COPY_UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/**
 * The fields of COPY text rows as written with {@link copyField} (`\N` is null): the way back, for
 * rows that must be re-read after a failed COPY.
 */
export function parseCopyText(bytes: Uint8Array): (string | null)[][] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const rows: (string | null)[][] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    rows.push(line.split('\t').map((f) => (f === '\\N' ? null : f.includes('\\') ? f.replace(/\\(.)/g, (_, c: string) => COPY_UNESCAPES[c] ?? c) : f)));
  }
  return rows;
}

/**
 * COPY text rows encoded as UTF-8 straight into a growing buffer as they are appended: a batch never
 * becomes one long JavaScript string (no rope to flatten, nothing for the old generation to collect).
 */
export class CopyBuffer {
  private buf = Buffer.allocUnsafe(1 << 20);
  /** Bytes appended so far. */
  length = 0;

  /** Appends one row (fields escaped with {@link copyField}, joined by tabs, ended by `\n`). */
  append(row: string): void {
    // a UTF-8 byte per UTF-16 unit at best, three at worst
    if (this.buf.length - this.length < row.length * 3) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + row.length * 3));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    this.length += this.buf.write(row, this.length, 'utf8');
  }

  /** Forgets the rows appended (the memory is kept for the next ones). */
  clear(): void {
    this.length = 0;
  }

  /** The rows appended, as bytes (a view, valid until the next append). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** {@link BulkTransaction} over a node-postgres pool: a dedicated client for the transaction. */
export function postgresBulk(pool: pg.Pool): BulkTransaction {
  return async (fn) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // The pool stops listening to a client it hands out; without a listener a dropped connection
    // during a long COPY would be an unhandled 'error' event and end the process.
    const onError = (err: Error) => { broken = err; };
    client.on('error', onError);
    try {
      await client.query('begin');
      const session: BulkSession = {
        query: async (text, params) => (await client.query(text, params)).rows,
        async copyIn(table, columns, data) {
          const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
          const done = once(stream, 'finish');
          stream.end(data);
          await done;
        },
      };
      const result = await fn(session);
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch((e: Error) => { broken = e; });
      throw err;
    } finally {
      client.off('error', onError);
      // a client that failed or could not roll back is in an unknown state: the pool discards it
      client.release(broken);
    }
  };
}

/** {@link BulkTransaction} over PGlite (its transactions serialize with every other query). */
export function pgliteBulk(client: PGlite): BulkTransaction {
  return (fn) =>
    client.transaction((tx) =>
      fn({
        query: async (text, params) => (await tx.query(text, params)).rows as never[],
        async copyIn(table, columns, data) {
          await tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([data]) });
        },
      }),
    );
}
