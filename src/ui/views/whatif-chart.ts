// The model's risk at one horizon for the injected host, on the user's data and on the what-if copy, with
// the onset and the failure marked and each side's first alarm as a dot. Built from the shared chart parts.
import { line, scaleLinear, scaleUtc } from 'd3';
import { h, type SvgNode } from '../charts/svg.ts';
import { axisBottom, axisLeft, emptyNote, legend, plotArea, svgRoot, type Size } from '../charts/frame.ts';
import { fmtTime, type Chart } from '../charts/chart.ts';
import type { ChartTheme } from '../charts/theme.ts';
import type { RiskPoint } from '../../lib/lnn/trace.ts';

export interface RiskTraceInput {
  horizon: string;
  before: RiskPoint[];
  after: RiskPoint[];
  beforeLabel: string;
  afterLabel: string;
  onset: number;
  /** The failure (null for a benign event). */
  failure: number | null;
  firstAlarmBefore: number | null;
  firstAlarmAfter: number | null;
}

export function riskTraceChart(d: RiskTraceInput, opts: Size & { theme: ChartTheme; title: string }): Chart {
  const { theme } = opts;
  const p = plotArea(opts, { top: 24, right: 14, bottom: 26, left: 40 });
  const all = [...d.before, ...d.after];
  const x0 = Math.min(d.onset, ...all.map((q) => q.t));
  let x1 = Math.max(d.onset, ...all.map((q) => q.t));
  // The failure is marked when it is near the traced stretch (it may lie past the end of the data).
  if (d.failure !== null && d.failure <= x1 + (x1 - x0) * 0.25) x1 = Math.max(x1, d.failure);
  if (!(x1 > x0)) x1 = x0 + 3600e3;
  const x = scaleUtc()
    .domain([x0, x1])
    .range([p.left, p.left + p.w]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([p.top + p.h, p.top]);
  const risk = (q: RiskPoint) => q.risk[d.horizon];
  const path = (pts: RiskPoint[]) =>
    line<RiskPoint>()
      .defined((q) => Number.isFinite(risk(q)))
      .x((q) => x(q.t))
      .y((q) => y(risk(q)))(pts) ?? '';
  const beforeColor = theme.muted;
  const afterColor = theme.anomaly;
  const vline = (t: number, color: string, label: string, cls: string, anchor: 'start' | 'end') =>
    h(
      'g',
      { class: cls },
      h('line', { x1: x(t), x2: x(t), y1: p.top, y2: p.top + p.h, stroke: color, 'stroke-dasharray': '4 3' }),
      h(
        'text',
        { x: x(t) + (anchor === 'start' ? 3 : -3), y: p.top + 10, fill: color, 'font-size': 10, 'text-anchor': anchor },
        label,
      ),
    );
  const dot = (t: number | null, pts: RiskPoint[], color: string, cls: string, filled: boolean): SvgNode | null => {
    const q = t === null ? undefined : pts.find((r) => r.t === t);
    if (!q || !Number.isFinite(risk(q))) return null;
    return h('circle', {
      class: cls,
      cx: x(q.t),
      cy: y(risk(q)),
      r: 4,
      fill: filled ? color : theme.background,
      stroke: color,
      'stroke-width': 1.5,
    });
  };
  const failureShown = d.failure !== null && d.failure >= x0 && d.failure <= x1;
  const node = svgRoot(
    opts,
    theme,
    opts.title,
    axisBottom(x as never, p, theme, { grid: true }),
    axisLeft(y, p, theme, { grid: true, format: '.0%', count: 4 }),
    all.length === 0 && emptyNote(p, theme, 'the model has no prediction for this host'),
    vline(d.onset, theme.selection, 'onset', 'onset', 'start'),
    failureShown && vline(d.failure!, theme.anomaly, 'failure', 'failure', 'end'),
    h(
      'g',
      { class: 'curves' },
      h('path', {
        class: 'curve before',
        d: path(d.before),
        fill: 'none',
        stroke: beforeColor,
        'stroke-width': 1.5,
        'stroke-dasharray': '5 3',
      }),
      h('path', { class: 'curve after', d: path(d.after), fill: 'none', stroke: afterColor, 'stroke-width': 2 }),
    ),
    dot(d.firstAlarmBefore, d.before, beforeColor, 'alarm before', false),
    dot(d.firstAlarmAfter, d.after, afterColor, 'alarm after', true),
    legend(
      [
        { label: d.beforeLabel, color: beforeColor },
        { label: d.afterLabel, color: afterColor },
      ],
      p.left,
      13,
      theme,
    ),
  );
  const peak = (pts: RiskPoint[]) => Math.max(0, ...pts.map(risk).filter(Number.isFinite));
  const pct = (v: number) => `${Math.round(100 * v)} %`;
  const alarmWords = (t: number | null) => (t === null ? 'no alarm' : `first alarm ${fmtTime(t)}`);
  return {
    node,
    summary:
      `${opts.title}: ${d.beforeLabel} peaks at ${pct(peak(d.before))} (${alarmWords(d.firstAlarmBefore)}); ` +
      `${d.afterLabel} peaks at ${pct(peak(d.after))} (${alarmWords(d.firstAlarmAfter)}); ` +
      `onset ${fmtTime(d.onset)}${d.failure !== null ? `, failure ${fmtTime(d.failure)}` : ''}.`,
    plot: p,
    xToPx: (v) => x(v),
    pxToX: (px) => +x.invert(px),
  };
}
