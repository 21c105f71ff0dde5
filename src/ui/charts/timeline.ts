// The anomaly-score timeline: score per window over time, anomaly spans shaded, the threshold, and the
// selected window marked. Also the small multiples of raw series under it, sharing its time axis.
import { area, line, scaleLinear, scaleUtc } from 'd3';
import type { AnomalySpan, TimelinePoint } from '../../lib/report/types.ts';
import { h, type SvgNode } from './svg.ts';
import { axisBottom, axisLeft, emptyNote, plotArea, svgRoot, type Plot, type Size } from './frame.ts';
import { fmtTime, fmtValue, type Chart } from './chart.ts';
import type { ChartTheme } from './theme.ts';

export interface TimelineOptions extends Size {
  theme: ChartTheme;
  /** Visible time range (zoom); default: the whole timeline. */
  domain?: [number, number] | null;
  threshold?: number | null;
  /** Time of the selected window's end. */
  selected?: number | null;
  /** The span taken as normal operation, shaded and labelled so a spike inside it is seen as such. */
  baseline?: { start: number; end: number } | null;
}

function baselineBand(
  b: { start: number; end: number },
  x: (t: number) => number,
  p: Plot,
  theme: ChartTheme,
): SvgNode | null {
  const a = Math.max(p.left, x(b.start));
  const e = Math.min(p.left + p.w, x(b.end));
  if (!(e > a)) return null;
  return h(
    'g',
    { class: 'baseline' },
    h('rect', { x: a, y: p.top, width: e - a, height: p.h, fill: theme.muted, 'fill-opacity': 0.12 }),
    h('text', { x: a + 4, y: p.top + 10, fill: theme.muted, 'font-size': 10 }, 'baseline'),
  );
}

function spanRects(
  spans: AnomalySpan[],
  x: (t: number) => number,
  p: Plot,
  theme: ChartTheme,
  opacity: number,
): SvgNode[] {
  const [lo, hi] = [p.left, p.left + p.w];
  return spans
    .map((s, i) => {
      const a = Math.max(lo, x(s.start));
      const b = Math.min(hi, x(s.end));
      if (b < lo || a > hi) return null;
      return h('rect', {
        class: 'span',
        x: a,
        y: p.top,
        width: Math.max(2, b - a),
        height: p.h,
        fill: theme.anomaly,
        'fill-opacity': opacity,
        'data-span': i,
      });
    })
    .filter((n): n is SvgNode => n !== null);
}

/**
 * The points with a gap (a NaN score) where time jumps by more than 4 times the usual spacing, so the line
 * breaks there (live mode's history and live windows, hours apart) instead of drawing across it.
 */
function withBreaks(points: TimelinePoint[]): TimelinePoint[] {
  if (points.length < 3) return points;
  const gaps = points.slice(1).map((q, i) => q.t - points[i].t);
  const usual = [...gaps].sort((a, b) => a - b)[gaps.length >> 1];
  const out: TimelinePoint[] = [points[0]];
  for (let i = 1; i < points.length; i++) {
    if (gaps[i - 1] > 4 * usual)
      out.push({ ...points[i], t: (points[i - 1].t + points[i].t) / 2, score: NaN, anomalous: false });
    out.push(points[i]);
  }
  return out;
}

