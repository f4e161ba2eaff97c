/**
 * The mapping that configures a generic bureau adapter, validated with zod so
 * a bad mapping stops start-up with a message naming the setting.
 */
import { z } from 'zod';
import { JSON_PATH_PATTERN } from './json-path';

const jsonPath = z.string().regex(JSON_PATH_PATTERN, 'must be a JSON path like $.data.score');
const headerName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name');

/** Subject fields a bureau may receive. The consortium pseudonym is never sent. */
export const BUREAU_SUBJECT_FIELDS = ['idNumber', 'name', 'phone'] as const;

/** Schema of a resolved mapping (secrets already read from their files). */
export const bureauMappingSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['GET', 'POST']).default('POST'),
    auth: z.discriminatedUnion('type', [
      z.object({ type: z.literal('none') }).strict(),
      z.object({ type: z.literal('header'), name: headerName, value: z.string().min(1).max(4096) }).strict(),
      z.object({ type: z.literal('mtls'), cert: z.string().min(1), key: z.string().min(1), ca: z.string().min(1).optional() }).strict(),
    ]),
    request: z
      .object({
        /** Request parameter name -> subject field it carries. */
        fields: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.enum(BUREAU_SUBJECT_FIELDS)),
        /** Constant parameters (product code, ...). */
        constants: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.string().max(256)).default({}),
      })
      .strict()
      .refine((r) => Object.keys(r.fields).length > 0, 'request.fields must name at least one subject field'),
    response: z
      .object({
        score: jsonPath,
        reference: jsonPath,
        eligible: jsonPath.optional(),
        asOf: jsonPath.optional(),
        scale: z.object({ min: z.number(), max: z.number() }).strict().refine((s) => s.min < s.max, 'scale.min must be below scale.max'),
        /** Score values meaning "cannot assess" (besides null / missing). */
        notAssessable: z.array(z.string().max(32)).default(['N/A']),
      })
      .strict(),
    /** Only true when the bureau documents the request as idempotent. */
    retrySafe: z.boolean().default(false),
  })
  .strict();

/** A validated bureau mapping. */
export type BureauMapping = z.infer<typeof bureauMappingSchema>;
/** A mapping as written in configuration (defaults not yet applied). */
export type BureauMappingInput = z.input<typeof bureauMappingSchema>;

/** Error thrown at start-up for a bad mapping; `issues` name each setting. */
export class BureauMappingError extends Error {
  readonly code = 'invalid_bureau_mapping';
  constructor(readonly issues: readonly string[]) {
    super(`invalid bureau mapping: ${issues.join('; ')}`);
  }
}

/** Validate a mapping; throws BureauMappingError listing every problem by path. */
export function parseBureauMapping(input: unknown): BureauMapping {
  const r = bureauMappingSchema.safeParse(input);
  if (r.success) return r.data;
  throw new BureauMappingError(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}
