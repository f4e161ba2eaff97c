/**
 * Builds what a provider may receive about a subject from what this node holds: the normalized
 * identifier kept encrypted by the SubjectService (resident ID or phone) plus per-call fields the
 * caller supplies (Alipay user id or auth token, WeChat openid, name), which are never stored.
 */
import type { SubjectIdentifiers } from '../../adapters/external/index';
import type { SubjectService } from '../subjects/service';

/** Per-call identifiers a provider may need besides the resident ID or phone. */
export type ExtraIdentifiers = Partial<Pick<SubjectIdentifiers, 'name' | 'alipayUserId' | 'alipayAuthToken' | 'wechatOpenid'>>;

/** Splits a normalized identifier (`cn-rid:...`, `tel:+86...`) into the provider-facing fields. */
export function identifiersOf(normalized: string | null): Pick<SubjectIdentifiers, 'idNumber' | 'phone'> {
  if (normalized?.startsWith('cn-rid:')) return { idNumber: normalized.slice('cn-rid:'.length) };
  if (normalized?.startsWith('tel:')) return { phone: normalized.slice('tel:'.length) };
  return {};
}

/** The subject as the external score service takes it; unknown pseudonyms carry only the pseudonym. */
export async function subjectIdentifiers(subjects: SubjectService | null, pseudonym: string, extra: ExtraIdentifiers = {}): Promise<SubjectIdentifiers> {
  const known = subjects ? identifiersOf(await subjects.identifierOf(pseudonym)) : {};
  return { pseudonym, ...known, ...extra };
}
