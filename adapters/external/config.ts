/**
 * Configuration schema of the external score providers (the `externalScores`
 * section of the node configuration), validated once at start.
 */
import { z } from 'zod';
import { ALIPAY_GATEWAY_URL } from './alipay/gateway';
import { WECHATPAY_BASE_URL } from './wechatpay/payscore';
import { bureauMappingSchema } from './bureau/mapping';

/** A key, certificate or secret: inline PEM/text, or a file path (resolved by the node's `readFile`). */
export const keySourceSchema = z.union([
  z.object({ file: z.string().min(1).max(4096) }).strict(),
  z.object({ pem: z.string().min(1).max(20_000) }).strict(),
]);
/** See keySourceSchema. */
export type KeySource = z.infer<typeof keySourceSchema>;

const providerName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -, at most 32');

const policyShape = {
  timeoutMs: z.number().int().min(50).max(60_000).default(5_000),
  cacheTtlSeconds: z.number().int().min(0).max(30 * 86_400).default(86_400),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(5).default(3),
      baseDelayMs: z.number().int().min(0).max(10_000).default(200),
      maxDelayMs: z.number().int().min(0).max(60_000).default(2_000),
    })
    .strict()
    .default({ maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 }),
  breaker: z
    .object({
      failureThreshold: z.number().int().min(1).max(100).default(5),
      halfOpenAfterMs: z.number().int().min(100).max(3_600_000).default(30_000),
    })
    .strict()
    .default({ failureThreshold: 5, halfOpenAfterMs: 30_000 }),
};

const zhimaSchema = z
  .object({
    type: z.literal('zhima'),
    name: providerName,
    appId: z.string().regex(/^\d{1,32}$/, 'the numeric Alipay app id'),
    product: z.enum(['score', 'brief']).default('score'),
    productCode: z.string().regex(/^[A-Za-z0-9]{1,64}$/).optional(),
    admittanceScore: z.number().int().min(350).max(950).optional(),
    appPrivateKey: keySourceSchema,
    alipayPublicKey: keySourceSchema,
    gatewayUrl: z.url({ protocol: /^https?$/ }).default(ALIPAY_GATEWAY_URL),
    ...policyShape,
  })
  .strict();

const wechatSchema = z
  .object({
    type: z.literal('wechatpay-score'),
    name: providerName,
    mchid: z.string().regex(/^\d{1,32}$/, 'the numeric merchant id'),
    appid: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
    serviceId: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
    merchantSerialNo: z.string().regex(/^[0-9A-Fa-f]{1,64}$/, 'hex serial of the merchant API certificate'),
    merchantPrivateKey: keySourceSchema,
    platformKeys: z
      .record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), keySourceSchema)
      .refine((r) => Object.keys(r).length > 0, 'at least one platform certificate or WeChat Pay public key'),
    baseUrl: z.url({ protocol: /^https?$/ }).default(WECHATPAY_BASE_URL),
    maxClockSkewSeconds: z.number().int().min(1).max(3_600).default(300),
    ...policyShape,
  })
  .strict();

const bureauAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('header'), name: z.string().regex(/^[A-Za-z0-9-]{1,64}$/), value: keySourceSchema }).strict(),
  z.object({ type: z.literal('mtls'), cert: keySourceSchema, key: keySourceSchema, ca: keySourceSchema.optional() }).strict(),
]);

const bureauSchema = z
  .object({
    type: z.literal('bureau'),
    name: providerName,
    url: bureauMappingSchema.shape.url,
    method: bureauMappingSchema.shape.method,
    auth: bureauAuthSchema,
    request: bureauMappingSchema.shape.request,
    response: bureauMappingSchema.shape.response,
    retrySafe: bureauMappingSchema.shape.retrySafe,
    ...policyShape,
  })
  .strict();

/** One provider entry. */
export const providerConfigSchema = z.discriminatedUnion('type', [zhimaSchema, wechatSchema, bureauSchema]);

/** The `externalScores` section of the node configuration. */
export const externalScoresConfigSchema = z
  .object({ providers: z.array(providerConfigSchema).max(32).default([]) })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.providers.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'name'], message: `duplicate provider name ${p.name}` });
      seen.add(p.name);
      if (p.type === 'zhima' && p.product === 'brief' && p.admittanceScore === undefined) {
        ctx.addIssue({ code: 'custom', path: ['providers', i, 'admittanceScore'], message: 'required for product brief (350..950)' });
      }
      if (p.retry.maxDelayMs < p.retry.baseDelayMs) {
        ctx.addIssue({ code: 'custom', path: ['providers', i, 'retry', 'maxDelayMs'], message: 'must be >= retry.baseDelayMs' });
      }
    });
  });

/** Validated configuration. */
export type ExternalScoresConfig = z.infer<typeof externalScoresConfigSchema>;
/** One validated provider entry. */
export type ProviderConfig = ExternalScoresConfig['providers'][number];
/** Configuration as written (before defaults). */
export type ExternalScoresConfigInput = z.input<typeof externalScoresConfigSchema>;

/** Start-up error naming each bad setting (`externalScores.providers.0.appId: ...`). */
export class ExternalScoresConfigError extends Error {
  readonly code = 'invalid_external_scores_config';
  constructor(readonly issues: readonly string[]) {
    super(`invalid externalScores configuration: ${issues.join('; ')}`);
  }
}

/** Validate the section; throws ExternalScoresConfigError with every issue. */
export function parseExternalScoresConfig(input: unknown): ExternalScoresConfig {
  const r = externalScoresConfigSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ExternalScoresConfigError(r.error.issues.map((i) => `externalScores.${i.path.join('.')}: ${i.message}`));
}
