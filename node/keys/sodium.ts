import sodium from 'libsodium-wrappers';

/** libsodium after its WebAssembly module is ready; await once before any crypto call. */
export async function loadSodium(): Promise<typeof sodium> {
  await sodium.ready;
  return sodium;
}
