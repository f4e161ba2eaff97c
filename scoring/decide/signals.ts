/**
 * Signal payloads a decision lets the node share with peers (docs/protocol.md §3.4): `grade.assigned` and
 * `vip.status`. The protocol uses the same grades S (best) .. D (worst).
 */
import type { SignalData } from '../../protocol/signals/catalogue';
import type { Grade } from '../policy/schema';
import type { Decision } from './decide';

/** Consortium grade -> protocol `grade.assigned` grade (identical scales; typed so a protocol change fails here). */
const protocolGrade = (g: Grade): SignalData<'grade.assigned'>['grade'] => g;

const MODEL_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `grade.assigned` data for a decision. The model id is the decision's model version when it is a valid protocol
 * model id, else the first 16 hex digits of the model's SHA-256.
 */
export function gradeAssignedData(d: Pick<Decision, 'grade' | 'asOf' | 'versions'>): SignalData<'grade.assigned'> {
  const model = MODEL_ID.test(d.versions.model) ? d.versions.model : d.versions.modelSha256.slice(0, 16);
  return { grade: protocolGrade(d.grade), model, asOf: d.asOf.slice(0, 7) };
}

/** `vip.status` data for a decision, or null when no tier was granted. */
export function vipStatusData(d: Pick<Decision, 'vip'>): SignalData<'vip.status'> | null {
  return d.vip ? { ...d.vip.signal } : null;
}
