/**
 * The synthetic consortium's internal model (docs/data-standard.md §8): people with one latent
 * creditworthiness, and per member the records of the people who shop there, in standard terms
 * (amounts in fen, instants in epoch ms, due dates as local calendar dates).
 */
import type {
  CreditLine, Customer, FraudCase, Installment, Order, Refund,
} from '../standard/entities';

/** Entities the generator produces. */
export const SYNTH_ENTITIES = ['customer', 'creditLine', 'order', 'installment', 'refund', 'fraudCase'] as const;
/** One of {@link SYNTH_ENTITIES}. */
export type SynthEntity = (typeof SYNTH_ENTITIES)[number];

type Instants<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] extends string ? number : number | undefined };

/** Synthetic rows per entity: standard records with instants as epoch ms. */
export interface SynthRows {
  customer: Instants<Customer, 'registeredAt' | 'verifiedAt'>[];
  creditLine: Instants<CreditLine, 'openedAt' | 'closedAt'>[];
  order: Instants<Order, 'placedAt'>[];
  installment: Instants<Installment, 'paidAt'>[];
  refund: Instants<Refund, 'requestedAt' | 'completedAt'>[];
  fraudCase: Instants<FraudCase, 'reportedAt' | 'confirmedAt'>[];
}

/** Ground truth about one synthetic person (for model training and evaluation). */
export interface GroundTruth {
  /** Raw 18-character resident ID (synthetic). */
  residentId: string;
  /** Normalized subject identifier `cn-rid:<ID>`. */
  subjectId: string;
  /** Latent creditworthiness, standard normal; higher is better. */
  creditworthiness: number;
  /** Probability of default implied by the latent score. */
  defaultProbability: number;
  /** Whether the person defaulted (stopped repaying everywhere) before `asOf`. */
  defaulted: boolean;
  /** Whether the person abuses refunds without return. */
  refundAbuser: boolean;
  /** Whether a fraud case was confirmed against the person. */
  fraud: boolean;
  /** Member ids where the person is a customer, with their customer number there. */
  accounts: { member: string; customerRef: string }[];
}
