import type { AuditSink, OfficerPrincipal } from '../compliance/contracts';
import { defaultScryptParams, hashPassword, passwordProblem, saltBytes, type ScryptParams } from './password';
import type { OfficerRepository, OfficerRow } from './repository';
import { newOfficerId } from './tokens';

/** An officer account as shown to the admin (never the password hash). */
export interface OfficerView {
  id: string;
  username: string;
  role: OfficerPrincipal['role'];
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
}

/** Expected failures of account management; each `code` is in the problem catalogue. */
export type AccountError =
  | { ok: false; code: 'officer-username-invalid' | 'officer-role-invalid' | 'officer-password-weak'; detail: string }
  | { ok: false; code: 'officer-username-taken'; detail: string }
  | { ok: false; code: 'officer-not-found'; detail: string };

/** The roles officers can have: `viewer` reads dashboards and reports, `auditor` also reads subject-level evidence. */
export const officerRoles = ['viewer', 'auditor'] as const;

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** Folds a typed username to its stored form (trimmed, lower case); does not validate. */
export const normalizeUsername = (u: string) => u.trim().toLowerCase().slice(0, 128);

/** True for valid stored usernames: 2-63 of `a-z 0-9 . _ -`, starting with a letter or digit. */
export const isValidUsername = (u: string) => USERNAME.test(u);

/** The admin view of a row. */
export const viewOf = (r: OfficerRow): OfficerView => ({
  id: r.id, username: r.username, role: r.role, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy, disabledAt: r.disabledAt?.toISOString() ?? null,
});

/** Deps of {@link createOfficerAccounts}. */
export interface OfficerAccountsDeps {
  repo: OfficerRepository;
  audit: AuditSink;
  now: () => Date;
  random: (n: number) => Uint8Array;
  scrypt?: ScryptParams;
}

/** Officer account management (issue 9 §5): created and disabled by the member's admin (CLI or admin API), audited. */
export function createOfficerAccounts(deps: OfficerAccountsDeps) {
  const params = deps.scrypt ?? defaultScryptParams;
  return {
    /** Creates an account. `createdBy` is `admin` (admin API) or `cli`. */
    async create(input: { username: string; role: string; password: string; createdBy: 'admin' | 'cli' }): Promise<{ ok: true; officer: OfficerView } | AccountError> {
      const username = normalizeUsername(input.username);
      if (!isValidUsername(username)) return { ok: false, code: 'officer-username-invalid', detail: 'usernames are 2-63 characters of a-z, 0-9, ".", "_" and "-", starting with a letter or digit' };
      if (!(officerRoles as readonly string[]).includes(input.role)) return { ok: false, code: 'officer-role-invalid', detail: `role must be one of ${officerRoles.join(', ')}` };
      const weak = passwordProblem(input.password);
      if (weak) return { ok: false, code: 'officer-password-weak', detail: weak };
      const at = deps.now();
      const row: OfficerRow = {
        id: newOfficerId(deps.random), username, role: input.role as OfficerRow['role'], passwordHash: await hashPassword(input.password, deps.random(saltBytes), params),
        createdAt: at, createdBy: input.createdBy, passwordChangedAt: at, disabledAt: null,
      };
      if (!(await deps.repo.insert(row))) return { ok: false, code: 'officer-username-taken', detail: `an officer named '${username}' exists already` };
      await deps.audit.record({ type: 'officer.access', actor: input.createdBy, detail: { action: 'officer-created', officerId: row.id, username, role: row.role } });
      return { ok: true, officer: viewOf(row) };
    },

    /** Every account, oldest first. */
    async list(): Promise<OfficerView[]> {
      return (await deps.repo.list()).map(viewOf);
    },

    /** Disables an account (by id or username) and ends its sessions; idempotent for disabled accounts. */
    async disable(idOrUsername: string, by: 'admin' | 'cli'): Promise<{ ok: true; officer: OfficerView; changed: boolean } | AccountError> {
      const key = idOrUsername.trim();
      const row = key.startsWith('off_') ? await deps.repo.byId(key) : await deps.repo.byUsername(normalizeUsername(key));
      if (!row) return { ok: false, code: 'officer-not-found', detail: `no officer '${key.slice(0, 80)}'` };
      const at = deps.now();
      const changed = await deps.repo.disable(row.id, at);
      if (changed) await deps.audit.record({ type: 'officer.access', actor: by, detail: { action: 'officer-disabled', officerId: row.id, username: row.username } });
      return { ok: true, officer: viewOf(changed ? { ...row, disabledAt: at } : row), changed };
    },
  };
}

/** The account manager's type. */
export type OfficerAccounts = ReturnType<typeof createOfficerAccounts>;
