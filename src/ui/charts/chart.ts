// What every chart function returns: the SVG tree plus what the view needs for interaction.
import type { SvgNode } from './svg.ts';
import type { Plot } from './frame.ts';

export interface Chart {
  node: SvgNode;
  /** One sentence a screen reader announces for the whole chart. */
  summary: string;
  /** Text for the mark carrying `data-tip="i"`: the hover tooltip. */
  tip?: (i: number) => string;
  /** The plot rectangle, and data x <-> pixel x, for cursors, clicks and brushes on time charts. */
  plot?: Plot;
  xToPx?: (x: number) => number;
  pxToX?: (px: number) => number;
}

/** Compact numbers for labels and tooltips: 0.0123, 1.23, 12.3k. */
export function fmtValue(v: number): string {
  if (v === Infinity) return '∞';
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(v / 1e3).toPrecision(3)}k`;
  if (a >= 1) return v.toPrecision(3).replace(/\.?0+$/, '');
  return v.toPrecision(3);
}

/** Times are written one way everywhere (time.ts): 2026-11-26 07:45:00 UTC. */
export { fmtTime } from './time.ts';
