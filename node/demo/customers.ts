import { residentIdCheckChar } from '../../protocol';

/** A demo customer: a valid (synthetic) resident ID and where they shop. */
export interface DemoCustomer {
  label: string;
  id: string;
  /** Indexes of the members (0-based) the customer has a relationship with. */
  members: number[];
}

const rid = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;

/**
 * A small cast with a story each: a good payer known everywhere, one who fell behind at one member,
 * a refund abuser, a confirmed fraud, and a customer who withdraws consent during the demo.
 */
export function demoCustomers(members: number): DemoCustomer[] {
  const all = Array.from({ length: members }, (_, i) => i);
  return [
    { label: 'Wang Fang (good payer everywhere)', id: rid('11010519880312004'), members: all },
    { label: 'Li Wei (overdue at one member)', id: rid('31010419900521003'), members: all },
    { label: 'Zhang Min (refund abuse)', id: rid('44030519920817002'), members: all.slice(0, 2) },
    { label: 'Chen Jie (confirmed fraud)', id: rid('33010619850203005'), members: [0, ...all.slice(-1)] },
    { label: 'Zhao Lei (withdraws consent)', id: rid('51010719951130001'), members: all },
  ];
}
