// Barcode: one horizontal bar per pair from birth to death, grouped by dimension, longest first. Only the
// most persistent bars of each dimension are drawn (short ones are noise and would fill the chart).
import { scaleLinear } from 'd3';
import type { Diagram } from '../../lib/tda/types.ts';
import { h, type SvgNode } from './svg.ts';
import { axisBottom, emptyNote, plotArea, svgRoot, type Size } from './frame.ts';
import { fmtValue, type Chart } from './chart.ts';
import type { ChartTheme } from './theme.ts';

export interface BarcodeOptions extends Size {
  theme: ChartTheme;
  /** Bars kept per dimension (default 24). */
  perDim?: number;
}

export function barcode(diagrams: Diagram[], opts: BarcodeOptions): Chart {
  const { theme } = opts;
  const perDim = opts.perDim ?? 24;
  const bars: { dim: number; birth: number; death: number }[] = [];
  const totals: string[] = [];
  let maxFinite = 0;
  for (const d of diagrams) {
    const idx = Array.from(d.births, (_, i) => i).sort(
      (a, b) => d.deaths[b] - d.births[b] - (d.deaths[a] - d.births[a]),
    );
    const kept = idx.slice(0, perDim);
    totals.push(`H${d.dim}: ${kept.length} of ${d.births.length}`);
    for (const i of kept) bars.push({ dim: d.dim, birth: d.births[i], death: d.deaths[i] });
    for (let i = 0; i < d.births.length; i++) {
      maxFinite = Math.max(maxFinite, d.births[i], Number.isFinite(d.deaths[i]) ? d.deaths[i] : 0);
    }
  }
  if (maxFinite <= 0) maxFinite = 1;
  const p = plotArea(opts, { top: 22, right: 22, bottom: 34, left: 30 });
  const x = scaleLinear()
    .domain([0, maxFinite * 1.04])
    .nice()
    .range([p.left, p.left + p.w]);
  const xEnd = x.range()[1];
  // Gaps between dimension groups so they read as separate blocks.
  const gap = 6;
  const groups = new Set(bars.map((b) => b.dim)).size;
  const rowH = bars.length ? Math.max(1, Math.min(8, (p.h - gap * Math.max(0, groups - 1)) / bars.length)) : 0;
  let y = p.top;
  let prevDim = -1;
  const marks: SvgNode[] = [];
  const labels: SvgNode[] = [];
  bars.forEach((b, i) => {
    if (b.dim !== prevDim) {
      if (prevDim !== -1) y += gap;
      labels.push(
        h(
          'text',
          {
            x: p.left - 6,
            y: y + 8,
            'text-anchor': 'end',
            fill: theme.dims[b.dim % theme.dims.length],
            'font-size': 10,
          },
          `H${b.dim}`,
        ),
      );
      prevDim = b.dim;
    }
    const x1 = x(b.birth);
    const x2 = Number.isFinite(b.death) ? x(b.death) : xEnd;
    marks.push(
      h('rect', {
        x: x1,
        y,
        width: Math.max(1, x2 - x1),
        height: Math.max(0.8, rowH * 0.75),
        fill: theme.dims[b.dim % theme.dims.length],
        class: `bar dim-${b.dim}`,
        'data-tip': i,
      }),
    );
    if (!Number.isFinite(b.death))
      marks.push(h('text', { x: xEnd + 3, y: y + rowH * 0.75, fill: theme.muted, 'font-size': 9 }, '∞'));
    y += rowH;
  });
  const node = svgRoot(
    opts,
    theme,
    'Barcode',
    axisBottom(x, p, theme, { label: 'filtration scale', grid: true }),
    bars.length === 0 && emptyNote(p, theme, 'no persistence pairs'),
    h('g', { class: 'bars' }, marks),
    h('g', { class: 'labels' }, labels),
  );
  return {
    node,
    summary: `Barcode of the most persistent classes: ${totals.join(', ') || 'none'}.`,
    tip: (i) => {
      const b = bars[i];
      return b
        ? `H${b.dim} · [${fmtValue(b.birth)}, ${fmtValue(b.death)}) · persistence ${fmtValue(b.death - b.birth)}`
        : '';
    },
  };
}
