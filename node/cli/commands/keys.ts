import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readNodeFile } from '../../config/load';
import { ed25519Uses, readKeyFile, rotateKey } from '../../keys/keyfile';
import { describeMember, memberDescriptorSchema } from '../../membership/descriptor';
import { UsageError, exitCodes, requireString, type Command } from '../command';

export const keysRotateCommand: Command = {
  name: 'keys rotate',
  summary: 'Replace one of the node\'s Ed25519 keys (node, signal, log or witness) and rewrite member.json for the governance operator.',
  usage: 'keys rotate --dir DIR --use node|signal|log|witness',
  details: [
    '--dir DIR     the node directory (stop the node first)',
    '--use USE     which key: node (peer authentication), signal, log (checkpoints) or witness (cosignatures)',
    '',
    'Then send DIR/member.json to the governance operator (consortium add-member), apply the new roster on',
    'every member (POST /admin/v1/roster) and start the node again. Peers hold back entries signed with the new',
    'key until their roster lists it, and the old key stays valid for the overlap window.',
  ],
  options: { dir: { type: 'string' }, use: { type: 'string' } },
  async run({ values }, io) {
    const dir = resolve(requireString(values, 'dir', 'the node directory'));
    const use = requireString(values, 'use', 'node, signal, log or witness');
    if (!(ed25519Uses as readonly string[]).includes(use)) throw new UsageError(`--use must be one of ${ed25519Uses.join(', ')}, got '${use}'`);
    const node = readNodeFile(dir);
    const descriptorPath = join(dir, 'member.json');
    const current = memberDescriptorSchema.parse(JSON.parse(readFileSync(descriptorPath, 'utf8')));
    const r = await rotateKey(dir, use as (typeof ed25519Uses)[number], new Date());
    const next = describeMember({ id: node.memberId, name: current.name, baseUrl: current.baseUrl, keys: readKeyFile(dir) });
    writeFileSync(descriptorPath, `${JSON.stringify(next, null, 2)}\n`);
    io.out(`Rotated the ${use} key: ${r.retiredKid} -> ${r.kid} (the old key is kept in keys.json under "retired").`);
    io.out(`Send ${descriptorPath} to the governance operator: consortium-node consortium add-member --dir GOVDIR member.json`);
    io.out('Apply the new roster on every member (POST /admin/v1/roster), then start this node again.');
    return exitCodes.ok;
  },
};
