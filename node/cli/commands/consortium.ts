import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { formatTimestamp, MEMBER_STATUSES, sealConsortiumKey, signRoster, type MemberStatus } from '../../../protocol';
import { loadSodium } from '../../keys/sodium';
import { keyId } from '../../keys/keyfile';
import { memberIdSchema } from '../../config/schema';
import { governancePaths, loadGovernance, readRosterFile, writeGovernanceDir, writeRosterFile } from '../../governance/files';
import { setMemberStatus, upsertMember } from '../../governance/roster-edit';
import { readDescriptor } from '../../membership/descriptor';
import { UsageError, exitCodes, requireString, type Command } from '../command';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

export const consortiumCreateCommand: Command = {
  name: 'consortium create',
  summary: 'Create a consortium (governance operator): governance key, pseudonymization key, empty signed roster.',
  usage: 'consortium create --dir GOVDIR --id CONSORTIUM_ID',
  details: ['--dir GOVDIR       the governance directory to create (keep it offline and backed up)', '--id CONSORTIUM_ID the consortium id (a-z, 0-9, "-")'],
  options: { dir: { type: 'string' }, id: { type: 'string' } },
  async run({ values }, io) {
    const dir = resolve(requireString(values, 'dir', 'where to create the governance directory'));
    const id = requireString(values, 'id', 'the consortium id, e.g. --id retail-credit');
    const parsed = memberIdSchema.safeParse(id);
    if (!parsed.success) throw new UsageError(`--id ${parsed.error.issues[0]!.message}, got '${id}'`);
    const sodium = await loadSodium();
    const gov = sodium.crypto_sign_keypair();
    const pkey = sodium.randombytes_buf(32);
    const govKid = `gov-${keyId(gov.publicKey)}`;
    const now = new Date();
    const roster = signRoster(
      { v: 1, consortium: id, version: 1, issuedAt: formatTimestamp(now), governance: [{ kid: govKid, publicKey: Buffer.from(gov.publicKey).toString('base64') }], members: [] },
      { kid: govKid, secretKey: gov.privateKey },
    );
    writeGovernanceDir(
      dir,
      {
        version: 1,
        consortiumId: id,
        governance: { kid: govKid, publicKey: b64url(gov.publicKey), secretKey: b64url(gov.privateKey) },
        pseudonymKey: { kid: `pk-${formatTimestamp(now).slice(0, 10)}-${keyId(pkey).slice(0, 8)}`, key: b64url(pkey) },
      },
      roster,
    );
    io.out(`Created consortium '${id}' in ${dir}`);
    io.out(`  governance.json  governance signing key and pseudonymization key (0600; keep offline)`);
    io.out(`  roster.json      signed roster, version 1, no members yet`);
    io.out(`Governance key ${govKid}: ${Buffer.from(gov.publicKey).toString('base64')}`);
    io.out(`Next: consortium-node consortium add-member --dir ${values.dir as string} MEMBER_DIR/member.json`);
    return exitCodes.ok;
  },
};

export const consortiumAddMemberCommand: Command = {
  name: 'consortium add-member',
  summary: 'Add a member to the roster (or update its keys: rotation), re-sign it, and seal the pseudonymization key to the member.',
  usage: 'consortium add-member --dir GOVDIR MEMBER_JSON',
  details: ['--dir GOVDIR   the governance directory', 'MEMBER_JSON    the member.json a member node wrote at init'],
  options: { dir: { type: 'string' } },
  positionals: { min: 1, max: 1, name: 'MEMBER_JSON (the member.json written by init)' },
  async run({ values, positionals }, io) {
    const gov = loadGovernance(requireString(values, 'dir', 'the governance directory'));
    const paths = governancePaths(gov.dir);
    const descriptor = readDescriptor(positionals[0]!);
    const current = readRosterFile(paths.roster);
    const body = upsertMember(current.body, descriptor, { now: new Date() });
    const signed = signRoster(body, gov.signer);
    await loadSodium();
    const box = descriptor.keys.find((k) => k.use === 'x25519');
    if (!box) throw new UsageError(`${positionals[0]} has no x25519 key to seal the pseudonymization key to`);
    const sealed = sealConsortiumKey(gov.pseudonymKey, new Uint8Array(Buffer.from(box.publicKey, 'base64')));
    writeRosterFile(paths.roster, signed);
    writeFileSync(paths.sealedKey(descriptor.id), `${Buffer.from(sealed).toString('base64')}\n`, { mode: 0o600 });
    const updated = current.body.members.some((m) => m.id === descriptor.id);
    io.out(`${updated ? 'Updated' : 'Added'} member '${descriptor.id}'; roster is now version ${body.version}`);
    io.out(`  roster      ${paths.roster}`);
    io.out(`  sealed key  ${paths.sealedKey(descriptor.id)} (only ${descriptor.id} can open it)`);
    io.out(`The member joins with: consortium-node join --dir MEMBER_DIR --roster ${paths.roster} --key ${paths.sealedKey(descriptor.id)}`);
    io.out(`Running members take the new roster with: POST /admin/v1/roster`);
    return exitCodes.ok;
  },
};

export const consortiumSetStatusCommand: Command = {
  name: 'consortium set-status',
  summary: 'Suspend, revoke or reactivate a member: a new roster version; peers stop pulling from and serving to it.',
  usage: 'consortium set-status --dir GOVDIR --member ID --status active|suspended|revoked',
  details: ['--dir GOVDIR   the governance directory', '--member ID    the member to change', '--status S     active, suspended or revoked'],
  options: { dir: { type: 'string' }, member: { type: 'string' }, status: { type: 'string' } },
  async run({ values }, io) {
    const gov = loadGovernance(requireString(values, 'dir', 'the governance directory'));
    const member = requireString(values, 'member', 'the member id');
    const status = requireString(values, 'status', 'active, suspended or revoked');
    if (!(MEMBER_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${MEMBER_STATUSES.join(', ')}, got '${status}'`);
    const paths = governancePaths(gov.dir);
    const current = readRosterFile(paths.roster);
    let body;
    try {
      body = setMemberStatus(current.body, member, status as MemberStatus, new Date());
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    writeRosterFile(paths.roster, signRoster(body, gov.signer));
    io.out(`Member '${member}' is now ${status}; roster is now version ${body.version} (${paths.roster})`);
    io.out('Distribute it to every member: POST /admin/v1/roster');
    return exitCodes.ok;
  },
};
