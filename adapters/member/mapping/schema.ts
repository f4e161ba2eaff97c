/**
 * The mapping file format `consortium-mapping/v1` (docs/mappings.md): which native column (CSV) or
 * JSON path (NDJSON) feeds each standard field, and how its values are converted.
 */
import { z } from 'zod';
import { ENTITY_ORDER } from '../standard/entities';

/** Identifier of this mapping format version. */
export const MAPPING_FORMAT = 'consortium-mapping/v1';
/** Most file sections one mapping may hold. */
export const MAX_FILE_SECTIONS = 32;

const NonEmpty = z.string().min(1).max(200);
const Scalar = z.union([z.string().max(200), z.number(), z.boolean()]);

/** How one standard field is filled (docs/mappings.md §3). Exactly one of column, path, const. */
export const FieldMappingSchema = z.strictObject({
  column: NonEmpty.optional().describe('CSV header of the source column'),
  path: NonEmpty.optional().describe('dotted JSON path (a.b[0].c) for NDJSON sources'),
  const: Scalar.optional().describe('a constant value, already in standard form'),
  values: z.record(z.string().max(200), Scalar).optional().describe('native value -> standard value'),
  format: NonEmpty.optional().describe('date format: YYYY/MM/DD, YYYY-MM-DD HH:mm:ss, epoch_ms, epoch_s, iso8601'),
  unit: z.enum(['major', 'minor', 'yuan', 'fen']).optional().describe('amount unit: major (yuan) or minor (fen)'),
  timeZone: NonEmpty.optional().describe('IANA zone or +08:00 for this field (default: defaults.timeZone)'),
  default: Scalar.optional().describe('value used when the source value is empty'),
});
/** One field mapping. */
export type FieldMapping = z.infer<typeof FieldMappingSchema>;

/** How the native file is read (docs/mappings.md §2). */
export const SourceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('csv'),
    delimiter: z.string().min(1).max(4).default(','),
    quote: z.string().length(1).default('"'),
    encoding: z.enum(['utf-8', 'gbk', 'gb18030']).default('utf-8'),
  }),
  z.strictObject({
    type: z.literal('ndjson'),
    encoding: z.enum(['utf-8', 'gbk', 'gb18030']).default('utf-8'),
  }),
]);
/** Source description. */
export type Source = z.infer<typeof SourceSchema>;

/** One export file kind of the member: which files it matches, which entity they hold, the fields. */
export const FileMappingSchema = z.strictObject({
  match: NonEmpty.describe('file name glob (* and ?), e.g. orders_*.csv'),
  entity: z.enum(ENTITY_ORDER as [string, ...string[]]),
  source: SourceSchema,
  emptyValues: z.array(z.string().max(50)).max(20).default(['']).describe('native values meaning "no value"'),
  fields: z.record(z.string(), FieldMappingSchema),
});
/** One file section. */
export type FileMapping = z.infer<typeof FileMappingSchema>;

/** A whole mapping file. */
export const MappingSchema = z.strictObject({
  format: z.literal(MAPPING_FORMAT),
  member: NonEmpty.optional().describe('member id, informational'),
  description: z.string().max(2000).optional(),
  defaults: z
    .strictObject({
      currency: z.string().default('CNY'),
      timeZone: NonEmpty.default('Asia/Shanghai'),
    })
    .default({ currency: 'CNY', timeZone: 'Asia/Shanghai' }),
  files: z.array(FileMappingSchema).min(1).max(MAX_FILE_SECTIONS),
});
/** A parsed (but not yet semantically checked) mapping. */
export type Mapping = z.infer<typeof MappingSchema>;
