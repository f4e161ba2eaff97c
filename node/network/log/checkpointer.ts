import { ed25519NoteSigner, signCheckpoint, treeHashAsync } from '../../../protocol';
import type { Ed25519Key } from '../../keys/keyfile';
import type { Logger } from '../../observability/logger';
import type { Db } from '../../store/database';
import { latestOwnCheckpoint, ownHashReader, readOwnHead, saveOwnCheckpoint } from '../store/own-log';

/** Dependencies of {@link createCheckpointer}. */
export interface CheckpointerDeps {
  db: Db;
  logKey: Ed25519Key;
  /** The log origin (`<consortium>/<member>` from the roster), or null before joining. */
  origin: () => string | null;
  now: () => Date;
  logger: Logger;
  /** A checkpoint is signed within this long after an append (default 1000 ms). */
  intervalMs: number;
}

/** Signs checkpoints of the own log. */
export interface Checkpointer {
  /** Schedules a checkpoint (called after each committed append). */
  notify(): void;
  /** Signs a checkpoint now if the log grew since the latest one (or none exists); returns its size. */
  signNow(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * The checkpoint job (C2SP tlog-checkpoint, architecture section 4): after an append, waits half the
 * interval to let concurrent appends join, then signs one checkpoint for the committed size with the
 * log key (note key name = origin). Several appends therefore share one checkpoint.
 */
export function createCheckpointer(deps: CheckpointerDeps): Checkpointer {
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function sign(): Promise<number | null> {
    const origin = deps.origin();
    if (!origin) return null;
    const head = await readOwnHead(deps.db);
    const latest = await latestOwnCheckpoint(deps.db);
    if (latest && latest.size >= head.size) return latest.size;
    const rootHash = await treeHashAsync(head.size, ownHashReader(deps.db));
    const note = signCheckpoint({ origin, size: head.size, rootHash }, [ed25519NoteSigner(origin, deps.logKey.secretKey)]);
    await saveOwnCheckpoint(deps.db, { size: head.size, rootHash, note, signedAt: deps.now() });
    deps.logger.debug({ size: head.size }, 'checkpoint signed');
    return head.size;
  }

  function signNow(): Promise<number | null> {
    const run = chain.then(sign);
    chain = run.catch(() => null);
    return run;
  }

  return {
    notify() {
      if (timer || stopped) return;
      timer = setTimeout(() => {
        timer = null;
        signNow().catch((err: Error) => deps.logger.error({ err: { message: err.message } }, 'checkpoint signing failed; retrying on the next append'));
      }, Math.max(1, Math.floor(deps.intervalMs / 2)));
    },
    signNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
  };
}
