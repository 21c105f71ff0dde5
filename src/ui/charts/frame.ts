// The parts every chart shares: the plot rectangle inside margins, axes drawn from D3 scale ticks, and the
// outer <svg> with a background and an accessible title.
import { h, type SvgNode, type Child } from './svg.ts';
import type { ChartTheme } from './theme.ts';
import { timeTickLabels } from './time.ts';

export interface Size {
  width: number;
  height: number;
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Plot extends Margin {
  /** Inner width and height. */
  w: number;
  h: number;
}

export function plotArea(size: Size, m: Margin): Plot {
  return { ...m, w: Math.max(10, size.width - m.left - m.right), h: Math.max(10, size.height - m.top - m.bottom) };
}

/** Anything with D3's tick interface. */
export interface TickScale {
  (v: number): number;
  ticks(count?: number): number[];
  tickFormat(count?: number, spec?: string): (v: number) => string;
}

export interface TimeScale {
  (v: Date | number): number;
  ticks(count?: number): Date[];
  tickFormat(count?: number, spec?: string): (v: Date) => string;
}

export function axisBottom(
  scale: TickScale | TimeScale,
  p: Plot,
  theme: ChartTheme,
  opts: { count?: number; label?: string; grid?: boolean } = {},
): SvgNode {
  const count = opts.count ?? Math.max(2, Math.floor(p.w / 80));
  const ticks = (scale.ticks(count) as (number | Date)[]).map((t) => +t);
  const isTime = ticks.length > 0 && (scale.ticks(count) as unknown[])[0] instanceof Date;
  // D3's own time format reads 12:05 for five past midnight; ours is 24-hour, in the chosen zone.
  const labels = isTime ? timeTickLabels(ticks) : ticks.map(scale.tickFormat(count) as (v: number) => string);
  const y = p.top + p.h;
  return h(
    'g',
    { class: 'axis axis-x', 'font-size': 10, fill: theme.muted },
    h('line', { x1: p.left, x2: p.left + p.w, y1: y, y2: y, stroke: theme.axis }),
    ticks.map((t, i) => {
      const x = (scale as (v: number) => number)(t);
      return h(
        'g',
        {},
        opts.grid && h('line', { x1: x, x2: x, y1: p.top, y2: y, stroke: theme.grid }),
        h('line', { x1: x, x2: x, y1: y, y2: y + 4, stroke: theme.axis }),
        h('text', { x, y: y + 15, 'text-anchor': 'middle' }, labels[i]),
      );
    }),
    opts.label && h('text', { x: p.left + p.w / 2, y: y + 30, 'text-anchor': 'middle', fill: theme.text }, opts.label),
  );
}

export function axisLeft(
  scale: TickScale,
  p: Plot,
  theme: ChartTheme,
  opts: { count?: number; label?: string; grid?: boolean; format?: string } = {},
): SvgNode {
  const count = opts.count ?? Math.max(2, Math.floor(p.h / 40));
  const ticks = scale.ticks(count);
  const fmt = scale.tickFormat(count, opts.format);
  return h(
    'g',
    { class: 'axis axis-y', 'font-size': 10, fill: theme.muted },
    h('line', { x1: p.left, x2: p.left, y1: p.top, y2: p.top + p.h, stroke: theme.axis }),
    ticks.map((t) => {
      const y = scale(t);
      return h(
        'g',
        {},
        opts.grid && h('line', { x1: p.left, x2: p.left + p.w, y1: y, y2: y, stroke: theme.grid }),
        h('line', { x1: p.left - 4, x2: p.left, y1: y, y2: y, stroke: theme.axis }),
        h('text', { x: p.left - 7, y: y + 3, 'text-anchor': 'end' }, fmt(t)),
      );
    }),
    opts.label &&
      h(
        'text',
        {
          transform: `translate(${p.left - 36},${p.top + p.h / 2}) rotate(-90)`,
          'text-anchor': 'middle',
          fill: theme.text,
        },
        opts.label,
      ),
  );
}

/** The outer element: sized, titled for screen readers, painted with the theme's background. */
export function svgRoot(size: Size, theme: ChartTheme, title: string, ...children: Child[]): SvgNode {
  return h(
    'svg',
    {
      width: size.width,
      height: size.height,
      viewBox: `0 0 ${size.width} ${size.height}`,
      role: 'img',
      'font-family': theme.font,
    },
    h('title', {}, title),
    h('rect', { class: 'bg', x: 0, y: 0, width: size.width, height: size.height, fill: theme.background }),
    ...children,
  );
}

/** A one-line legend: coloured squares and labels, laid out left to right. */
export function legend(items: { label: string; color: string }[], x: number, y: number, theme: ChartTheme): SvgNode {
  let cx = x;
  const parts: SvgNode[] = [];
  for (const it of items) {
    parts.push(h('rect', { x: cx, y: y - 8, width: 9, height: 9, rx: 2, fill: it.color }));
    parts.push(h('text', { x: cx + 13, y, fill: theme.text }, it.label));
    cx += 22 + it.label.length * 6.2;
  }
  return h('g', { class: 'legend', 'font-size': 10 }, parts);
}

/** A message drawn in the middle of an empty chart (e.g. "no H1 classes in this window"). */
export function emptyNote(p: Plot, theme: ChartTheme, text: string): SvgNode {
  return h(
    'text',
    { x: p.left + p.w / 2, y: p.top + p.h / 2, 'text-anchor': 'middle', fill: theme.muted, 'font-size': 12 },
    text,
  );
}
