import { MEMBER_STATUSES, type MemberStatus } from '../../../protocol';
import { memberIdSchema } from '../../config/schema';
import { addMember, changeMemberStatus, createConsortium } from '../../governance/operations';
import { UsageError, exitCodes, requireString, type Command } from '../command';

export const consortiumCreateCommand: Command = {
  name: 'consortium create',
  summary: 'Create a consortium (governance operator): governance key, pseudonymization key, empty signed roster.',
  usage: 'consortium create --dir GOVDIR --id CONSORTIUM_ID',
  details: ['--dir GOVDIR       the governance directory to create (keep it offline and backed up)', '--id CONSORTIUM_ID the consortium id (a-z, 0-9, "-")'],
  options: { dir: { type: 'string' }, id: { type: 'string' } },
  async run({ values }, io) {
    const dir = requireString(values, 'dir', 'where to create the governance directory');
    const id = requireString(values, 'id', 'the consortium id, e.g. --id retail-credit');
    const parsed = memberIdSchema.safeParse(id);
    if (!parsed.success) throw new UsageError(`--id ${parsed.error.issues[0]!.message}, got '${id}'`);
    const r = await createConsortium(dir, id, new Date());
    io.out(`Created consortium '${id}' in ${r.dir}`);
    io.out(`  governance.json  governance signing key and pseudonymization key (0600; keep offline)`);
    io.out(`  roster.json      signed roster, version 1, no members yet`);
    io.out(`Governance key ${r.governanceKid}: ${r.governancePublicKey}`);
    io.out(`Next: consortium-node consortium add-member --dir ${dir} MEMBER_DIR/member.json`);
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
    const r = await addMember(requireString(values, 'dir', 'the governance directory'), positionals[0]!, new Date());
    io.out(`${r.updated ? 'Updated' : 'Added'} member '${r.memberId}'; roster is now version ${r.roster.version}`);
    io.out(`  roster      ${r.rosterPath}`);
    io.out(`  sealed key  ${r.sealedKeyPath} (only ${r.memberId} can open it)`);
    io.out(`The member joins with: consortium-node join --dir MEMBER_DIR --roster ${r.rosterPath} --key ${r.sealedKeyPath}`);
    io.out('Running members take the new roster with: POST /admin/v1/roster');
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
    const dir = requireString(values, 'dir', 'the governance directory');
    const member = requireString(values, 'member', 'the member id');
    const status = requireString(values, 'status', 'active, suspended or revoked');
    if (!(MEMBER_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${MEMBER_STATUSES.join(', ')}, got '${status}'`);
    let r;
    try {
      r = await changeMemberStatus(dir, member, status as MemberStatus, new Date());
    } catch (err) {
      if (err instanceof Error && /not in roster/.test(err.message)) throw new UsageError(err.message);
      throw err;
    }
    io.out(`Member '${member}' is now ${status}; roster is now version ${r.roster.version} (${r.rosterPath})`);
    io.out('Distribute it to every member: POST /admin/v1/roster');
    return exitCodes.ok;
  },
};
