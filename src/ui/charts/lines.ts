// A line chart for curves that share an x axis: Betti curves over the filtration scale, persistence
// landscapes, distances over time. Step curves (Betti numbers) are drawn as steps.
import { line, curveStepAfter, curveLinear, scaleLinear, scaleUtc } from 'd3';
import { h, type SvgNode } from './svg.ts';
import { axisBottom, axisLeft, emptyNote, legend, plotArea, svgRoot, type Size } from './frame.ts';
import { fmtTime, fmtValue, type Chart } from './chart.ts';
import type { ChartTheme } from './theme.ts';

export interface Curve {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Theme line colour index or an explicit colour. */
  color?: string;
}

export interface LineChartOptions extends Size {
  theme: ChartTheme;
  title: string;
  xLabel?: string;
  yLabel?: string;
  step?: boolean;
  /** x values are epoch ms: a UTC time axis. */
  time?: boolean;
  /** A vertical marker (e.g. the selected window's time). */
  marker?: number | null;
  /** A horizontal reference line (e.g. a threshold). */
  hline?: { y: number; label: string } | null;
}

export function lineChart(curves: Curve[], opts: LineChartOptions): Chart {
  const { theme } = opts;
  const p = plotArea(opts, { top: 22, right: 14, bottom: opts.xLabel ? 40 : 26, left: 46 });
  let x0 = Infinity;
  let x1 = -Infinity;
  let y1 = 0;
  let y0 = 0;
  for (const c of curves) {
    for (let i = 0; i < c.x.length; i++) {
      if (!Number.isFinite(c.y[i]) || !Number.isFinite(c.x[i])) continue;
      x0 = Math.min(x0, c.x[i]);
      x1 = Math.max(x1, c.x[i]);
      y0 = Math.min(y0, c.y[i]);
      y1 = Math.max(y1, c.y[i]);
    }
  }
  if (opts.hline) y1 = Math.max(y1, opts.hline.y);
  const empty = !(x1 > x0);
  if (empty) {
    x0 = 0;
    x1 = 1;
  }
  if (y1 <= y0) y1 = y0 + 1;
  const x = opts.time
    ? scaleUtc()
        .domain([x0, x1])
        .range([p.left, p.left + p.w])
    : scaleLinear()
        .domain([x0, x1])
        .range([p.left, p.left + p.w]);
  const y = scaleLinear()
    .domain([y0, y1 * 1.05])
    .nice()
    .range([p.top + p.h, p.top]);
  const xf = (v: number) => x(v);
  const paths: SvgNode[] = curves.map((c, k) => {
    const idx = Array.from({ length: c.x.length }, (_, i) => i);
    const d = line<number>()
      .defined((i) => Number.isFinite(c.y[i]) && Number.isFinite(c.x[i]))
      .x((i) => xf(c.x[i]))
      .y((i) => y(c.y[i]))
      .curve(opts.step ? curveStepAfter : curveLinear)(idx);
    return h('path', {
      d: d ?? '',
      fill: 'none',
      stroke: c.color ?? theme.lines[k % theme.lines.length],
      'stroke-width': 1.6,
      class: 'curve',
    });
  });
  const markerX =
    opts.marker !== null && opts.marker !== undefined && Number.isFinite(opts.marker) ? xf(opts.marker) : null;
  const node = svgRoot(
    opts,
    theme,
    opts.title,
    axisBottom(x as never, p, theme, { label: opts.xLabel, grid: true }),
    axisLeft(y, p, theme, { label: opts.yLabel, grid: true }),
    empty && emptyNote(p, theme, 'nothing to draw'),
    opts.hline &&
      h(
        'g',
        { class: 'hline' },
        h('line', {
          x1: p.left,
          x2: p.left + p.w,
          y1: y(opts.hline.y),
          y2: y(opts.hline.y),
          stroke: theme.anomaly,
          'stroke-dasharray': '5 4',
        }),
        h(
          'text',
          { x: p.left + p.w - 2, y: y(opts.hline.y) - 4, 'text-anchor': 'end', fill: theme.anomaly, 'font-size': 10 },
          opts.hline.label,
        ),
      ),
    h('g', { class: 'curves' }, paths),
    markerX !== null &&
      h('line', {
        class: 'marker',
        x1: markerX,
        x2: markerX,
        y1: p.top,
        y2: p.top + p.h,
        stroke: theme.selection,
        'stroke-width': 1.5,
      }),
    curves.length > 1 &&
      legend(
        curves.map((c, k) => ({ label: c.label, color: c.color ?? theme.lines[k % theme.lines.length] })),
        p.left,
        13,
        theme,
      ),
  );
  const fmtX = opts.time ? fmtTime : fmtValue;
  const peaks = curves.map((c) => {
    let m = -Infinity;
    for (let i = 0; i < c.y.length; i++) if (c.y[i] > m) m = c.y[i];
    return `${c.label} peaks at ${fmtValue(m)}`;
  });
  return {
    node,
    summary: `${opts.title}: ${curves.length} curve${curves.length === 1 ? '' : 's'} from ${fmtX(x0)} to ${fmtX(x1)}; ${peaks.join('; ')}.`,
    plot: p,
    xToPx: xf,
    pxToX: (px) => +x.invert(px),
  };
}
