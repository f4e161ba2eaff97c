import type { AuditEntryView } from '../../audit/log';
import type { AuditEntryCheck } from '../audit-check';
import { Layout, Table, when, type PageContext } from '../layout';

/** One page of the audit log, oldest first from `from`, with links to each entry's verification. */
export function AuditListPage(props: { ctx: PageContext; entries: AuditEntryView[]; from: number; pageSize: number; size: number | null; checkpointAt: Date | null }) {
  const { from, pageSize } = props;
  return (
    <Layout title="Audit log" ctx={props.ctx}>
      <p>
        Latest signed checkpoint: {props.size === null ? 'none yet' : `${props.size} entries, signed ${when(props.checkpointAt)}`}.
      </p>
      <form class="inline" method="get" action="/console/audit">
        <label>
          From entry
          <input name="from" type="number" min={0} value={String(from)} />
        </label>
        <button type="submit">Show</button>
      </form>
      <Table
        head={['#', 'at', 'type', 'actor', 'subject (pseudonym)', 'detail', '']}
        rows={props.entries.map((e) => [
          e.index,
          when(e.body?.at ?? null),
          e.body?.type ?? 'unreadable entry',
          e.body?.actor ?? '',
          e.body?.subject ?? '',
          e.body ? JSON.stringify(e.body.detail).slice(0, 200) : '',
          <a href={`/console/audit/${e.index}`}>verify</a>,
        ])}
        empty="No entries in this range."
      />
      <p>
        {from > 0 ? <a href={`/console/audit?from=${Math.max(0, from - pageSize)}`}>← earlier</a> : null}{' '}
        {props.entries.length === pageSize ? <a href={`/console/audit?from=${from + pageSize}`}>later →</a> : null}
      </p>
    </Layout>
  );
}

/** One audit entry, the checkpoint it is proven against, and the outcome of the signature and inclusion checks. */
export function AuditEntryPage(props: { ctx: PageContext; check: AuditEntryCheck; origin: string; verifierKey: string }) {
  const { check } = props;
  const p = check.proof;
  return (
    <Layout title={`Audit entry ${p.index}`} ctx={props.ctx}>
      <div class="card" aria-label="Verification">
        <p id="verdict" class={check.ok ? 'ok' : 'bad'}>
          {check.ok
            ? `Verified: the checkpoint is signed by the audit log key and the entry is included in it (tree size ${p.checkpoint.size}).`
            : `Verification FAILED: ${check.failure ?? 'unknown reason'}`}
        </p>
        <Table
          head={['check', 'value']}
          rows={[
            ['origin', props.origin],
            ['verifier key', props.verifierKey],
            ['checkpoint size', p.checkpoint.size],
            ['checkpoint signed at', when(p.checkpoint.signedAt)],
            ['root hash (SHA-256)', check.rootHex],
            ['leaf hash of this entry', check.leafHex],
            ['inclusion proof hashes', p.proof.length],
          ]}
        />
      </div>
      <h2>Entry (canonical JSON, exactly as hashed)</h2>
      <pre>{p.entry}</pre>
      <h2>Signed checkpoint</h2>
      <pre>{p.checkpoint.note}</pre>
      <h2>tlog-proof (verifiable offline)</h2>
      <pre>{p.tlogProof}</pre>
    </Layout>
  );
}
