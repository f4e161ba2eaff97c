/**
 * A misbehaving test peer for the network e2e tests: a real HTTP server on 127.0.0.1 that serves a member's
 * log in the C2SP tlog-tiles layout (checkpoint and entry bundles, signed with the member's real test keys)
 * and, after `POST /test/fork`, a forked history: the same number of first entries with other content,
 * followed by new ones, under a validly signed checkpoint that is inconsistent with the one served before.
 * Peer tokens are not checked (the node under test is the client); cosignatures are accepted and dropped.
 *
 * Usage: node --import tsx test/support/network/fork-peer.ts MEMBER_ID CONSORTIUM_ID PORT HONEST_SIZE FORK_SIZE
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import {
  createMemoryTree,
  ed25519NoteSigner,
  encodeEntryBundle,
  encodeSignalEntry,
  parseTilePath,
  ready,
  signCheckpoint,
  TILE_WIDTH,
} from '../../../protocol';
import { subjectValue, testNodeKeys, testSignal } from './fixtures';

const [memberId, consortium, portArg, honestArg, forkArg] = process.argv.slice(2);
if (!memberId || !consortium || !portArg || !honestArg || !forkArg) {
  process.stderr.write('usage: fork-peer.ts MEMBER_ID CONSORTIUM_ID PORT HONEST_SIZE FORK_SIZE\n');
  process.exit(2);
}
await ready();
const keys = testNodeKeys(memberId);
const origin = `${consortium}/${memberId}`;

/** A log of `size` signals labelled `<history>-<i>`, and its signed checkpoint. */
function buildLog(history: string, size: number): { entries: Uint8Array[]; checkpoint: string } {
  const entries = Array.from({ length: size }, (_, i) =>
    encodeSignalEntry(testSignal(memberId!, keys, subjectValue(`${history}-${i % 3}`), `${history}-${i}`, { issuedAt: new Date('2026-10-01T00:00:00Z') })),
  );
  const tree = createMemoryTree();
  tree.appendEntries(entries);
  const checkpoint = signCheckpoint({ origin, size, rootHash: tree.root() }, [ed25519NoteSigner(origin, keys.log.secretKey)]);
  return { entries, checkpoint };
}

const honest = buildLog('honest', Number(honestArg));
const fork = buildLog('fork', Number(forkArg));
let served = honest;

const app = new Hono();
app.get('/peer/v1/log/checkpoint', (c) => c.body(served.checkpoint, 200, { 'content-type': 'text/plain; charset=utf-8' }));
app.get('/peer/v1/log/tile/*', (c) => {
  let ref;
  try {
    ref = parseTilePath(c.req.path.slice('/peer/v1/log/'.length));
  } catch {
    return c.body(null, 404);
  }
  if (ref.level !== 'entries') return c.body(null, 404);
  const first = ref.index * TILE_WIDTH;
  if (first + ref.width > served.entries.length) return c.body(null, 404);
  return c.body(encodeEntryBundle(served.entries.slice(first, first + ref.width)) as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/octet-stream' });
});
app.post('/peer/v1/log/cosignatures', (c) => c.body(null, 204));
app.post('/test/fork', (c) => {
  served = fork;
  return c.json({ size: fork.entries.length });
});
/** Signal ids of the honest and the forked history (the test checks which ones the node applied). */
app.get('/test/ids', (c) => {
  const ids = (log: { entries: Uint8Array[] }) => log.entries.map((e) => (JSON.parse(new TextDecoder().decode(e)) as { body: { id: string } }).body.id);
  return c.json({ honest: ids(honest), fork: ids(fork) });
});

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(portArg) }, (info) => {
  process.stdout.write(`listening http://127.0.0.1:${info.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
