// A 2-D view of a window's point cloud (its two principal components), with the most persistent loop's
// representative edges drawn on it when the engine returned them. For display only: the topology is
// computed on the full cloud, never on this projection.
import { scaleLinear } from 'd3';
import type { Cocycle } from '../../lib/tda/types.ts';
import { h, type SvgNode } from './svg.ts';
import { emptyNote, legend, plotArea, svgRoot, type Size } from './frame.ts';
import { fmtValue, type Chart } from './chart.ts';
import type { ChartTheme } from './theme.ts';

/** Leading eigenvector of a symmetric d×d matrix by power iteration (deterministic start). */
function leadingEigen(c: Float64Array, d: number): { vec: Float64Array; value: number } {
  let v = new Float64Array(d);
  for (let i = 0; i < d; i++) v[i] = 1 / Math.sqrt(d) + i * 1e-3;
  let value = 0;
  for (let it = 0; it < 200; it++) {
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += c[i * d + j] * v[j];
      w[i] = s;
    }
    const norm = Math.hypot(...w);
    if (norm === 0) break;
    for (let i = 0; i < d; i++) w[i] /= norm;
    let delta = 0;
    for (let i = 0; i < d; i++) delta += Math.abs(w[i] - v[i]);
    v = w;
    value = norm;
    if (delta < 1e-10) break;
  }
  return { vec: v, value };
}

export interface Projection {
  /** n × 2, row-major. */
  xy: Float64Array;
  /** Share of the variance each axis explains. */
  explained: [number, number];
}

/** Principal-component projection of `n` points in `d` dimensions onto their first two components. */
export function pca2(points: Float64Array, n: number, d: number): Projection {
  const xy = new Float64Array(n * 2);
  if (n === 0) return { xy, explained: [0, 0] };
  if (d === 1) {
    for (let i = 0; i < n; i++) xy[2 * i] = points[i];
    return { xy, explained: [1, 0] };
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += points[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = points[i * d + a] - mean[a];
      for (let b = a; b < d; b++) cov[a * d + b] += (xa * (points[i * d + b] - mean[b])) / n;
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) {
    trace += cov[a * d + a];
    for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
  }
  const e1 = leadingEigen(cov, d);
  const deflated = cov.slice();
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) deflated[a * d + b] -= e1.value * e1.vec[a] * e1.vec[b];
  const e2 = leadingEigen(deflated, d);
  for (let i = 0; i < n; i++) {
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < d; j++) {
      const c = points[i * d + j] - mean[j];
      s1 += c * e1.vec[j];
      s2 += c * e2.vec[j];
    }
    xy[2 * i] = s1;
    xy[2 * i + 1] = s2;
  }
  return { xy, explained: trace > 0 ? [e1.value / trace, Math.max(0, e2.value) / trace] : [0, 0] };
}

export interface ProjectionOptions extends Size {
  theme: ChartTheme;
  /** The loop to draw (the most persistent H1 class's representative). */
  loop?: Cocycle | null;
  /** A label per point for hover (e.g. its time). */
  pointLabel?: (i: number) => string;
}

export function projectionChart(points: Float64Array, n: number, d: number, opts: ProjectionOptions): Chart {
  const { theme } = opts;
  const pr = pca2(points, n, d);
  const p = plotArea(opts, { top: 24, right: 12, bottom: 22, left: 12 });
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, pr.xy[2 * i]);
    x1 = Math.max(x1, pr.xy[2 * i]);
    y0 = Math.min(y0, pr.xy[2 * i + 1]);
    y1 = Math.max(y1, pr.xy[2 * i + 1]);
  }
  // Equal units on both axes, so circles look like circles.
  const span = Math.max(x1 - x0, y1 - y0, 1e-9) * 1.08;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const side = Math.min(p.w, p.h);
  const ox = p.left + (p.w - side) / 2;
  const oy = p.top + (p.h - side) / 2;
  const x = scaleLinear()
    .domain([cx - span / 2, cx + span / 2])
    .range([ox, ox + side]);
  const y = scaleLinear()
    .domain([cy - span / 2, cy + span / 2])
    .range([oy + side, oy]);
  const dots: SvgNode[] = [];
  for (let i = 0; i < n; i++) {
    dots.push(
      h('circle', {
        cx: x(pr.xy[2 * i]),
        cy: y(pr.xy[2 * i + 1]),
        r: 2.4,
        fill: theme.accent,
        'fill-opacity': 0.75,
        'data-tip': i,
        class: 'pt',
      }),
    );
  }
  const loopColor = theme.dims[1];
  const edges = (opts.loop?.edges ?? [])
    .filter(([a, b]) => a < n && b < n)
    .map(([a, b]) =>
      h('line', {
        class: 'loop-edge',
        x1: x(pr.xy[2 * a]),
        y1: y(pr.xy[2 * a + 1]),
        x2: x(pr.xy[2 * b]),
        y2: y(pr.xy[2 * b + 1]),
        stroke: loopColor,
        'stroke-width': 2,
      }),
    );
  const pct = (f: number) => `${Math.round(f * 100)}%`;
  const node = svgRoot(
    opts,
    theme,
    'Cloud projection',
    n === 0 && emptyNote(p, theme, 'empty cloud'),
    h('g', { class: 'points' }, dots),
    h('g', { class: 'loop' }, edges),
    h(
      'text',
      { x: p.left, y: p.top + p.h + 16, fill: theme.muted, 'font-size': 10 },
      `PC1 ${pct(pr.explained[0])} · PC2 ${pct(pr.explained[1])} of variance`,
    ),
    edges.length > 0 &&
      legend(
        [{ label: `most persistent loop (${fmtValue(opts.loop!.death - opts.loop!.birth)})`, color: loopColor }],
        p.left,
        13,
        theme,
      ),
  );
  return {
    node,
    summary: `Projection of the window's ${n} points onto two principal components (${pct(pr.explained[0] + pr.explained[1])} of variance)${
      edges.length ? `, with the most persistent loop drawn by ${edges.length} edges` : ''
    }.`,
    tip: (i) => (opts.pointLabel ? opts.pointLabel(i) : `point ${i}`),
  };
}
