// The data the views show and its analysis through the one pipeline (src/lib/analysis): the frame, its
// aligned columns, the streamed timeline points and the Report. The pipeline runs in the analysis worker
// (alignment, every host's timeline, peers, the fleet report, and the timeline pool it sends windows to), so
// the page answers while a fleet is analysed. The worker records each window sent, so a selected window's
// cloud can be rebuilt. A live append computes only new windows.
import type { AlignedFrame, MetricFrame } from '../../lib/frame/types.ts';
import type { Report, TimelinePoint } from '../../lib/report/types.ts';
import type { AlignResult } from '../../lib/cloud/align.ts';
import type { TimelineProgress } from '../../lib/timeline/timeline.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';
import type { Settings } from '../../lib/analysis/index.ts';
import { AnalysisClient } from '../../workers/analysis/client.ts';
import type { LiveArgs, LiveResult } from '../../workers/analysis/api.ts';
import { GrowingAligned } from '../../lib/live/growing.ts';
import type { PackedSamples, SeriesTable } from '../../lib/live/packed.ts';
import type { RecordedWindow } from '../../workers/analysis/recording-runner.ts';
import { CancelledError } from './job.ts';
import { mark } from './marks.ts';
import type { PipelineScope } from './scope.ts';

const phaseLabel: Record<TimelineProgress['phase'], string> = {
  baseline: 'Learning the baseline',
  windows: 'Computing the timeline',
  attribution: 'Attributing anomalies',
};

/** The analysis shown, as a value: what a what-if keeps aside and restores. */
export interface AnalysisSnapshot {
  frame: MetricFrame | null;
  aligned: AlignedFrame | null;
  origin: string;
  report: Report | null;
  timelineReport: Report | null;
  points: TimelinePoint[];
  /**
   * The pipeline's state and the windows it recorded, in the worker under this id: live appends and window
   * selection go on from them.
   */
  analysis: number | null;
  settingsKey: string;
  /** Live mode's rows shown (null: not live), which the worker's next update extends. */
  growing: GrowingAligned | null;
}

export interface RunOptions {
  signal: AbortSignal;
  progress: (done: number, total: number, task?: string) => void;
  /** `frame` extends the analysed one (live mode): only new windows are computed. */
  incremental: boolean;
  /** `frame` already aligned (by the ingest worker), or null to align it in the pipeline. */
  aligned?: AlignResult | null;
  /** The first window sent to the pool of a new analysis, for an early preview of its topology. */
  onFirstWindow?: (config: WindowConfig, task: WindowTask) => void;
  /** The entity label and baseline period chosen in the app (defaults when absent). */
  scope?: PipelineScope;
}

export interface LiveRunOptions {
  signal: AbortSignal;
  progress: (done: number, total: number, task?: string) => void;
  /** The model's provider preference and column roles: it runs in the worker, next to the data. */
  predict: LiveArgs['predict'];
  scope?: PipelineScope;
}

export class AnalysisState {
  frame = $state.raw<MetricFrame | null>(null);
  /** The frame on its shared time grid, as the timeline saw it (the overview draws these columns). */
  aligned = $state.raw<AlignedFrame | null>(null);
  /** Where the current frame came from: a file name, `demo`, a Prometheus URL. */
  origin = $state('');
  /** The report with predictions (or the note saying why there are none). */
  report = $state.raw<Report | null>(null);
  /** The same report before predictions: re-predicting starts from it, so notes never pile up. */
  timelineReport = $state.raw<Report | null>(null);
  /** Timeline points as they stream in during a run (the report's once it is done). */
  points = $state.raw<TimelinePoint[]>([]);
  /**
   * Whether the overview draws the series (small multiples). Off from the start of an analysis until its
   * first diagram is shown: drawing 50 series is main-thread work that would delay it.
   */
  showSeries = $state(true);

