// The Report built from a real timeline run, and its Markdown and CSV renderings.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import type { Report } from '../../src/lib/report/types.ts';
import { AnomalyTimeline, InProcessRunner } from '../../src/lib/timeline/index.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { buildReport } from '../../src/lib/report/build.ts';
import { reportMarkdown } from '../../src/lib/report/markdown.ts';
import { timelineCsv } from '../../src/lib/report/csv.ts';
import { fleet } from '../fixtures/timeline/generate.ts';

let report: Report;
const aligned = fleet({ seed: 7, rows: 2400, decouple: [1500, 1800] });

beforeAll(async () => {
  const frame: MetricFrame = {
    series: aligned.series.map((s, j) => ({ ...s, timestamps: aligned.timestamps, values: aligned.columns[j] })),
    meta: { origin: 'fleet.csv', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
  };
  const timeline = await new AnomalyTimeline(new InProcessRunner(await createNodeTopology()), {
    baselineRows: 600,
  }).update(aligned);
  report = buildReport({ frame, aligned, timeline, predictions: [], notes: ['no failure predictions: test'] });
});

describe('the report', () => {
  it('describes the input and carries the timeline, spans and how they were computed', () => {
    expect(report.input).toEqual({
      origin: 'fleet.csv',
      format: 'wide-csv',
      series: 4,
      samples: 4 * 2400,
      start: aligned.timestamps[0],
      end: aligned.timestamps[2399],
      stepMs: 15_000,
    });
    expect(report.timeline.length).toBe(235);
    expect(report.anomalies.length).toBeGreaterThan(0);
    expect(report.analysis!.baseline!.end).toBe(aligned.timestamps[599]);
    expect(report.analysis!.notes).toEqual(['no failure predictions: test']);
    // Survives JSON (what --json prints and the app exports).
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('renders a Markdown summary with one table row per anomaly', () => {
    const md = reportMarkdown(report);
    expect(md.startsWith('# AURA analysis: fleet.csv\n')).toBe(true);
    expect(md).toContain('state cloud, window 60 samples (15 min), stride 10, H0–H1, noise scaling');
    const rows = md.split('\n').filter((l) => /^\| \d{4}-/.test(l));
    expect(rows.length).toBe(report.anomalies.length);
    expect(md).toContain('> no failure predictions: test');
  });

  it('writes the timeline as CSV, one row per window, numbers that read back', () => {
    const lines = timelineCsv(report).trim().split('\n');
    expect(lines.length).toBe(report.timeline.length + 1);
    const header = lines[0].split(',');
    const row = lines[1].split(',');
    const p = report.timeline[0];
    expect(row[header.indexOf('time_ms')]).toBe(String(p.t));
    expect(Number(row[header.indexOf('score')])).toBeCloseTo(p.score, 4);
    expect(Number(row[header.indexOf('w2_h1')])).toBeCloseTo(p.distance.w2_h1, 4);
    expect(row[header.indexOf('betti_1')]).toBe(String(p.betti['1']));
  });
});
