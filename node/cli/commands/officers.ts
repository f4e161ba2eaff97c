import type { OfficerView } from '../../officers/accounts';
import { passwordProblem } from '../../officers/password';
import { openOfficerAdminChannel, type OfficerAdminChannelOptions } from '../../officers/admin-channel';
import { localChannelOptions, withLocalChannel } from '../local-channel';
import { UsageError, exitCodes, requireString, type Command } from '../command';

/** Where the password comes from; tests pass their own. */
export interface PasswordSources {
  /** All of standard input (`--password-stdin`), without the trailing newline. */
  stdin(): Promise<string>;
  /** Asks on the terminal without echo; rejects with a UsageError when there is no terminal. */
  prompt(question: string): Promise<string>;
}

const MAX_STDIN = 4096;

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > MAX_STDIN) throw new UsageError(`the password on standard input is longer than ${MAX_STDIN} characters`);
  }
  return text.replace(/\r?\n$/, '');
}

function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new UsageError('no terminal to ask for the password: pipe it in with --password-stdin'));
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((done, fail) => {
    let buf = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return (finish(), done(buf));
        if (ch === '\u0003') return (finish(), fail(new UsageError('cancelled')));
        buf = ch === '\u007f' || ch === '\b' ? buf.slice(0, -1) : buf + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The terminal and standard input. */
export const processPasswordSources: PasswordSources = { stdin: readStdin, prompt: promptHidden };

const common = localChannelOptions;
const commonDetails = [
  '--dir DIR             the node directory',
  '--database-url URL    PostgreSQL URL (overrides DATABASE_URL); default is the embedded PGlite in DIR/pgdata',
  'When the node is running it holds the embedded database, so the command goes through its admin API',
  '(/admin/v1/officers, with the admin token from DIR); otherwise it opens the database directly.',
];


const line = (o: OfficerView) => `${o.id}  ${o.username.padEnd(20)}  ${o.role.padEnd(7)}  ${o.disabledAt ? `disabled ${o.disabledAt}` : 'active'}`;

/**
 * The `officers` verbs with the given password sources; `channel` options reach the admin channel (tests pass a
 * low scrypt cost; hashes record their parameters, so the node verifies them either way).
 */
export function createOfficersCommands(passwords: PasswordSources = processPasswordSources, channel: OfficerAdminChannelOptions = {}): Command[] {
  const create: Command = {
    name: 'officers create',
    summary: 'Create a compliance officer account (role viewer or auditor); the password is read from a prompt or stdin.',
    usage: 'officers create --dir DIR --username NAME --role viewer|auditor [--password-stdin]',
    details: [
      '--username NAME       2-63 characters of a-z, 0-9, ".", "_", "-" (folded to lower case)',
      '--role ROLE           viewer (dashboard, credit reports) or auditor (also subjects, decisions, consents, audit log)',
      '--password-stdin      read the password from standard input instead of prompting (never pass it as a flag)',
      'Passwords need at least 12 characters; they are stored as scrypt hashes (N=2^17, r=8, p=1).',
      ...commonDetails,
    ],
    options: { ...common, username: { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run({ values }, io) {
      const username = requireString(values, 'username', 'the officer\'s sign-in name');
      const role = requireString(values, 'role', 'viewer or auditor');
      if (role !== 'viewer' && role !== 'auditor') throw new UsageError(`--role must be viewer or auditor, got '${role}'`);
      let password: string;
      if (values['password-stdin'] === true) {
        password = await passwords.stdin();
      } else {
        password = await passwords.prompt(`Password for ${username}: `);
        if ((await passwords.prompt('Repeat the password: ')) !== password) {
          io.err('consortium-node officers create: the passwords differ; nothing was created');
          return exitCodes.failure;
        }
      }
      // Checked before the database is opened: a weak password fails fast (the node checks again on create).
      const weak = passwordProblem(password);
      if (weak) {
        io.err(`consortium-node officers create: officer-password-weak: ${weak}; nothing was created`);
        return exitCodes.failure;
      }
      return withLocalChannel(values, io, 'officers create', (config) => openOfficerAdminChannel(config, channel), async (ch) => {
        const r = await ch.create({ username, role, password });
        if (!r.ok) {
          io.err(`consortium-node officers create: ${r.code}: ${r.detail}`);
          return exitCodes.failure;
        }
        io.out(`Created ${line(r.officer)}`);
        io.out('The officer signs in at /console (or POST /compliance/v1/session).');
        return exitCodes.ok;
      });
    },
  };
  const list: Command = {
    name: 'officers list',
    summary: 'List compliance officer accounts (never password hashes).',
    usage: 'officers list --dir DIR',
    details: commonDetails,
    options: common,
    async run({ values }, io) {
      return withLocalChannel(values, io, 'officers list', (config) => openOfficerAdminChannel(config, channel), async (ch) => {
        const all = await ch.list();
        if (all.length === 0) io.out('No officers.');
        for (const o of all) io.out(line(o));
        return exitCodes.ok;
      });
    },
  };
  const disable: Command = {
    name: 'officers disable',
    summary: 'Disable a compliance officer account and end its sessions.',
    usage: 'officers disable --dir DIR --username NAME',
    details: ['--username NAME       the officer (username or off_... id)', ...commonDetails],
    options: { ...common, username: { type: 'string' } },
    async run({ values }, io) {
      const who = requireString(values, 'username', 'the officer\'s username or id');
      return withLocalChannel(values, io, 'officers disable', (config) => openOfficerAdminChannel(config, channel), async (ch) => {
        const r = await ch.disable(who);
        if (!r.ok) {
          io.err(`consortium-node officers disable: ${r.code}: ${r.detail}`);
          return exitCodes.failure;
        }
        io.out(`Disabled ${line(r.officer)}`);
        return exitCodes.ok;
      });
    },
  };
  return [create, list, disable];
}

/** The `officers` verbs of the CLI. */
export const officersCommands: Command[] = createOfficersCommands();
