// A 2-D view of a window's point cloud (its two principal components), with the most persistent loop's
// representative edges drawn on it when the engine returned them. For display only: the topology is
// computed on the full cloud, never on this projection.
import { scaleLinear } from 'd3';
import type { Cocycle } from '../../lib/tda/types.ts';
import { fmtNum, h, type SvgNode } from './svg.ts';
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

/**
 * A loop to draw for an H1 class given by a representative cocycle. A cocycle is a set of edges that cut
 * the loop, not the loop itself. Restricted to the Rips graph at a scale r within the class's lifetime it
 * is still a cocycle, so a cycle that crosses it exactly once carries the class: the shortest path between
 * the ends of one cocycle edge, avoiding the other cocycle edges, closed by that edge. The shortest
 * cocycle edges are tried first (r = their length), giving the tightest loop. Returns point indices in
 * order around the loop, or null when none is found.
 */
export function loopFromCocycle(points: Float64Array, n: number, d: number, cocycle: Cocycle): number[] | null {
  const dist = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (points[a * d + k] - points[b * d + k]) ** 2;
    return Math.sqrt(s);
  };
  if (cocycle.edges.some(([a, b]) => a >= n || b >= n)) return null;
  const cut = new Set(cocycle.edges.map(([a, b]) => (a < b ? a * n + b : b * n + a)));
  const candidates = cocycle.edges
    .map(([a, b]) => ({ a, b, len: dist(a, b) }))
    .filter((e) => e.len < cocycle.death)
    .sort((x, y) => x.len - y.len)
    .slice(0, 12);
  for (const { a, b, len } of candidates) {
    const path = shortestPath(n, dist, cut, Math.max(len, cocycle.birth) * (1 + 1e-9), a, b);
    if (path) return path;
  }
  return null;
}

/** Dijkstra over the dense graph of edges no longer than `scale`, minus `cut` (n is at most a few hundred). */
function shortestPath(
  n: number,
  dist: (a: number, b: number) => number,
  cut: Set<number>,
  scale: number,
  src: number,
  dst: number,
): number[] | null {
  const best = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  best[src] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && best[i] < Infinity && (u < 0 || best[i] < best[u])) u = i;
    if (u < 0 || u === dst) break;
    done[u] = 1;
    for (let v = 0; v < n; v++) {
      if (done[v] || v === u || cut.has(u < v ? u * n + v : v * n + u)) continue;
      const w = dist(u, v);
      if (w <= scale && best[u] + w < best[v]) {
        best[v] = best[u] + w;
        prev[v] = u;
      }
    }
  }
  if (best[dst] === Infinity) return null;
  const path = [dst];
  while (path[path.length - 1] !== src) path.push(prev[path[path.length - 1]]);
  return path.reverse();
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
  const cycle = opts.loop ? loopFromCocycle(points, n, d, opts.loop) : null;
  const px = (i: number) => `${fmtNum(x(pr.xy[2 * i]))},${fmtNum(y(pr.xy[2 * i + 1]))}`;
  const edges: SvgNode[] = cycle
    ? [
        h('polygon', {
          class: 'loop-cycle',
          points: cycle.map(px).join(' '),
          fill: loopColor,
          'fill-opacity': 0.08,
          stroke: loopColor,
          'stroke-width': 2,
          'stroke-linejoin': 'round',
        }),
      ]
    : [];
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
      cycle ? `, with the most persistent loop drawn through ${cycle.length} points` : ''
    }.`,
    tip: (i) => (opts.pointLabel ? opts.pointLabel(i) : `point ${i}`),
  };
}