export function scoreTimeline(points: TimelinePoint[], spans: AnomalySpan[], opts: TimelineOptions): Chart {
  const { theme } = opts;
  const p = plotArea(opts, { top: 12, right: 14, bottom: 26, left: 46 });
  const t0 = points.length ? points[0].t : 0;
  const t1 = points.length ? points[points.length - 1].t : 1;
  const domain = opts.domain ?? [t0, t1 > t0 ? t1 : t0 + 1];
  const x = scaleUtc()
    .domain(domain)
    .range([p.left, p.left + p.w]);
  let ymax = opts.threshold ?? 0;
  for (const q of points) if (Number.isFinite(q.score)) ymax = Math.max(ymax, q.score);
  const y = scaleLinear()
    .domain([0, (ymax || 1) * 1.08])
    .nice()
    .range([p.top + p.h, p.top]);
  const xs = (t: number) => x(t);
  const visible = withBreaks(points.filter((q) => q.t >= domain[0] && q.t <= domain[1]));
  const ok = (q: TimelinePoint) => Number.isFinite(q.score);
  const areaPath = area<TimelinePoint>()
    .defined(ok)
    .x((q) => xs(q.t))
    .y0(p.top + p.h)
    .y1((q) => y(q.score))(visible);
  const linePath = line<TimelinePoint>()
    .defined(ok)
    .x((q) => xs(q.t))
    .y((q) => y(q.score))(visible);
  const dots = visible
    .map((q) =>
      q.anomalous
        ? h('circle', { cx: xs(q.t), cy: y(q.score), r: 2.5, fill: theme.anomaly, class: 'anomalous' })
        : null,
    )
    .filter((n) => n !== null);
  const sel = opts.selected;
  const selX = sel !== null && sel !== undefined && sel >= domain[0] && sel <= domain[1] ? xs(sel) : null;
  const node = svgRoot(
    opts,
    theme,
    'Anomaly score timeline',
    opts.baseline && baselineBand(opts.baseline, xs, p, theme),
    h('g', { class: 'spans' }, spanRects(spans, xs, p, theme, 0.16)),
    // Without windows or a data range there is no time to label (epoch 0 would read 1970).
    (points.length > 0 || opts.domain) && axisBottom(x as never, p, theme, { grid: false }),
    axisLeft(y, p, theme, { label: 'score', grid: true, count: 4 }),
    points.length === 0 && emptyNote(p, theme, 'no windows yet'),
    h('path', { class: 'score-area', d: areaPath ?? '', fill: theme.accent, 'fill-opacity': 0.14 }),
    h('path', { class: 'score-line', d: linePath ?? '', fill: 'none', stroke: theme.accent, 'stroke-width': 1.5 }),
    opts.threshold != null &&
      h('line', {
        class: 'threshold',
        x1: p.left,
        x2: p.left + p.w,
        y1: y(opts.threshold),
        y2: y(opts.threshold),
        stroke: theme.anomaly,
        'stroke-dasharray': '5 4',
      }),
    h('g', { class: 'dots' }, dots),
    selX !== null &&
      h('line', {
        class: 'selected',
        x1: selX,
        x2: selX,
        y1: p.top,
        y2: p.top + p.h,
        stroke: theme.selection,
        'stroke-width': 2,
      }),
  );
  const anomalous = points.filter((q) => q.anomalous).length;
  return {
    node,
    summary: `${points.length === 0 ? 'Anomaly score: no windows yet' : `Anomaly score over ${points.length} windows from ${fmtTime(t0)} to ${fmtTime(t1)}`}: ${anomalous} anomalous windows in ${spans.length} spans${
      sel != null ? `; selected window ends ${fmtTime(sel)}` : ''
    }${opts.baseline ? `; baseline (normal operation) ${fmtTime(opts.baseline.start)} to ${fmtTime(opts.baseline.end)}` : ''}. Arrow keys move the selection.`,
    plot: p,
    xToPx: xs,
    pxToX: (px) => +x.invert(px),
  };
}

export interface SeriesOptions extends Size {
  theme: ChartTheme;
  label: string;
  domain: [number, number];
  spans: AnomalySpan[];
  selected?: number | null;
  /** Emphasise: the series drives the selected anomaly. */
  driver?: boolean;
  /** A risk note for the series' host, e.g. "risk 1h 72%", drawn at the right. */
  risk?: { text: string; level: number } | null;
}

/**
 * Min/max per pixel column: a 24-hour series at 15 s has 5760 samples, more than the chart is wide,
 * and plotting both extremes of each column keeps spikes visible.
 */