  #worker: AnalysisClient | null = null;
  /** The analysis shown, by its id in the worker. */
  #analysis: number | null = null;
  /** Analyses kept in snapshots (a what-if's user data): not closed when another replaces them. */
  // Bookkeeping only: nothing is drawn from it, so it need not be reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #kept = new Set<number>();
  #settingsKey = '';
  /** Live mode: the aligned rows shown, extended by the rows each update changed. */
  #growing: GrowingAligned | null = null;

  /** Why the finished timeline has no windows (too little data), or null. */
  get pending(): string | null {
    const r = this.report;
    return r && r.timeline.length === 0 ? (r.analysis?.notes[0] ?? null) : null;
  }

  /** Whether there is an analysis that live appends can extend. */
  get extendable(): boolean {
    return this.frame !== null && this.#analysis !== null;
  }

  /** The worker the pipeline runs in, with its pool; started ahead of the first drop by prepareWorkers. */
  worker(): AnalysisClient {
    this.#worker ??= new AnalysisClient();
    return this.#worker;
  }

  /** Makes `id` the analysis shown, closing the one it replaces unless a snapshot keeps it. */
  #show(id: number | null): void {
    const old = this.#analysis;
    if (old !== null && old !== id && !this.#kept.has(old)) this.worker().close(old);
    this.#analysis = id;
  }

