/**
 * Server-drawn SVG charts for the console (no scripts, no libraries): horizontal bars for one series and
 * stacked bars for several. Every label goes through JSX text escaping.
 */

/** One bar. */
export interface Bar {
  label: string;
  value: number;
}

const W = 640;
const LABEL_W = 180;
const BAR_H = 22;
const GAP = 6;
const PALETTE = ['#2f6db5', '#e08a1e', '#c23b22', '#6a3d9a', '#2e8b57', '#8c564b'];

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toFixed(2));

/** A horizontal bar chart with a title (used as the accessible name). */
export function BarChart(props: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const h = Math.max(1, props.bars.length) * (BAR_H + GAP) + GAP;
  return (
    <svg class="chart" role="img" aria-label={props.title} viewBox={`0 0 ${W} ${h}`} width={W} height={h} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      {props.bars.length === 0 ? <text x={8} y={BAR_H}>no data</text> : null}
      {props.bars.map((b, i) => {
        const y = GAP + i * (BAR_H + GAP);
        const w = Math.round(((W - LABEL_W - 80) * b.value) / max);
        return (
          <g>
            <text x={LABEL_W - 8} y={y + BAR_H * 0.7} text-anchor="end">{b.label}</text>
            <rect x={LABEL_W} y={y} width={Math.max(w, b.value > 0 ? 1 : 0)} height={BAR_H} fill={PALETTE[0]} />
            <text x={LABEL_W + w + 6} y={y + BAR_H * 0.7}>{fmt(b.value)}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** One stacked row: a label and a value per series. */
export interface StackRow {
  label: string;
  values: number[];
}

/** A horizontal stacked bar chart with a legend of `series`. */
export function StackedChart(props: { title: string; series: string[]; rows: StackRow[] }) {
  const max = Math.max(1, ...props.rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const legendH = BAR_H + GAP;
  const h = legendH + Math.max(1, props.rows.length) * (BAR_H + GAP) + GAP;
  const span = W - LABEL_W - 80;
  return (
    <svg class="chart" role="img" aria-label={props.title} viewBox={`0 0 ${W} ${h}`} width={W} height={h} xmlns="http://www.w3.org/2000/svg">
      <title>{props.title}</title>
      {props.series.map((s, i) => (
        <g>
          <rect x={LABEL_W + i * 80} y={4} width={12} height={12} fill={PALETTE[i % PALETTE.length]} />
          <text x={LABEL_W + i * 80 + 16} y={15}>{s}</text>
        </g>
      ))}
      {props.rows.length === 0 ? <text x={8} y={legendH + BAR_H}>no data</text> : null}
      {props.rows.map((r, i) => {
        const y = legendH + GAP + i * (BAR_H + GAP);
        let x = LABEL_W;
        const total = r.values.reduce((a, b) => a + b, 0);
        return (
          <g>
            <text x={LABEL_W - 8} y={y + BAR_H * 0.7} text-anchor="end">{r.label}</text>
            {r.values.map((v, j) => {
              const w = Math.round((span * v) / max);
              const rect = <rect x={x} y={y} width={w} height={BAR_H} fill={PALETTE[j % PALETTE.length]} />;
              x += w;
              return rect;
            })}
            <text x={x + 6} y={y + BAR_H * 0.7}>{fmt(total)}</text>
          </g>
        );
      })}
    </svg>
  );
}
