/**
 * How the record repository attributes records to subjects and puts rows on the wire: new keys as COPY text rows of `member_records`
 * (encoded once, when the record is staged), changed keys as one JSON array for an upsert, and the
 * way back from COPY rows to {@link StoredRow}s when a batch must be retried as an upsert.
 */
import type { AcceptedRecord, EntityName } from '../../adapters/member';
import { copyField, parseCopyText, type CopyBuffer } from '../store/bulk';

/** A parent record's attribution: the subject its children inherit. */
export interface Parent { subject: string; customerRef: string; kid: string }
/** Entities whose records attribute others to their subject. */
export type ParentEntity = 'customer' | 'creditLine';

/** The entity whose record attributes a record of `entity` to its subject: its customer, or its credit line for installments. */
export const parentEntityOf = (entity: EntityName): ParentEntity | null => (entity === 'customer' ? null : entity === 'installment' ? 'creditLine' : 'customer');
/** The reference to the parent (`parentEntityOf`) of a non-customer record. */
export const parentRefOf = (a: AcceptedRecord): string => (a.entity === 'installment' ? a.record.creditLineRef : (a.record as { customerRef: string }).customerRef);

/** The columns a COPY row carries, in order. */
export const COPY_COLUMNS = ['key', 'entity', 'subject', 'customer_ref', 'hash', 'data', 'sealed', 'import_id', 'updated_at'] as const;

/** A record ready to store: attributed to its subject, personal fields sealed, data as JSON text. */
export interface StoredRow {
  key: string;
  subject: string;
  customerRef: string;
  /** The stored hash (keyed for entities with personal fields). */
  hash: string;
  /** JSON text of the fields kept in clear. */
  data: string;
  sealed: Uint8Array | null;
}

/** The per-batch constant fields of COPY rows, escaped once. */
export interface CopyContext { entity: string; importField: string; nowText: string }

/** `bytes` as a Buffer over the same memory (for its hex and base64 encoders). */
const bufferOf = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Appends `row` as one COPY text row. Only the member's own text (key, customer reference, data) can
 * hold characters COPY escapes: the entity name, the pseudonym (base64url), the stored hash (hex or
 * base64url) and the ISO time never do.
 */
export function appendCopyRow(out: CopyBuffer, ctx: CopyContext, row: StoredRow): void {
  const sealed = row.sealed ? `\\\\x${bufferOf(row.sealed).toString('hex')}` : '\\N';
  out.append(`${copyField(row.key)}\t${ctx.entity}\t${row.subject}\t${copyField(row.customerRef)}\t${row.hash}\t${copyField(row.data)}\t${sealed}\t${ctx.importField}\t${ctx.nowText}\n`);
}

/** The rows of COPY text written by {@link appendCopyRow} (a batch to retry as an upsert). */
export function rowsOfCopy(bytes: Uint8Array): StoredRow[] {
  return parseCopyText(bytes).map((f) => {
    const sealed = f[6];
    return {
      key: f[0]!, subject: f[2]!, customerRef: f[3]!, hash: f[4]!, data: f[5]!,
      sealed: sealed ? Buffer.from(sealed.slice(2), 'hex') : null,
    };
  });
}

/** Appends `row` to a JSON array for the upsert statement (`[` before the first, `]` added by {@link closeUpsertJson}). */
export function appendUpsertJson(json: string, row: StoredRow): string {
  const sealed = row.sealed ? `,"x":"${bufferOf(row.sealed).toString('base64')}"` : '';
  return `${json ? `${json},` : '['}{"k":${JSON.stringify(row.key)},"s":${JSON.stringify(row.subject)},"c":${JSON.stringify(row.customerRef)},"h":${JSON.stringify(row.hash)},"d":${row.data}${sealed}}`;
}

/** The upsert statement's JSON parameter. */
export const closeUpsertJson = (json: string) => `${json}]`;

/** Inserts or updates the rows of `$1` (JSON from {@link appendUpsertJson}); `$2` entity, `$3` import id, `$4` time. */
export const UPSERT_SQL = `
  insert into member_records (key, entity, subject, customer_ref, hash, data, sealed, import_id, updated_at)
  select r.k, $2::text, r.s, r.c, r.h, r.d, decode(r.x, 'base64'), $3::text, $4::timestamptz
  from json_to_recordset($1::json) as r(k text, s text, c text, h text, d json, x text)
  on conflict (key) do update set entity = excluded.entity, subject = excluded.subject, customer_ref = excluded.customer_ref, hash = excluded.hash,
    data = excluded.data, sealed = excluded.sealed, import_id = excluded.import_id, updated_at = excluded.updated_at`;
