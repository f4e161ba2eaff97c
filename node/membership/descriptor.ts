import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KEY_USES } from '../../protocol';
import { ConfigError } from '../config/errors';
import type { KeyFile } from '../keys/keyfile';

/**
 * `member.json`: a member's public descriptor, written by `init` and sent to the governance operator, who
 * adds it to the roster (`consortium add-member`). It holds public keys only.
 */
export const memberDescriptorSchema = z.strictObject({
  version: z.literal(1),
  id: z.string(),
  name: z.string().min(1).max(200),
  baseUrl: z.string(),
  keys: z
    .array(z.strictObject({ kid: z.string().min(1).max(64), use: z.enum(KEY_USES), publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/) }))
    .min(1)
    .max(16),
});

export type MemberDescriptor = z.infer<typeof memberDescriptorSchema>;

const std = (b64url: string) => Buffer.from(b64url, 'base64url').toString('base64');

/** Builds the descriptor from the node's key file (public halves only). */
export function describeMember(opts: { id: string; name: string; baseUrl: string; keys: KeyFile }): MemberDescriptor {
  const { keys } = opts;
  return {
    version: 1,
    id: opts.id,
    name: opts.name,
    baseUrl: opts.baseUrl,
    keys: [
      { kid: keys.node.kid, use: 'node', publicKey: std(keys.node.publicKey) },
      { kid: keys.signal.kid, use: 'signal', publicKey: std(keys.signal.publicKey) },
      { kid: keys.log.kid, use: 'log', publicKey: std(keys.log.publicKey) },
      { kid: keys.witness.kid, use: 'witness', publicKey: std(keys.witness.publicKey) },
      { kid: `${keys.node.kid}-x25519`, use: 'x25519', publicKey: std(keys.box.publicKey) },
    ],
  };
}

export function writeDescriptor(dir: string, d: MemberDescriptor): void {
  writeFileSync(join(dir, 'member.json'), `${JSON.stringify(d, null, 2)}\n`, { flag: 'wx' });
}

/** Reads and validates a member descriptor file (`consortium add-member` input). */
export function readDescriptor(path: string): MemberDescriptor {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(path, `is not a readable member descriptor (${(err as Error).message})`);
  }
  const parsed = memberDescriptorSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`${path} ${i.path.join('.')}`, i.message);
  }
  return parsed.data;
}
