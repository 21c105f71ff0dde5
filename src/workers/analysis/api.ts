// Messages of the analysis worker. The one pipeline's Analysis (alignment, per-entity timelines, peer
// outliers, the fleet report) runs there, with the timeline pool as its own nested workers, so the page's
// thread only receives progress, points and the Report. The worker records every window it sent, so the
// page can ask for a selected window's block and config and rebuild its cloud.
import type { MetricFrame, AlignedFrame } from '../../lib/frame/types.ts';
import type { Report, TimelinePoint } from '../../lib/report/types.ts';
import type { AlignResult } from '../../lib/cloud/align.ts';
import type { AnalysisOptions } from '../../lib/analysis/analyse.ts';
import type { Settings } from '../../lib/analysis/settings.ts';
import type { TimelineProgress } from '../../lib/timeline/timeline.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';
import type { RecordedWindow } from './recording-runner.ts';
import type { AlignedTail } from '../../lib/live/growing.ts';
import type { PackedSamples, SeriesId } from '../../lib/live/packed.ts';
import type { EpPreference } from '../../lib/lnn/ep.ts';
import type { ColumnRoles } from '../../lib/lnn/column-roles.ts';
import type { PredictionRun } from '../../lib/analysis/analyse.ts';

/** What the analysis covers beyond its settings (see AnalysisOptions). */
export type AnalysisScope = Pick<AnalysisOptions, 'entity' | 'baseline' | 'stepMs'>;

/** The page's side of one timeline run, called from the worker. */
export interface AnalysisHost {
  /** The frame on its time grid, before any window; null when the page gave the alignment itself. */
  aligned(frame: AlignedFrame | null): void;
  progress(p: TimelineProgress): void;
  /** New timeline points in time order (a single entity's stream in; a fleet's come with its report). */
  points(p: TimelinePoint[]): void;
  /** The first window sent to the pool (runs with `preview` only), for an early look at its topology. */
  firstWindow(config: WindowConfig, task: WindowTask): void;
}

export interface TimelineArgs {
  frame: MetricFrame;
  /** The frame already aligned (by the ingest worker), or null to align it here. */
  aligned: AlignResult | null;
  origin: string;
  /** Whether to tell the page about the first window sent (a new analysis). */
  preview: boolean;
}

/** A live update: new samples to add to the live data held (none: analyse what is held), and the model's run. */
export interface LiveArgs {
  origin: string;
  /** Packed by the series table given to openLive (and the series the updates announce since). */
  update: PackedSamples | null;
  /** The model runs here too (the page never sends the whole frame): its provider preference and column roles. */
  predict: { preference: EpPreference; roles?: ColumnRoles } | null;
  /** Keep the analysis for offline use (the page's autosave would copy the whole frame on its thread). */
  save: boolean;
}

/** What the page needs after a live update: the Report, the model's run, and the new rows to draw. */
export interface LiveResult {
  /** With the model's predictions (or the note why there are none) when they were asked for. */
  report: Report;
  /** Without predictions: re-predicting starts from it. */
  timelineReport: Report;
  run: PredictionRun | null;
  /** Why the model gave no predictions, or null. */
  predictError: string | null;
  /** The whole aligned frame the first time (or when the page's rows no longer fit), else the rows that changed. */
  aligned: { whole: AlignedFrame } | { tail: AlignedTail };
}

export interface AnalysisWorkerApi {
  /** Starts the timeline pool ahead of the first analysis. */
  prepare(): void;
  /** Starts analysis `id` with these settings, its windows recorded apart from other analyses'. */
  open(id: number, settings: Settings, scope: AnalysisScope): void;
  /** Timeline of a frame for analysis `id` (new windows only after its first run); `cancel(job)` stops it. */
  timeline(id: number, job: number, args: TimelineArgs, host: AnalysisHost): Promise<Report>;
  cancel(job: number): void;
  /**
   * Keeps `report` and the frame of analysis `id`'s last timeline run as the last analysis for offline use
   * (IndexedDB), here where the frame is: storing a fleet's frame takes a thread for a second.
   */
  keep(id: number, origin: string, report: Report): Promise<void>;
  /**
   * Analysis `id` for live mode: the worker holds its data (the history read at a coarser step, which is then
   * the baseline, or null, and the live samples), so later updates send only new samples, packed by `table`.
   */
  openLive(
    id: number,
    settings: Settings,
    scope: AnalysisScope,
    history: MetricFrame | null,
    live: MetricFrame,
    table: SeriesId[],
  ): void;
  /** A live update of analysis `id` (opened by openLive): append, align, new windows, the model. */
  live(id: number, job: number, args: LiveArgs, host: AnalysisHost): Promise<LiveResult>;
  /** The window of analysis `id` (of `entity`) ending nearest to `key` (RecordingRunner.window). */
  window(id: number, key: number, entity?: string): RecordedWindow | undefined;
  /** Forgets analysis `id`: its state and recorded windows. */
  close(id: number): void;
}