export function downsample(
  ts: ArrayLike<number>,
  vs: ArrayLike<number>,
  domain: [number, number],
  columns: number,
): { t: number[]; v: number[] } {
  const [a, b] = domain;
  const outT: number[] = [];
  const outV: number[] = [];
  const width = (b - a) / Math.max(1, columns);
  let col = -1;
  let minI = -1;
  let maxI = -1;
  const flush = () => {
    if (minI < 0) return;
    const [i1, i2] = minI < maxI ? [minI, maxI] : [maxI, minI];
    outT.push(ts[i1]);
    outV.push(vs[i1]);
    if (i2 !== i1) {
      outT.push(ts[i2]);
      outV.push(vs[i2]);
    }
  };
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (t < a || t > b) continue;
    const v = vs[i];
    if (!Number.isFinite(v)) {
      flush();
      minI = maxI = -1;
      col = -1; // the samples after a gap start a new run, even in the same column
      outT.push(t);
      outV.push(NaN); // keeps the gap visible
      continue;
    }
    const c = Math.floor((t - a) / width);
    if (c !== col) {
      flush();
      col = c;
      minI = maxI = i;
    } else {
      if (v < vs[minI]) minI = i;
      if (v > vs[maxI]) maxI = i;
    }
  }
  flush();
  return { t: outT, v: outV };
}

export function seriesChart(ts: ArrayLike<number>, vs: ArrayLike<number>, opts: SeriesOptions): Chart {
  const { theme } = opts;
  const p = plotArea(opts, { top: 16, right: 8, bottom: 4, left: 8 });
  const x = scaleUtc()
    .domain(opts.domain)
    .range([p.left, p.left + p.w]);
  const d = downsample(ts, vs, opts.domain, Math.round(p.w));
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of d.v) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) {
    lo = Number.isFinite(lo) ? lo - 1 : 0;
    hi = lo + 2;
  }
  const y = scaleLinear()
    .domain([lo, hi])
    .range([p.top + p.h, p.top + 1]);
  const xs = (t: number) => x(t);
  const idx = d.t.map((_, i) => i);
  const path = line<number>()
    .defined((i) => Number.isFinite(d.v[i]))
    .x((i) => xs(d.t[i]))
    .y((i) => y(d.v[i]))(idx);
  let last = NaN;
  for (let i = d.v.length - 1; i >= 0; i--) {
    if (Number.isFinite(d.v[i])) {
      last = d.v[i];
      break;
    }
  }
  const sel = opts.selected;
  const selX = sel != null && sel >= opts.domain[0] && sel <= opts.domain[1] ? xs(sel) : null;
  // Long keys are cut to fit beside the value; the whole key stays in the element's tooltip.
  const valueText = opts.risk ? `${opts.risk.text} · ${fmtValue(last)}` : fmtValue(last);
  const room = Math.max(8, Math.floor((p.w - valueText.length * 6.2 - 16) / 6.4));
  const shown = opts.label.length > room ? `${opts.label.slice(0, room - 1)}…` : opts.label;
  const riskColor = opts.risk
    ? opts.risk.level >= 0.5
      ? theme.anomaly
      : opts.risk.level >= 0.2
        ? theme.selection
        : theme.muted
    : theme.muted;
  const node = svgRoot(
    opts,
    theme,
    opts.label,
    h('g', { class: 'spans' }, spanRects(opts.spans, xs, p, theme, 0.09)),
    h('path', {
      class: 'series-line',
      d: path ?? '',
      fill: 'none',
      stroke: opts.driver ? theme.anomaly : theme.accent,
      'stroke-width': 1.2,
    }),
    selX !== null &&
      h('line', {
        class: 'selected',
        x1: selX,
        x2: selX,
        y1: p.top,
        y2: p.top + p.h,
        stroke: theme.selection,
        'stroke-width': 1.5,
      }),
    h(
      'text',
      { class: 'label', x: p.left, y: 11, fill: opts.driver ? theme.anomaly : theme.text, 'font-size': 10.5 },
      h('title', {}, opts.label),
      shown,
    ),
    h(
      'text',
      { class: 'value', x: p.left + p.w, y: 11, 'text-anchor': 'end', 'font-size': 10, fill: riskColor },
      valueText,
    ),
  );
  return {
    node,
    summary: `${opts.label}: from ${fmtValue(lo)} to ${fmtValue(hi)}, last ${fmtValue(last)}${opts.driver ? '; drives the selected anomaly' : ''}.`,
    plot: p,
    xToPx: xs,
    pxToX: (px) => +x.invert(px),
  };
}
