// The fleet overview's logic (src/ui/views/fleet.ts): search and filters, virtual rows, heatmap cells, colours.
import { describe, expect, it } from 'vitest';
import type { EntitySummary } from '../../src/lib/report/types.ts';
import {
  binTrace,
  ALL_SERIES_LIMIT,
  focusHost,
  entityLabels,
  filterEntities,
  filterOptions,
  heatColor,
  HEAT_COLOURS,
  peakWindow,
  scrollToRow,
  visibleRows,
} from '../../src/ui/views/fleet.ts';

const host = (entity: string, score: number, extra: Partial<EntitySummary> = {}): EntitySummary => ({
  entity,
  rank: 0,
  score,
  anomalies: [],
  outlier: null,
  risk: null,
  scenario: null,
  ...extra,
});

const series: { labels: Record<string, string> }[] = [
  { labels: { instance: 'web-1', job: 'web', mode: 'idle' } },
  { labels: { instance: 'web-1', job: 'web', device: 'sda' } },
  { labels: { instance: 'web-2', job: 'web' } },
  { labels: { instance: 'db-1', job: 'db', zone: 'a' } },
  { labels: { instance: 'db-1', job: 'db', zone: 'a' } },
  { labels: { other: 'x' } },
];

describe('fleet filters', () => {
  const labels = entityLabels(series, 'instance');
  const entities = [
    host('db-1', 2.5, { outlier: { score: 9, since: 1, until: 2 } }),
    host('web-2', 1.6, { risk: { '1h': 0.9 }, scenario: 'memory_leak' }),
    host('web-1', 0.4),
  ];

  it('keeps only the labels a host has on every series, without the entity label', () => {
    expect(labels.get('web-1')).toEqual({ job: 'web' });
    expect(labels.get('db-1')).toEqual({ job: 'db', zone: 'a' });
    expect(labels.size).toBe(3);
  });

  it('offers statuses and the label values that split the fleet, most common first', () => {
    const ids = filterOptions(labels).map((o) => o.id);
    expect(ids).toEqual(['all', 'flagged', 'outlier', 'alarm', 'label:job=web', 'label:job=db', 'label:zone=a']);
    expect(
      filterOptions(
        new Map([
          ['a', { job: 'x' }],
          ['b', { job: 'x' }],
        ]),
      ).map((o) => o.id),
    ).not.toContain('label:job=x');
  });

  it('searches names case-insensitively and filters by status or label, keeping rank order', () => {
    const names = (q: string, f: Parameters<typeof filterEntities>[2]) =>
      filterEntities(entities, q, f, labels).map((e) => e.entity);
    expect(names(' WEB', { kind: 'all' })).toEqual(['web-2', 'web-1']);
    expect(names('', { kind: 'flagged' })).toEqual(['db-1', 'web-2']);
    expect(names('', { kind: 'outlier' })).toEqual(['db-1']);
    expect(names('', { kind: 'alarm' })).toEqual(['web-2']);
    expect(names('', { kind: 'label', name: 'job', value: 'web' })).toEqual(['web-2', 'web-1']);
    expect(names('2', { kind: 'label', name: 'job', value: 'db' })).toEqual([]);
  });
});

describe('virtual rows', () => {
  it('puts only the rows in view (and an overscan) in the DOM, padding the rest', () => {
    const w = visibleRows(3000, 400, 30, 1000, 5);
    expect(w.start).toBe(95);
    expect(w.end).toBe(100 + 14 + 1 + 5);
    expect(w.padTop + (w.end - w.start) * 30 + w.padBottom).toBe(30_000);
  });

  it('clamps at both ends and handles an empty list', () => {
    expect(visibleRows(-50, 400, 30, 1000, 5)).toMatchObject({ start: 0, padTop: 0 });
    const end = visibleRows(1e9, 400, 30, 1000, 5);
    expect(end.end).toBe(1000);
    expect(end.padBottom).toBe(0);
    expect(end.start).toBeLessThan(1000);
    expect(visibleRows(0, 400, 30, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });

  it('scrolls just enough to show a row', () => {
    expect(scrollToRow(5, 300, 300, 30)).toBe(150);
    expect(scrollToRow(30, 300, 300, 30)).toBe(630);
    expect(scrollToRow(12, 300, 300, 30)).toBe(300);
  });
});

describe('heatmap cells', () => {
  it('bins a long trace by the highest value per cell, so a one-window spike stays visible', () => {
    const trace: (number | null)[] = Array.from({ length: 100 }, () => 0.2);
    trace[57] = 3;
    trace[0] = null;
    const cells = binTrace(trace, 10);
    expect(cells).toHaveLength(10);
    expect(cells[5]).toBe(3);
    expect(cells[0]).toBe(0.2);
    expect(binTrace([null, null, 1], 10)).toEqual([null, null, 1]);
  });

  it('colours calm, threshold and beyond with the theme stops; no score is transparent', () => {
    const [calm, , amber, red] = HEAT_COLOURS.dark;
    const hex = (c: string) => `rgb(${[1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)).join(', ')})`;
    expect(heatColor(0, HEAT_COLOURS.dark)).toBe(hex(calm));
    expect(heatColor(1, HEAT_COLOURS.dark)).toBe(hex(amber));
    expect(heatColor(7, HEAT_COLOURS.dark)).toBe(hex(red));
    expect(heatColor(-1, HEAT_COLOURS.dark)).toBe(hex(calm));
    expect(heatColor(null, HEAT_COLOURS.dark)).toBe('transparent');
    expect(heatColor(NaN, HEAT_COLOURS.dark)).toBe('transparent');
    expect(() => heatColor(1, ['red', 'red', 'red', 'red'])).toThrow(/#rrggbb/);
  });
});

describe('selected host', () => {
  const entities = [host('a', 2), host('b', 1)];
  it('is the chosen host while the report has it; by default rank 1 only when there are too many series to draw', () => {
    expect(focusHost(entities, 'b', 20)).toBe('b');
    expect(focusHost(entities, null, ALL_SERIES_LIMIT)).toBeNull();
    expect(focusHost(entities, null, ALL_SERIES_LIMIT + 1)).toBe('a');
    expect(focusHost(entities, 'gone', 10_000)).toBe('a');
    expect(focusHost(entities, 'gone', 20)).toBeNull();
    expect(focusHost([host('a', 1)], 'a', 10_000)).toBeNull();
    expect(focusHost(undefined, null, 10_000)).toBeNull();
  });
  it('finds the latest highest window of a trace', () => {
    expect(peakWindow([0.1, 2, null, 2, 0.5])).toBe(3);
    expect(peakWindow([null])).toBe(-1);
    expect(peakWindow(undefined)).toBe(-1);
  });
});
