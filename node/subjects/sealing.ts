import sodium from 'libsodium-wrappers';

/**
 * Personal data at rest: libsodium secretbox (XSalsa20-Poly1305) with the node's storage key.
 * Layout: 24-byte nonce || ciphertext. Call after the protocol library's `ready()`.
 */
export function seal(plaintext: string, key: Uint8Array, random: (n: number) => Uint8Array): Uint8Array {
  const nonce = random(sodium.crypto_secretbox_NONCEBYTES);
  const box = sodium.crypto_secretbox_easy(new TextEncoder().encode(plaintext), nonce, key);
  const out = new Uint8Array(nonce.length + box.length);
  out.set(nonce);
  out.set(box, nonce.length);
  return out;
}

/** Opens {@link seal}'s output; throws when the key is wrong or the bytes were altered. */
export function openSealed(sealed: Uint8Array, key: Uint8Array): string {
  const n = sodium.crypto_secretbox_NONCEBYTES;
  const plain = sodium.crypto_secretbox_open_easy(sealed.subarray(n), sealed.subarray(0, n), key);
  return new TextDecoder().decode(plain);
}
