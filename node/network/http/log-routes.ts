import { Hono, type Context } from 'hono';
import {
  encodeEntryBundle,
  formatSignatureLine,
  isProtocolError,
  memberWitnessVerifierKeys,
  openNoteWith,
  parseCheckpoint,
  parseNote,
  parseTilePath,
  parseVerifierKey,
  readTileAsync,
  tileWidth,
  TILE_WIDTH,
  witnessName,
} from '../../../protocol';
import { problem, sendProblem } from '../../http/problem';
import type { Db } from '../../store/database';
import type { NetworkMetrics } from '../metrics';
import { findMember, requireSelf } from '../roster';
import { cosignatureLines, latestOwnCheckpoint, ownCheckpointAt, ownHashReader, readOwnEntries, saveCosignature } from '../store/own-log';
import type { RosterSource } from '../types';
import type { PeerEnv } from './auth';
import { createTileCache, type TileCache } from './tile-cache';

/** Largest cosignature submission accepted (a checkpoint note with a few signature lines). */
export const MAX_COSIGNATURE_BODY = 16 * 1024;

/** Dependencies of {@link logRoutes}. */
export interface LogRoutesDeps {
  db: Db;
  memberId: string;
  roster: RosterSource;
  now: () => Date;
  metrics: NetworkMetrics;
  /** Called after entries `[from, to)` were served to `peer` (audit: which peers received which signals). */
  onEntriesServed?: (peer: string, from: number, to: number) => void;
  /** Cache of encoded full tiles and entry bundles (default: a fresh 32 MiB {@link createTileCache}). */
  tileCache?: TileCache;
}

const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * The own log in the C2SP tlog-tiles layout under `/peer/v1/log/` (architecture section 4):
 * `checkpoint` (latest signed checkpoint plus the witness cosignatures received for it),
 * `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`. Tiles are served only up to the latest
 * checkpoint size; anything beyond is 404. `POST cosignatures` accepts a witness cosignature
 * (C2SP tlog-cosignature) over one of our checkpoints from the calling peer.
 *
 * Full tiles and full entry bundles are immutable, so their encoded bodies are kept in a byte-bounded LRU
 * and served without touching the database. The own log never shrinks, so a tile within the largest
 * checkpoint size already seen needs no checkpoint read either.
 */
export function logRoutes(deps: LogRoutesDeps): Hono<PeerEnv> {
  const app = new Hono<PeerEnv>();
  const tiles = deps.tileCache ?? createTileCache();
  let knownSize = 0;

  app.get('/peer/v1/log/checkpoint', async (c) => {
    const cp = await latestOwnCheckpoint(deps.db);
    if (!cp) return sendProblem(c, problem('not-found', 'no checkpoint has been signed yet'));
    const origin = parseCheckpoint(parseNote(cp.note).text).origin;
    const lines = await cosignatureLines(deps.db, origin, cp.size);
    return c.body(cp.note + lines.join(''), 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  });

  const serveTile = async (c: Context<PeerEnv>) => {
    let ref;
    try {
      ref = parseTilePath(c.req.path.slice('/peer/v1/log/'.length));
    } catch {
      return sendProblem(c, problem('not-found', 'not a tile path'));
    }
    const level = ref.level === 'entries' ? 0 : ref.level;
    const full = ref.width === TILE_WIDTH;
    const key = `${ref.level}/${ref.index}/${ref.width}`;
    const cache = { 'cache-control': full ? IMMUTABLE : 'private, max-age=60', 'content-type': 'application/octet-stream' };
    const first = ref.index * TILE_WIDTH;
    const hit = full ? tiles.get(key) : undefined;
    if (hit) {
      if (ref.level === 'entries') deps.onEntriesServed?.(c.get('peer'), first, first + ref.width);
      return c.body(hit as Uint8Array<ArrayBuffer>, 200, cache);
    }
    if (tileWidth(level, ref.index, knownSize) < ref.width) {
      knownSize = Math.max(knownSize, (await latestOwnCheckpoint(deps.db))?.size ?? 0);
      if (tileWidth(level, ref.index, knownSize) < ref.width) return sendProblem(c, problem('not-found', 'tile beyond the latest checkpoint'));
    }
    let body: Uint8Array;
    if (ref.level === 'entries') {
      const entries = await readOwnEntries(deps.db, first, first + ref.width);
      if (entries.length !== ref.width) throw new Error(`own log entries ${first}..${first + ref.width} are missing below checkpoint size ${knownSize}`);
      body = encodeEntryBundle(entries);
      deps.onEntriesServed?.(c.get('peer'), first, first + entries.length);
    } else {
      body = await readTileAsync(ref.level, ref.index, ref.width, ownHashReader(deps.db));
    }
    if (full) tiles.set(key, body);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, cache);
  };
  // entry bundles first: the tile pattern would match `tile/entries/...` too
  app.get('/peer/v1/log/tile/entries/:bundle{.+}', serveTile);
  app.get('/peer/v1/log/tile/:tile{.+}', serveTile);

  app.post('/peer/v1/log/cosignatures', async (c) => {
    const reject = (code: string, detail: string) => {
      deps.metrics.rejections.inc({ code });
      return sendProblem(c, problem('bad-request', detail));
    };
    const body = await c.req.text();
    if (body.length > MAX_COSIGNATURE_BODY) return reject('cosignature-too-large', 'cosignature submission too large');
    const now = deps.now();
    const { body: roster } = requireSelf(deps.roster, deps.memberId);
    const witness = findMember(roster, c.get('peer'))!;
    try {
      const parsed = parseNote(body);
      const cp = parseCheckpoint(parsed.text);
      const ours = await ownCheckpointAt(deps.db, cp.size);
      if (!ours || parseNote(ours.note).text !== parsed.text) return reject('cosignature-unknown-checkpoint', 'not a checkpoint of this log');
      const verifiers = memberWitnessVerifierKeys(witness, now).map(parseVerifierKey);
      const opened = openNoteWith(body, verifiers);
      const name = witnessName(witness);
      const sig = parsed.signatures.find((s) => s.name === name && opened.signatures.some((v) => v.keyId === s.keyId && v.name === name));
      if (!sig) return reject('cosignature-missing', 'no cosignature by the caller');
      await saveCosignature(deps.db, { origin: cp.origin, size: cp.size, witness: witness.id, line: formatSignatureLine(sig.name, sig.keyId, sig.sig), createdAt: now });
      return c.body(null, 204);
    } catch (err) {
      if (isProtocolError(err)) return reject('cosignature-invalid', err.message);
      throw err;
    }
  });

  return app;
}
