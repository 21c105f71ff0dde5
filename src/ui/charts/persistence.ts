// Persistence diagram: one point per (birth, death) pair, coloured by dimension, above the diagonal.
// Essential classes (death = ∞) sit on a dashed line above the finite range, labelled ∞.
import { scaleLinear } from 'd3';
import type { Diagram } from '../../lib/tda/types.ts';
import { h, type SvgNode } from './svg.ts';
import { axisBottom, axisLeft, legend, plotArea, svgRoot, emptyNote, type Size } from './frame.ts';
import { fmtValue, type Chart } from './chart.ts';
import type { ChartTheme } from './theme.ts';

export interface PersistenceOptions extends Size {
  theme: ChartTheme;
  title?: string;
}

interface Pair {
  dim: number;
  birth: number;
  death: number;
}

export function persistenceDiagram(diagrams: Diagram[], opts: PersistenceOptions): Chart {
  const { theme } = opts;
  const title = opts.title ?? 'Persistence diagram';
  const pairs: Pair[] = [];
  let maxFinite = 0;
  for (const d of diagrams) {
    for (let i = 0; i < d.births.length; i++) {
      pairs.push({ dim: d.dim, birth: d.births[i], death: d.deaths[i] });
      maxFinite = Math.max(maxFinite, d.births[i]);
      if (Number.isFinite(d.deaths[i])) maxFinite = Math.max(maxFinite, d.deaths[i]);
    }
  }
  if (maxFinite <= 0) maxFinite = 1;
  const p = plotArea(opts, { top: 26, right: 14, bottom: 40, left: 50 });
  // The ∞ line sits a band above the finite range.
  const infBand = 18;
  const scale = scaleLinear()
    .domain([0, maxFinite * 1.04])
    .range([0, 1])
    .nice();
  const x = scaleLinear()
    .domain(scale.domain())
    .range([p.left, p.left + p.w]);
  const y = scaleLinear()
    .domain(scale.domain())
    .range([p.top + p.h, p.top + infBand]);
  const yInf = p.top + 4;
  const top = scale.domain()[1];

  // Draw H0 first so the rarer, more telling H1/H2 points land on top.
  const order = pairs.map((_, i) => i).sort((a, b) => pairs[a].dim - pairs[b].dim);
  const points: SvgNode[] = order.map((i) => {
    const q = pairs[i];
    const cy = Number.isFinite(q.death) ? y(q.death) : yInf;
    return h('circle', {
      cx: x(q.birth),
      cy,
      r: q.dim === 0 ? 2.6 : 3.4,
      fill: theme.dims[q.dim % theme.dims.length],
      'fill-opacity': 0.85,
      stroke: theme.background,
      'stroke-width': 0.6,
      'data-tip': i,
      class: `pt dim-${q.dim}`,
    });
  });
  const dims = [...new Set(diagrams.map((d) => d.dim))].sort();
  const counts = dims.map((dim) => `H${dim}: ${pairs.filter((q) => q.dim === dim).length}`).join(', ');
  const node = svgRoot(
    opts,
    theme,
    title,
    axisBottom(x, p, theme, { label: 'birth', grid: true }),
    axisLeft(y, p, theme, { label: 'death', grid: true }),
    h('line', {
      class: 'diagonal',
      x1: x(0),
      y1: y(0),
      x2: x(top),
      y2: y(top),
      stroke: theme.muted,
      'stroke-dasharray': '4 3',
    }),
    h('line', {
      class: 'inf-line',
      x1: p.left,
      x2: p.left + p.w,
      y1: yInf,
      y2: yInf,
      stroke: theme.muted,
      'stroke-dasharray': '2 3',
    }),
    h('text', { x: p.left - 7, y: yInf + 4, 'text-anchor': 'end', fill: theme.muted, 'font-size': 12 }, '∞'),
    pairs.length === 0 && emptyNote(p, theme, 'no persistence pairs'),
    h('g', { class: 'points' }, points),
    legend(
      dims.map((dim) => ({ label: `H${dim}`, color: theme.dims[dim % theme.dims.length] })),
      p.left,
      14,
      theme,
    ),
  );
  return {
    node,
    summary: `${title}: ${pairs.length} pairs (${counts || 'none'}), largest finite value ${fmtValue(maxFinite)}.`,
    tip: (i) => {
      const q = pairs[i];
      if (!q) return '';
      const pers = q.death - q.birth;
      return `H${q.dim} · birth ${fmtValue(q.birth)} · death ${fmtValue(q.death)} · persistence ${fmtValue(pers)}`;
    },
  };
}
