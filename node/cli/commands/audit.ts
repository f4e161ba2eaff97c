import { resolve } from 'node:path';
import { SIG_TYPE_ED25519, formatVerifierKey, ready } from '../../../protocol';
import { auditOrigin } from '../../audit/log';
import { verifyAuditLog } from '../../audit/verify';
import { loadConfig } from '../../config/load';
import { readKeyFile } from '../../keys/keyfile';
import { openDatabase } from '../../store/database';
import { DatabaseUnavailableError } from '../../store/errors';
import { runMigrations } from '../../store/migrate';
import { exitCodes, requireString, type Command } from '../command';

const dec = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

/** `consortium-node audit verify`: recomputes the audit log and checks it against every stored checkpoint (issue 9 §1). */
export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'Verify the whole audit log against its signed checkpoints and report the first altered or deleted entry.',
  usage: 'audit verify --dir DIR [--database-url URL] [--json]',
  details: [
    '--dir DIR            the node directory (on PGlite, stop the node first: the embedded database is single-process)',
    '--database-url URL   PostgreSQL URL (overrides DATABASE_URL); default is the embedded PGlite in DIR/pgdata',
    '--json               print the verification result as JSON',
    'Checks every checkpoint signature (current and retired log keys), recomputes the RFC 6962 tree from the stored',
    'entries, compares it with every checkpoint and the stored hashes, and checks consistency between checkpoints.',
    'Exit code 0 when the log is intact, 1 when it is not (the first bad index is printed), 3 when the database is unavailable.',
  ],
  options: { dir: { type: 'string' }, 'database-url': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const dir = resolve(requireString(values, 'dir', 'the node directory'));
    const config = loadConfig(dir, io.env, { databaseUrl: values['database-url'] as string | undefined });
    await ready();
    const keys = readKeyFile(dir);
    const origin = auditOrigin(config.memberId);
    const logKeys = [keys.log, ...(keys.retired ?? []).filter((k) => k.use === 'log')].map((k) => formatVerifierKey(origin, SIG_TYPE_ED25519, dec(k.publicKey)));
    let database;
    try {
      database = await openDatabase({ url: config.databaseUrl, dataDir: config.pgdataDir });
    } catch (err) {
      if (err instanceof DatabaseUnavailableError) {
        io.err(`consortium-node audit verify: database unavailable: ${err.message}`);
        return exitCodes.database;
      }
      throw err;
    }
    try {
      await runMigrations(database);
      const r = await verifyAuditLog(database.db, { origin, verifierKeys: logKeys });
      if (values.json === true) io.out(JSON.stringify(r, null, 2));
      else if (r.ok) io.out(`Audit log intact: ${r.size} entries, ${r.checkpoints} checkpoints verified (origin ${origin}).`);
      else {
        io.out(`Audit log TAMPERED: first bad entry index ${r.firstBadIndex} (${r.size} entries, ${r.checkpoints} checkpoints).`);
        for (const p of r.problems) io.out(`  ${p.kind} at ${p.index}: ${p.message}`);
      }
      return r.ok ? exitCodes.ok : exitCodes.failure;
    } finally {
      await database.close();
    }
  },
};
