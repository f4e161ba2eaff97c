import type { DecisionRecord } from '../../decisions/service';
import { Layout, Table, when, type PageContext } from '../layout';

const json = (v: unknown) => JSON.stringify(v, null, 2);
const yuan = (minor: number) => (minor / 100).toFixed(2);

/** One decision: outcome, the reasons (model explanation and rules), reviews, and the evidence it used. */
export function DecisionPage(props: { ctx: PageContext; record: DecisionRecord }) {
  const r = props.record;
  const d = r.decision;
  return (
    <Layout title={`Decision ${r.id}`} ctx={props.ctx}>
      <div class="card">
        <Table
          head={['field', 'value']}
          rows={[
            ['subject (pseudonym)', <a href={`/console/subjects/${encodeURIComponent(r.subject)}`}>{r.subject}</a>],
            ['made at', when(r.createdAt)],
            ['trigger', r.trigger],
            ['in force', r.inForce ? 'yes' : 'no'],
            ['grade', `${d.grade} (model: ${d.modelGrade}, PD ${d.pd.toFixed(4)})`],
            ['status', d.status],
            ['joint limit', `${yuan(d.limit.jointLimitMinor)} CNY (base ${yuan(d.limit.baseMinor)}, capacity ${yuan(d.limit.capacityMinor)} from ${d.limit.capacitySource}, exposure deduction ${yuan(d.limit.exposureDeductionMinor)})`],
            ['VIP', d.vip ? JSON.stringify(d.vip) : 'none'],
            ['model', `${d.versions.model} (sha256 ${d.versions.modelSha256.slice(0, 16)}…), policy ${d.versions.policy}, catalogue ${d.versions.catalogue}`],
            ['inputs digest', d.inputsDigest],
          ]}
        />
      </div>
      <h2>Reasons</h2>
      <h3>Rules applied</h3>
      <Table head={['rule', 'reason', '说明']} rows={d.reasons.rules.map((x) => [x.code, x.en, x.zh])} empty="No hard rule applied." />
      <h3>Model explanation ({d.reasons.model.method}, baseline PD {d.reasons.model.baselinePd.toFixed(4)})</h3>
      <Table
        head={['factor', 'value', 'effect', 'contribution', 'reason']}
        num={[1, 3]}
        rows={d.reasons.model.factors.map((f) => [f.code, `${f.value}${f.missing ? ' (imputed)' : ''}`, f.direction === 'raises_risk' ? 'raises risk' : 'lowers risk', f.contribution.toFixed(3), f.en])}
        empty="No factor contributed."
      />
      <h2>Reviews</h2>
      <Table head={['id', 'kind', 'state', 'chain', 'actions']} rows={r.reviews.map((v) => [v.id, v.kind, v.state, v.chain.join(' → '), json(v.actions)])} empty="No review tasks." />
      <h2>Evidence</h2>
      <pre>{json(d.evidence)}</pre>
    </Layout>
  );
}
