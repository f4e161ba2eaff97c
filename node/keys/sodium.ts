import sodium from 'libsodium-wrappers';
import { ready } from '../../protocol';

/** libsodium, once the protocol library's crypto is initialised too; await before any crypto call. */
export async function loadSodium(): Promise<typeof sodium> {
  await ready();
  return sodium;
}
