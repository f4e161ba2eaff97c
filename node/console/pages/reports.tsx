import { BarChart, StackedChart } from '../charts';
import { Layout, Table, type PageContext } from '../layout';
import { OVERDUE_ORDER, type CreditReport } from '../reports';

const cny = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const csv = (table: string) => <a href={`/console/reports/credit.csv?table=${table}`}>Download CSV</a>;

/** Credit reports for the risk team: grades and limits, exposure by member, overdue aging (SVG charts, CSV). */
export function ReportsPage(props: { ctx: PageContext; report: CreditReport }) {
  const r = props.report;
  const total = r.grades.reduce((a, g) => a + g.limitMinor, 0);
  const used = r.grades.reduce((a, g) => a + g.usedMinor, 0);
  const issuers = [...new Set(r.exposure.map((e) => e.issuer))];
  return (
    <Layout title="Credit reports" ctx={props.ctx}>
      <h2>Grade distribution and limits (decisions in force)</h2>
      <p>
        {r.grades.reduce((a, g) => a + g.n, 0)} subjects, total limits <strong>{cny(total)} CNY</strong>, used by partner merchants <strong>{cny(used)} CNY</strong> (outstanding plus live holds). {csv('grades')}
      </p>
      <Table head={['grade', 'subjects', 'total limit (CNY)', 'used (CNY)', 'frozen']} num={[1, 2, 3, 4]} rows={r.grades.map((g) => [g.grade, g.n, cny(g.limitMinor), cny(g.usedMinor), g.frozen])} empty="No decisions in force." />
      <BarChart title="Subjects by grade" bars={r.grades.map((g) => ({ label: g.grade, value: g.n }))} />
      <StackedChart title="Limits by grade: used and unused (CNY)" series={['used', 'unused']} rows={r.grades.map((g) => ({ label: g.grade, values: [g.usedMinor / 100, Math.max(0, g.limitMinor - g.usedMinor) / 100] }))} />

      <h2>Exposure by member (credit lines other members share)</h2>
      <p>{csv('exposure')}</p>
      <Table head={['member', 'limit band', 'credit lines', 'subjects']} num={[2, 3]} rows={r.exposure.map((e) => [e.issuer, e.band, e.n, e.subjects])} empty="No credit lines held from other members." />
      <BarChart title="Credit lines held by member" bars={issuers.map((i) => ({ label: i, value: r.exposure.filter((e) => e.issuer === i).reduce((a, e) => a + e.n, 0) }))} />

      <h2>Overdue aging by month (from {r.agingFrom})</h2>
      <p>{csv('aging')}</p>
      <Table head={['month', ...OVERDUE_ORDER]} num={[1, 2, 3, 4]} rows={r.aging.map((a) => [a.month, ...OVERDUE_ORDER.map((b) => a.buckets[b] ?? 0)])} empty="No overdue signals in this period." />
      <StackedChart title="Overdue signals by month and bucket" series={[...OVERDUE_ORDER]} rows={r.aging.map((a) => ({ label: a.month, values: OVERDUE_ORDER.map((b) => a.buckets[b] ?? 0) }))} />
    </Layout>
  );
}
