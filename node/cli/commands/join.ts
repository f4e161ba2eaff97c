import { resolve } from 'node:path';
import { JoinError, joinConsortium } from '../../membership/join';
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
    let r;
    try {
      r = await joinConsortium({
        dir,
        rosterPath: requireString(values, 'roster', 'the signed roster.json'),
        sealedKeyPath: requireString(values, 'key', 'the sealed key file'),
        pinnedGovernanceKey: values['governance-key'] as string | undefined,
      });
    } catch (err) {
      if (err instanceof JoinError) throw new UsageError(err.message);
      throw err;
    }
    io.out(`Joined consortium '${r.roster.consortium}' as '${r.memberId}' (roster version ${r.roster.version}, ${r.roster.members.length} members)`);
    io.out(`Governance key(s) trusted: ${r.anchors.map((a) => `${a.kid} ${a.publicKey}`).join(', ')}`);
    io.out(`Pseudonymization key ${r.pseudonymKey.kid} stored in ${dir}/consortium.json (0600)`);
    io.out(`Start the node with: consortium-node start --dir ${values.dir as string}`);
    return exitCodes.ok;
  },
};
