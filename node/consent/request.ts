import { z } from 'zod';

/** Purposes that need their own consent (PIPL art. 23: separate consent per recipient and purpose). */
export const consentPurpose = z.union([
  z.literal('signal-sharing'),
  z.literal('merchant-limit'),
  z.string().regex(/^external-score:[a-z0-9-]{2,32}$/, 'must be signal-sharing, merchant-limit or external-score:<provider>'),
]);

export const dataCategories = ['identity', 'orders', 'credit-lines', 'repayments', 'refunds', 'disputes', 'fraud', 'external-scores', 'decisions'] as const;
export const collectionMethods = ['app-checkbox', 'web-form', 'paper-signature', 'voice-recording', 'in-person'] as const;

/** `POST /admin/v1/consents` body. The subject is a raw identifier, pseudonymized on arrival. */
export const createConsentRequest = z.strictObject({
  subject: z.strictObject({ id: z.string().min(1).max(64) }),
  purpose: consentPurpose,
  recipients: z.array(z.string().min(1).max(200)).min(1).max(50),
  dataCategories: z.array(z.enum(dataCategories)).min(1).max(dataCategories.length),
  notice: z.strictObject({ version: z.string().min(1).max(64), hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex digits> of the notice text shown') }),
  collectionMethod: z.enum(collectionMethods),
  automatedDecision: z.boolean().default(false),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

export type CreateConsentRequest = z.infer<typeof createConsentRequest>;
