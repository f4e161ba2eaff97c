import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeRoster, openConsortiumKey, ProtocolError, verifyRoster, type GovernanceKey } from '../../../protocol';
import { readNodeFile } from '../../config/load';
import { readRosterFile } from '../../governance/files';
import { loadKeys } from '../../keys/keyfile';
import { loadSodium } from '../../keys/sodium';
import { readMembership, writeJoinedRoster, writeMembership } from '../../membership/files';
import { UsageError, exitCodes, requireString, type Command } from '../command';

export const joinCommand: Command = {
  name: 'join',
  summary: 'Join a consortium: verify the signed roster, open the sealed pseudonymization key, record both in the node directory.',
  usage: 'join --dir DIR --roster ROSTER --key SEALED_KEY [--governance-key BASE64]',
  details: [
    '--dir DIR               the node directory (made by init)',
    '--roster ROSTER         the signed roster.json from the governance operator',
    '--key SEALED_KEY        the sealed key file made for this member by `consortium add-member`',
    '--governance-key BASE64 pin the governance public key (recommended: compare with the operator out of band)',
  ],
  options: { dir: { type: 'string' }, roster: { type: 'string' }, key: { type: 'string' }, 'governance-key': { type: 'string' } },
  async run({ values }, io) {
    const dir = resolve(requireString(values, 'dir', 'the node directory'));
    const node = readNodeFile(dir);
    const keys = loadKeys(dir);
    await loadSodium();
    const rosterPath = requireString(values, 'roster', 'the signed roster.json');
    const signed = readRosterFile(rosterPath);
    const pinned = values['governance-key'] as string | undefined;
    const anchors: GovernanceKey[] = pinned ? signed.body.governance.filter((g) => g.publicKey === pinned) : signed.body.governance;
    if (pinned && anchors.length === 0) throw new UsageError(`--governance-key does not match any governance key of this roster; do not join, check with the governance operator`);
    let body;
    try {
      body = verifyRoster(signed, { anchors });
    } catch (err) {
      if (err instanceof ProtocolError) throw new UsageError(`${rosterPath}: ${err.message}`);
      throw err;
    }
    const existing = readMembership(dir);
    if (existing && existing.consortiumId !== body.consortium) {
      throw new UsageError(`this node already belongs to consortium '${existing.consortiumId}', not '${body.consortium}'; use a new node directory`);
    }
    const me = body.members.find((m) => m.id === node.memberId);
    if (!me) throw new UsageError(`member '${node.memberId}' is not in roster version ${body.version}; send DIR/member.json to the governance operator first`);
    const nodeKey = Buffer.from(keys.node.publicKey).toString('base64');
    if (!me.keys.some((k) => k.use === 'node' && k.publicKey === nodeKey)) {
      throw new UsageError(`the roster lists other keys for '${node.memberId}' than this node's keys.json; was member.json from another directory?`);
    }
    const sealedPath = requireString(values, 'key', 'the sealed key file');
    let pseudonymKey;
    try {
      pseudonymKey = openConsortiumKey(new Uint8Array(Buffer.from(readFileSync(sealedPath, 'utf8').trim(), 'base64')), keys.box);
    } catch (err) {
      throw new UsageError(`${sealedPath}: ${(err as Error).message}; it must be the key sealed for '${node.memberId}'`);
    }
    writeMembership(dir, { consortiumId: body.consortium, pseudonymKey, anchors: existing?.anchors ?? anchors });
    writeJoinedRoster(dir, encodeRoster(signed));
    io.out(`Joined consortium '${body.consortium}' as '${node.memberId}' (roster version ${body.version}, ${body.members.length} members)`);
    io.out(`Governance key(s) trusted: ${anchors.map((a) => `${a.kid} ${a.publicKey}`).join(', ')}`);
    io.out(`Pseudonymization key ${pseudonymKey.kid} stored in ${dir}/consortium.json (0600)`);
    io.out(`Start the node with: consortium-node start --dir ${values.dir as string}`);
    return exitCodes.ok;
  },
};
