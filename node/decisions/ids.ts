/** Opaque ids for decision records: a prefix and 16 random bytes, base64url. */
export function newId(prefix: 'dec' | 'rev' | 'hrr' | 'evt', random: (n: number) => Uint8Array): string {
  return `${prefix}_${Buffer.from(random(16)).toString('base64url')}`;
}
