/** Opaque, unguessable ids of ledger records: a prefix and 16 random bytes (128 bits), base64url. */
export function newLedgerId(prefix: 'az' | 'rp' | 'we' | 'wd' | 'evt', random: (n: number) => Uint8Array): string {
  return `${prefix}_${Buffer.from(random(16)).toString('base64url')}`;
}

/** Whether `id` can be an id of `prefix` (anything else answers "not found" without a database look-up). */
export function isLedgerId(prefix: 'az' | 'rp' | 'we' | 'wd', id: string): boolean {
  return id.length === prefix.length + 23 && id.startsWith(`${prefix}_`) && /^[A-Za-z0-9_-]{22}$/.test(id.slice(prefix.length + 1));
}
