// Builds the one Report from what the stages produced: the CLI prints it, the app renders and exports it.
import type { AlignedFrame, MetricFrame } from '../frame/types.ts';
import { seriesKey } from '../frame/types.ts';
import type { TimelineOutput } from '../timeline/timeline.ts';
import type { Prediction, Report } from './types.ts';

export interface ReportInputs {
  frame: MetricFrame;
  aligned: AlignedFrame;
  timeline: TimelineOutput;
  predictions: Prediction[];
  /** Column indices of `aligned` converted from counters to rates. */
  rateColumns?: number[];
  notes?: string[];
}

/** Rejected rows listed in a report (all are counted). */
export const REJECTED_SHOWN = 5;

export function buildReport(x: ReportInputs): Report {
  let samples = 0;
  for (const s of x.frame.series) for (let i = 0; i < s.values.length; i++) if (!Number.isNaN(s.values[i])) samples++;
  const ts = x.aligned.timestamps;
  const notes = [...(x.notes ?? [])];
  // Older TimelineOutputs (saved app state) have no notes.
  notes.unshift(...(x.timeline.notes ?? []));
  if (x.timeline.pending) notes.unshift(x.timeline.pending);
  return {
    input: {
      origin: x.frame.meta.origin,
      format: x.frame.meta.format,
      series: x.frame.series.length,
      samples,
      start: ts.length ? ts[0] : NaN,
      end: ts.length ? ts[ts.length - 1] : NaN,
      stepMs: x.aligned.stepMs,
      ...rejectedRows(x.frame),
    },
    settings: x.timeline.settings,
    timeline: x.timeline.points,
    anomalies: x.timeline.anomalies,
    predictions: x.predictions,
    analysis: {
      baseline: x.timeline.baseline,
      embedding: x.timeline.embedding,
      skipped: x.timeline.skipped,
      landmarked: x.timeline.landmarked,
      rates: (x.rateColumns ?? []).map((j) => seriesKey(x.aligned.series[j])),
      notes,
    },
  };
}

/** `rejected` for the report's input, only when rows were refused (a clean file's report stays as it was). */
function rejectedRows(frame: MetricFrame): Pick<Report['input'], 'rejected'> {
  const r = frame.meta.rejected;
  return r.count > 0 ? { rejected: { count: r.count, first: r.examples.slice(0, REJECTED_SHOWN) } } : {};
}