  /** The timeline of `frame` through the pipeline, streamed into `points`; returns the report without predictions. */
  async run(frame: MetricFrame, origin: string, settings: Settings, o: RunOptions): Promise<Report> {
    const worker = this.worker();
    const key = this.#keyOf(settings, o.scope);
    this.#growing = null;
    if (!o.incremental || this.#analysis === null || key !== this.#settingsKey) {
      this.#show(worker.open(settings, o.scope ?? {}));
      this.#settingsKey = key;
      this.points = [];
    }
    if (!o.incremental) {
      this.frame = frame;
      this.origin = origin;
      this.aligned = null;
      this.report = null;
      this.timelineReport = null;
      this.showSeries = false;
    }
    const { signal } = o;
    const streamed: TimelinePoint[] = o.incremental ? [...this.points] : [];
    let frameQueued = false;
    let aligned: AlignedFrame | null = null;
    const report = await worker.timeline(this.#analysis!, frame, {
      signal,
      origin,
      // A step typed by the user overrides the one the ingest worker detected when it aligned the frame.
      aligned: o.scope?.stepMs ? null : (o.aligned ?? null),
      onFirstWindow: o.incremental ? undefined : o.onFirstWindow,
      onAligned: (a) => {
        aligned = a;
        // A new analysis draws its series as soon as they are aligned; a live one keeps the old until done.
        if (!o.incremental) this.aligned = aligned;
        mark('aligned', 'imported');
      },
      onProgress: (p) => o.progress(p.done, p.total, phaseLabel[p.phase]),
      // A fleet's points come with its report; a single entity's stream in as they are computed.
      onPoints: (ps) => {
        streamed.push(...ps);
        // Redraw at most once per animation frame while points stream in.
        if (!frameQueued) {
          frameQueued = true;
          requestAnimationFrame(() => {
            frameQueued = false;
            if (!signal.aborted) this.points = streamed.slice();
          });
        }
      },
    });
    if (signal.aborted) throw new CancelledError();
    this.showSeries = true;
    this.frame = frame;
    this.origin = origin;
    this.aligned = aligned;
    this.points = report.timeline;
    this.timelineReport = report;
    this.report = report;
    return report;
  }

  /**
   * Live mode's first analysis (or a new one after a settings change): the worker keeps `history` (the
   * baseline, or null) and `live`, so later updates send only new samples (appendLive). `all`: the whole raw
   * frame, as the page keeps it for the model's column roles, what-if and saving.
   */
  async startLive(
    history: MetricFrame | null,
    live: MetricFrame,
    all: MetricFrame,
    origin: string,
    settings: Settings,
    o: LiveRunOptions & { table: SeriesTable },
  ): Promise<LiveResult> {
    this.#show(this.worker().openLive(settings, o.scope ?? {}, history, live, o.table.ids));
    this.#settingsKey = this.#keyOf(settings, o.scope);
    this.points = [];
    this.frame = all;
    this.origin = origin;
    this.aligned = null;
    this.report = null;
    this.timelineReport = null;
    this.#growing = null;
    return this.#live(null, all, origin, o);
  }

  /** Whether a live update with these settings extends the analysis shown (else startLive begins anew). */
  extendsLive(settings: Settings, scope?: PipelineScope): boolean {
    return this.#analysis !== null && this.#growing !== null && this.#keyOf(settings, scope) === this.#settingsKey;
  }

  /** Live mode: only `update`'s samples go to the worker; it computes the new windows and runs the model. */
  appendLive(update: PackedSamples, all: MetricFrame, o: LiveRunOptions): Promise<LiveResult> {
    return this.#live(update, all, this.origin, o);
  }

  async #live(update: PackedSamples | null, all: MetricFrame, origin: string, o: LiveRunOptions): Promise<LiveResult> {
    const { signal } = o;
    const out = await this.worker().live(
      this.#analysis!,
      { origin, update, predict: o.predict, save: true },
      {
        signal,
        origin,
        onProgress: (p) => o.progress(p.done, p.total, phaseLabel[p.phase]),
        onPoints: () => {},
      },
    );
    if (signal.aborted) throw new CancelledError();
    if ('whole' in out.aligned) this.#growing = new GrowingAligned(out.aligned.whole);
    else if (!this.#growing?.apply(out.aligned.tail)) throw new Error('the live rows sent do not fit those shown');
    this.showSeries = true;
    this.frame = all;
    this.origin = origin;
    this.aligned = this.#growing.frame;
    this.points = out.report.timeline;
    this.timelineReport = out.timelineReport;
    this.report = out.report;
    return out;
  }

  #keyOf(settings: Settings, scope?: PipelineScope): string {
    return JSON.stringify([settings, scope ?? {}]);
  }

  /** The analysis as a value; `keep`: it will be restored, so its state in the worker stays. */
  snapshot(keep = false): AnalysisSnapshot {
    if (keep && this.#analysis !== null) this.#kept.add(this.#analysis);
    return {
      frame: this.frame,
      aligned: this.aligned,
      origin: this.origin,
      report: this.report,
      timelineReport: this.timelineReport,
      points: this.points,
      analysis: this.#analysis,
      settingsKey: this.#settingsKey,
      growing: this.#growing,
    };
  }

  restore(s: AnalysisSnapshot): void {
    this.frame = s.frame;
    this.aligned = s.aligned;
    this.origin = s.origin;
    this.report = s.report;
    this.timelineReport = s.timelineReport;
    this.points = s.points;
    if (s.analysis !== null) this.#kept.delete(s.analysis);
    this.#show(s.analysis);
    this.#settingsKey = s.settingsKey;
    this.#growing = s.growing;
  }

  /** Forgets a snapshot that will not be restored: its analysis in the worker is closed. */
  release(s: AnalysisSnapshot): void {
    if (s.analysis === null || s.analysis === this.#analysis) return;
    this.#kept.delete(s.analysis);
    this.worker().close(s.analysis);
  }

  /** Leaves the current analysis (kept in a snapshot) for a new one whose windows are recorded apart, on the same pool. */
  detach(): void {
    this.#show(null);
  }

  /** Keeps the analysis shown (its frame and `report`) for offline use; the worker that holds the frame saves it. */
  keepForOffline(report: Report): Promise<void> {
    if (this.#analysis === null) return Promise.reject(new Error('there is no analysis to keep'));
    return this.worker().keep(this.#analysis, this.origin, report);
  }

  /** The recorded window of `entity` ending nearest to `key`, from the analysis shown. */
  async window(key: number, entity?: string): Promise<RecordedWindow | undefined> {
    return this.#analysis === null ? undefined : this.worker().window(this.#analysis, key, entity);
  }
}
