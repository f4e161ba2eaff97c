/**
 * Grouping of a member's standard records by subject (docs/data-standard.md §7.1): customers carry
 * the subject identifier; everything else hangs off a customer (installments via their credit line).
 */
import type {
  CreditLine, Customer, Dispute, EntityName, FraudCase, Installment, Order, Refund, Violation,
} from '../standard/entities';

/** All standard records of one subject at one member. */
export interface SubjectRecords {
  subjectId: string;
  customers: Customer[];
  orders: Order[];
  creditLines: CreditLine[];
  installments: Installment[];
  refunds: Refund[];
  disputes: Dispute[];
  fraudCases: FraudCase[];
  violations: Violation[];
}

/** An entity-tagged record as stored. */
export interface TaggedRecord { entity: EntityName; record: Record<string, unknown> }

/** Empty {@link SubjectRecords} for `subjectId`. */
export function emptySubjectRecords(subjectId: string): SubjectRecords {
  return { subjectId, customers: [], orders: [], creditLines: [], installments: [], refunds: [], disputes: [], fraudCases: [], violations: [] };
}

/**
 * Groups records by normalized subject identifier. Records whose customer (or credit line) is not
 * among `records` are skipped — the import pipeline's referential checks prevent them.
 */
export function groupBySubject(records: Iterable<TaggedRecord>): Map<string, SubjectRecords> {
  const list = [...records];
  const subjectOfCustomer = new Map<string, string>();
  for (const r of list) if (r.entity === 'customer') subjectOfCustomer.set(String(r.record.customerRef), String(r.record.subjectId));
  const customerOfLine = new Map<string, string>();
  for (const r of list) if (r.entity === 'creditLine') customerOfLine.set(String(r.record.creditLineRef), String(r.record.customerRef));
  const out = new Map<string, SubjectRecords>();
  const bucket = (customerRef: string | undefined) => {
    const subject = customerRef === undefined ? undefined : subjectOfCustomer.get(customerRef);
    if (subject === undefined) return undefined;
    let s = out.get(subject);
    if (!s) out.set(subject, (s = emptySubjectRecords(subject)));
    return s;
  };
  for (const { entity, record } of list) {
    const customerRef = entity === 'installment' ? customerOfLine.get(String(record.creditLineRef)) : String(record.customerRef);
    const s = bucket(customerRef);
    if (!s) continue;
    switch (entity) {
      case 'customer': s.customers.push(record as Customer); break;
      case 'order': s.orders.push(record as Order); break;
      case 'creditLine': s.creditLines.push(record as CreditLine); break;
      case 'installment': s.installments.push(record as Installment); break;
      case 'refund': s.refunds.push(record as Refund); break;
      case 'dispute': s.disputes.push(record as Dispute); break;
      case 'fraudCase': s.fraudCases.push(record as FraudCase); break;
      case 'violation': s.violations.push(record as Violation); break;
    }
  }
  return out;
}
