import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeRoster, openConsortiumKey, ProtocolError, verifyRoster, type ConsortiumKey, type GovernanceKey, type RosterBody } from '../../protocol';
import { readNodeFile } from '../config/load';
import { ConfigError } from '../config/errors';
import { readRosterFile } from '../governance/files';
import { loadKeys } from '../keys/keyfile';
import { loadSodium } from '../keys/sodium';
import { readMembership, writeJoinedRoster, writeMembership } from './files';

/** A reason `join` refuses; the message says what to do. */
export class JoinError extends Error {
  override readonly name = 'JoinError';
}

/**
 * Joins a consortium: verifies the signed roster (against a pinned governance key when given, else the
 * roster's own), checks this node's keys are the ones listed, opens the sealed pseudonymization key, and
 * records membership and roster in the node directory.
 */
export async function joinConsortium(opts: { dir: string; rosterPath: string; sealedKeyPath: string; pinnedGovernanceKey?: string }): Promise<{ roster: RosterBody; anchors: GovernanceKey[]; pseudonymKey: ConsortiumKey; memberId: string }> {
  const dir = resolve(opts.dir);
  const node = readNodeFile(dir);
  const keys = loadKeys(dir);
  await loadSodium();
  const signed = readRosterFile(opts.rosterPath);
  const anchors = opts.pinnedGovernanceKey ? signed.body.governance.filter((g) => g.publicKey === opts.pinnedGovernanceKey) : signed.body.governance;
  if (opts.pinnedGovernanceKey && anchors.length === 0) throw new JoinError('--governance-key does not match any governance key of this roster; do not join, check with the governance operator');
  let body: RosterBody;
  try {
    body = verifyRoster(signed, { anchors });
  } catch (err) {
    if (err instanceof ProtocolError) throw new JoinError(`${opts.rosterPath}: ${err.message}`);
    throw err;
  }
  const existing = readMembership(dir);
  if (existing && existing.consortiumId !== body.consortium) throw new JoinError(`this node already belongs to consortium '${existing.consortiumId}', not '${body.consortium}'; use a new node directory`);
  const me = body.members.find((m) => m.id === node.memberId);
  if (!me) throw new JoinError(`member '${node.memberId}' is not in roster version ${body.version}; send DIR/member.json to the governance operator first`);
  const nodeKey = Buffer.from(keys.node.publicKey).toString('base64');
  if (!me.keys.some((k) => k.use === 'node' && k.publicKey === nodeKey)) {
    throw new JoinError(`the roster lists other keys for '${node.memberId}' than this node's keys.json; was member.json from another directory?`);
  }
  let pseudonymKey: ConsortiumKey;
  try {
    pseudonymKey = openConsortiumKey(new Uint8Array(Buffer.from(readFileSync(opts.sealedKeyPath, 'utf8').trim(), 'base64')), keys.box);
  } catch (err) {
    if (err instanceof ProtocolError || (err as NodeJS.ErrnoException).code) throw new JoinError(`${opts.sealedKeyPath}: ${(err as Error).message}; it must be the key sealed for '${node.memberId}'`);
    throw err;
  }
  const trusted = existing?.anchors ?? anchors;
  writeMembership(dir, { consortiumId: body.consortium, pseudonymKey, anchors: trusted });
  writeJoinedRoster(dir, encodeRoster(signed));
  if (!node.memberId) throw new ConfigError('node.json memberId', 'missing');
  return { roster: body, anchors: trusted, pseudonymKey, memberId: node.memberId };
}
