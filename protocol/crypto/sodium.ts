/**
 * libsodium initialisation. `ready()` must be awaited once before any signing, verification or
 * sealing call; the crypto functions throw `NOT_READY` otherwise.
 */
import sodium from 'libsodium-wrappers';
import { ProtocolError } from '../errors';

let initialised = false;

/** Awaits libsodium's WebAssembly initialisation (idempotent, safe to call many times). */
export async function ready(): Promise<void> {
  await sodium.ready;
  initialised = true;
}

/** Returns the initialised libsodium module, or throws `NOT_READY` if {@link ready} was not awaited. */
export function getSodium(): typeof sodium {
  if (!initialised) throw new ProtocolError('NOT_READY', 'await ready() from protocol/ before using crypto');
  return sodium;
}
