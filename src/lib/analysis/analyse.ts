// The one analysis pipeline: align → anomaly timeline → report → failure predictions. The CLI commands,
// the app and the exporter are hosts over it: they choose a window runner (in-process, a worker pool) and a
// predictor (the model in-process, in a Web Worker, or none) and render the Report it returns.
import type { MetricFrame } from '../frame/types.ts';
import type { Prediction, Report, TimelinePoint } from '../report/types.ts';
import { alignFrame, type AlignResult } from '../cloud/align.ts';
import { AnomalyTimeline, type TimelineProgress } from '../timeline/timeline.ts';
import type { WindowRunner } from '../timeline/runner.ts';
import { buildReport } from '../report/build.ts';
import { DEFAULT_SETTINGS, timelineOptionsOf, type Settings } from './settings.ts';

/** What a predictor ran and how: the predictions, and for the app which model and provider ran them. */
export interface PredictionRun {
  predictions: Prediction[];
  model?: string;
  /** onnxruntime execution provider (`webgpu`, `wasm`) and why it was chosen. */
  ep?: string;
  reason?: string;
  millis?: number;
}

/** The failure model as the pipeline sees it, wherever it runs. */
export interface FailurePredictor {
  predict(frame: MetricFrame, opts: { signal?: AbortSignal; at?: number }): Promise<PredictionRun>;
}

export interface TimelineRun {
  signal?: AbortSignal;
  onProgress?(p: TimelineProgress): void;
  /** Each new timeline point, in time order, as soon as it is known. */
  onPoint?(p: TimelinePoint): void;
  /** The frame already aligned (e.g. by an import worker); aligned here otherwise. */
  aligned?: AlignResult | null;
  /** Overrides `frame.meta.origin` in the report. */
  origin?: string;
}

/** Said in the report when the model could read nothing in the file. */
export const NO_READABLE_SERIES =
  'no failure predictions: the model reads CPU, memory, disk, network, fd, latency or error metrics, and found none';

/**
 * An analysis that keeps its state between calls: when rows are appended to the frame (live mode), only the
 * windows that end on new rows are computed. New settings need a new Analysis.
 */
export class Analysis {
  readonly settings: Settings;
  readonly #timeline: AnomalyTimeline;

  constructor(runner: WindowRunner, settings: Partial<Settings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.#timeline = new AnomalyTimeline(runner, timelineOptionsOf(this.settings));
  }

  /** The timeline of `frame` (new windows only after the first call), as a Report without predictions. */
  async timeline(frame: MetricFrame, run: TimelineRun = {}): Promise<Report> {
    const { frame: aligned, rateColumns } = run.aligned ?? alignFrame(frame);
    const out = await this.#timeline.update(aligned, {
      signal: run.signal,
      onProgress: run.onProgress,
      onPoint: run.onPoint,
    });
    const meta = run.origin === undefined ? frame.meta : { ...frame.meta, origin: run.origin };
    return buildReport({ frame: { ...frame, meta }, aligned, timeline: out, predictions: [], rateColumns });
  }
}

/**
 * The report with the model's predictions. A model that cannot run, or reads nothing in the file, leaves the
 * topology standing and says why in the report's notes; `error` is that reason for the host to show.
 */
export async function withPredictions(
  report: Report,
  frame: MetricFrame,
  predictor: FailurePredictor,
  opts: { signal?: AbortSignal; at?: number } = {},
): Promise<{ report: Report; run: PredictionRun | null; error: string | null }> {
  let run: PredictionRun;
  try {
    run = await predictor.predict(frame, opts);
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    const error = firstLine(err);
    return { report: addNote(report, `no failure predictions: ${error}`), run: null, error };
  }
  const withPreds = { ...report, predictions: run.predictions };
  return { report: run.predictions.length ? withPreds : addNote(withPreds, NO_READABLE_SERIES), run, error: null };
}

export interface AnalyseOptions extends TimelineRun {
  runner: WindowRunner;
  /** null: no predictions (and no note about them). */
  predictor: FailurePredictor | null;
  settings?: Partial<Settings>;
}

/** One whole analysis of a frame: timeline, report, predictions. */
export async function analyse(frame: MetricFrame, opts: AnalyseOptions): Promise<Report> {
  const report = await new Analysis(opts.runner, opts.settings).timeline(frame, opts);
  if (!opts.predictor) return report;
  return (await withPredictions(report, frame, opts.predictor, { signal: opts.signal })).report;
}

function addNote(r: Report, note: string): Report {
  if (!r.analysis) return r;
  return { ...r, analysis: { ...r.analysis, notes: [...r.analysis.notes, note] } };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
