// The fleet overview's logic, framework-free: which hosts a search and a filter keep, which rows of a long
// list are in view (only those are in the DOM), each host's heatmap cells and their colours.
import type { EntitySummary } from '../../lib/report/types.ts';

/** What the filter select offers: every host, a status, or hosts carrying a label value (`job=api`). */
export type FleetFilter =
  | { kind: 'all' }
  | { kind: 'flagged' }
  | { kind: 'outlier' }
  | { kind: 'alarm' }
  | { kind: 'label'; name: string; value: string };

export interface FilterOption {
  /** Stable text for a <select> value. */
  id: string;
  text: string;
  filter: FleetFilter;
}

/**
 * Per entity, the labels all its series share with one value (job, zone, …), the entity label left out:
 * they describe the host, not one of its metrics.
 */
export function entityLabels(
  series: readonly { labels: Record<string, string> }[],
  label: string | null,
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (!label) return out;
  for (const s of series) {
    const entity = s.labels[label];
    if (entity === undefined) continue;
    const own = Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== label && k !== '__name__'));
    const known = out.get(entity);
    if (!known) out.set(entity, own);
    else for (const k of Object.keys(known)) if (known[k] !== own[k]) delete known[k];
  }
  return out;
}

/** The filter's choices: statuses, then the label values that split the fleet (not all hosts alike), by count. */
export function filterOptions(labels: Map<string, Record<string, string>>, maxLabels = 40): FilterOption[] {
  const options: FilterOption[] = [
    { id: 'all', text: 'All hosts', filter: { kind: 'all' } },
    { id: 'flagged', text: 'Over a threshold', filter: { kind: 'flagged' } },
    { id: 'outlier', text: 'Apart from peers', filter: { kind: 'outlier' } },
    { id: 'alarm', text: 'Model alarm', filter: { kind: 'alarm' } },
  ];
  const count = new Map<string, { name: string; value: string; n: number }>();
  for (const own of labels.values())
    for (const [name, value] of Object.entries(own)) {
      const id = `label:${name}=${value}`;
      const c = count.get(id);
      if (c) c.n++;
      else count.set(id, { name, value, n: 1 });
    }
  const splitting = [...count].filter(([, c]) => c.n < labels.size);
  splitting.sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  for (const [id, { name, value, n }] of splitting.slice(0, maxLabels))
    options.push({ id, text: `${name}=${value} (${n})`, filter: { kind: 'label', name, value } });
  return options;
}

/** The hosts a search (case-insensitive substring of the name) and a filter keep, in rank order. */
export function filterEntities(
  entities: EntitySummary[],
  query: string,
  filter: FleetFilter,
  labels: Map<string, Record<string, string>>,
): EntitySummary[] {
  const q = query.trim().toLowerCase();
  return entities.filter((e) => {
    if (q && !e.entity.toLowerCase().includes(q)) return false;
    switch (filter.kind) {
      case 'all':
        return true;
      case 'flagged':
        return e.score >= 1;
      case 'outlier':
        return e.outlier !== null;
      case 'alarm':
        return e.score > 1 && e.risk !== null && e.scenario !== null && e.scenario !== 'none';
      case 'label':
        return labels.get(e.entity)?.[filter.name] === filter.value;
    }
  });
}

export interface RowWindow {
  /** First and one-past-last row in the DOM. */
  start: number;
  end: number;
  /** Empty space above and below them (px), so the scrollbar covers the whole list. */
  padTop: number;
  padBottom: number;
}

/** The rows a scroll position shows, plus `overscan` rows either side so a fast scroll does not flash blank. */
export function visibleRows(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 6,
): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(total - 1, first) - overscan);
  const end = Math.min(total, first + Math.ceil(Math.max(0, viewport) / rowHeight) + 1 + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (total - end) * rowHeight };
}

/** The scroll position that brings row `i` into view (unchanged when it already is). */
export function scrollToRow(i: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = i * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}

/**
 * A trace in at most `bins` cells, each the highest value in it (a short spike must not vanish), null where
 * the cell has no value.
 */
export function binTrace(trace: readonly (number | null)[], bins: number): (number | null)[] {
  const n = trace.length;
  if (n <= bins) return [...trace];
  const out: (number | null)[] = [];
  for (let b = 0; b < bins; b++) {
    let best: number | null = null;
    for (let i = Math.floor((b * n) / bins); i < Math.floor(((b + 1) * n) / bins); i++) {
      const v = trace[i];
      if (v !== null && (best === null || v > best)) best = v;
    }
    out.push(best);
  }
  return out;
}

/** Concern stops of the colour scale (threshold units): calm, half-way, threshold, twice the threshold. */
export const HEAT_STOPS = [0, 0.5, 1, 2] as const;

export type HeatColours = readonly [string, string, string, string];
/** The scale's colours per theme: calm blends into the panel, amber at the threshold, red beyond. */
export const HEAT_COLOURS: Record<'dark' | 'light', HeatColours> = {
  dark: ['#1c2632', '#2f5f8f', '#f5c451', '#f0715f'],
  light: ['#eef2f6', '#8dbbe3', '#e0a800', '#d23f2b'],
};

/**
 * The colour of a concern value: from the panel's calm colour through amber at the threshold (1) to red at
 * twice it. Interpolated in RGB between the theme's stops; null (no score) is transparent.
 */
export function heatColor(v: number | null, stops: HeatColours): string {
  if (v === null || !Number.isFinite(v)) return 'transparent';
  const x = Math.max(0, Math.min(HEAT_STOPS[3], v));
  let k = 0;
  while (k < 2 && x > HEAT_STOPS[k + 1]) k++;
  const f = (x - HEAT_STOPS[k]) / (HEAT_STOPS[k + 1] - HEAT_STOPS[k]);
  const a = rgb(stops[k]);
  const b = rgb(stops[k + 1]);
  const mix = (i: number) => Math.round(a[i] + (b[i] - a[i]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`heatColor needs #rrggbb colours, got '${hex}'`);
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A fleet with more series than this shows one host's by default (the rank-1 host): never thousands at once. */
export const ALL_SERIES_LIMIT = 100;

/**
 * The host the per-host views show: the chosen one while the report still has it, else the rank-1 host when
 * the fleet has too many series to draw them all; null (every series, every host) otherwise and for one host.
 */
export function focusHost(entities: EntitySummary[] | undefined, chosen: string | null, series: number): string | null {
  if (!entities || entities.length < 2) return null;
  if (chosen !== null && entities.some((e) => e.entity === chosen)) return chosen;
  return series > ALL_SERIES_LIMIT ? entities[0].entity : null;
}

/** The window index where an entity's trace is highest (its most concerning moment), or -1 without a trace. */
export function peakWindow(trace: readonly (number | null)[] | undefined): number {
  let best = -1;
  trace?.forEach((v, i) => {
    if (v !== null && (best < 0 || v >= (trace[best] ?? -Infinity))) best = i;
  });
  return best;
}
