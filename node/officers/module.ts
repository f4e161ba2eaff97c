/**
 * Compliance officers (issue 9 §5): accounts, sign-in, sessions, `OfficerAccess` for the compliance API and
 * the console, and the routes. The composition root builds one and mounts `routes` BEFORE the admin surface
 * (its guard refuses officer sessions on `/admin/v1/*` with 403 before the admin token check answers 401).
 */
import type { Hono } from 'hono';
import type { AuditSink } from '../compliance/contracts';
import type { Db } from '../store/database';
import { createOfficerAccess, type OfficerSessionEnv } from './access';
import { createOfficerAccounts, type OfficerAccounts } from './accounts';
import type { ScryptParams } from './password';
import type { LoginLimits } from './rate-limit';
import { createOfficerRepository } from './repository';
import { officerRoutes } from './routes';
import { createOfficerSessions, type OfficerSessions, type SessionTimes } from './sessions';

/** Deps of {@link createOfficersModule}. */
export interface OfficersModuleDeps {
  db: Db;
  audit: AuditSink;
  adminToken: string;
  now: () => Date;
  random: (n: number) => Uint8Array;
  /** scrypt parameters for new hashes (default N=2^17, r=8, p=1); tests lower them. */
  scrypt?: ScryptParams;
  limits?: Partial<LoginLimits>;
  times?: Partial<SessionTimes>;
}

/** The built module. */
export interface OfficersModule {
  accounts: OfficerAccounts;
  sessions: OfficerSessions;
  /** Implements `OfficerAccess` (node/compliance/contracts.ts) for `/compliance/v1/` and `/console`. */
  access: ReturnType<typeof createOfficerAccess>;
  routes: Hono<OfficerSessionEnv>;
}

/** Builds the officers module. */
export function createOfficersModule(deps: OfficersModuleDeps): OfficersModule {
  const repo = createOfficerRepository({ db: deps.db });
  const common = { repo, audit: deps.audit, now: deps.now, random: deps.random, ...(deps.scrypt ? { scrypt: deps.scrypt } : {}) };
  const accounts = createOfficerAccounts(common);
  const sessions = createOfficerSessions({ ...common, ...(deps.limits ? { limits: deps.limits } : {}), ...(deps.times ? { times: deps.times } : {}) });
  const access = createOfficerAccess({ sessions, audit: deps.audit });
  return { accounts, sessions, access, routes: officerRoutes({ accounts, sessions, audit: deps.audit, adminToken: deps.adminToken }) };
}
