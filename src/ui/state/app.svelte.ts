// The app's state, one instance (`app`). Views read its fields; the sources (file drop, demo, Prometheus
// live mode) call analyzeFrame/appendFrame. Heavy steps run in workers: import, the timeline (a pool),
// the selected window's topology, predictions. "What if" injects a scenario into a copy of the user's data,
// shows that copy through the same views, and keeps the user's own analysis aside to go back to.
import type { AlignedFrame, MetricFrame } from '../../lib/frame/types.ts';
import type { PHResult } from '../../lib/tda/types.ts';
import type { DiagramSummaries } from '../../workers/engine/api.ts';
import type { Report, TimelinePoint } from '../../lib/report/types.ts';
import { alignFrame, type AlignResult } from '../../lib/cloud/align.ts';
import { AnomalyTimeline } from '../../lib/timeline/timeline.ts';
import { buildReport } from '../../lib/report/build.ts';
import { createEngineClient, type EngineClient } from '../../workers/engine/client.ts';
import { BrowserPool } from '../../workers/timeline/pool.ts';
import {
  demoInWorker,
  importFileInWorker,
  predictInWorker,
  prepareImporter,
  traceInWorker,
} from '../../workers/clients.ts';
import { injectScenario, type InjectSpec } from '../../lib/synth/inject.ts';
import type { ScenarioLabel } from '../../lib/synth/scenarios.ts';
import type { RiskPoint } from '../../lib/lnn/trace.ts';
import { compareWhatIf, traceRange, type WhatIfResult } from '../../lib/whatif/compare.ts';
import { exampleCloud } from './example-cloud.ts';
import { fmtTime } from '../charts/chart.ts';
import { CancelledError, describeError, isCancelled, type Progress } from './job.ts';
import { RecordingRunner } from './recording-runner.ts';
import { appendSamples } from '../../lib/frame/append.ts';
import { settings } from './settings.svelte.ts';
import type { Settings } from './settings.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';

type ProgressFn = (done: number, total: number, task?: string) => void;

const phaseLabel = {
  baseline: 'Learning the baseline',
  windows: 'Computing the timeline',
  attribution: 'Attributing anomalies',
} as const;

const EXAMPLE_LABEL = 'Example cloud: a noisy circle beside a blob';

export type Status = 'idle' | 'importing' | 'analyzing' | 'predicting' | 'ready' | 'error';

/** What-if mode: what was injected into which data, and the comparison once both analyses are in. */
export interface WhatIfMode {
  label: ScenarioLabel;
  /** Where the user's own data came from. */
  baseOrigin: string;
  /** Null while the injected copy is analysed and the model traced (or when that was cancelled or failed). */
  result: WhatIfResult | null;
  /** Milliseconds from the request to the comparison. */
  millis: number | null;
  /** Why the model could not be traced (the comparison then has the detector's side only), or null. */
  traceError: string | null;
}

/** The user's own analysis, kept aside while a what-if copy is shown. */
interface Saved {
  frame: MetricFrame;
  aligned: AlignedFrame | null;
  origin: string;
  report: Report;
  points: TimelinePoint[];
  pending: string | null;
  selectedWindow: number;
  detail: WindowDetail | null;
  zoom: [number, number] | null;
  executionProvider: string | null;
  epReason: string;
  predictionInfo: { model: string; millis: number } | null;
  predictionError: string | null;
  /** Its timeline and the windows it recorded: selecting a window after going back rebuilds that cloud. */
  runner: RecordingRunner | null;
  timeline: AnomalyTimeline | null;
  timelineSettings: string;
}

/** The selected window's cloud and its persistence, for the topology view. */
export interface WindowDetail {
  /** Index into report.timeline; -1 before there is a report (the example cloud, the first window's preview). */
  index: number;
  label: string;
  points: Float64Array;
  n: number;
  d: number;
  result: PHResult;
  summaries: DiagramSummaries;
  landmarked: boolean;
}

export class AppState {
  frame = $state.raw<MetricFrame | null>(null);
  /** The frame on its shared time grid, as the timeline saw it (the overview draws these columns). */
  aligned = $state.raw<AlignedFrame | null>(null);
  /** Where the current frame came from: a file name, `demo`, a Prometheus URL. */
  origin = $state('');
  report = $state.raw<Report | null>(null);
  /** Timeline points as they stream in during a run (the report's once it is done). */
  points = $state.raw<TimelinePoint[]>([]);
  /** Why the timeline has no windows yet (too little data), or null. */
  pending = $state<string | null>(null);
  /** Index into report.timeline of the window every view highlights; -1 = none. */
  selectedWindow = $state(-1);
  detail = $state.raw<WindowDetail | null>(null);
  /**
   * Whether the overview draws the series (small multiples). Off from the start of an analysis until its
   * first diagram is shown: drawing 50 series is main-thread work that would delay it.
   */
  showSeries = $state(true);
  /** Shared cursor over every time chart (epoch ms), and the zoomed time range. */
  cursor = $state<number | null>(null);
  zoom = $state.raw<[number, number] | null>(null);
  status = $state<Status>('idle');
  progress = $state<Progress | null>(null);
  /** A message for the user when the last action failed; says what to do. */
  error = $state<string | null>(null);
  /** Which onnxruntime execution provider ran the predictions (`webgpu` or `wasm`), and why. */
  executionProvider = $state<string | null>(null);
  epReason = $state('');
  /** Model name and inference time of the last prediction run. */
  predictionInfo = $state<{ model: string; millis: number } | null>(null);
  /** Why there are no predictions (no model, the model failed), or null. */
  predictionError = $state<string | null>(null);
  /** Set while the views show a copy of the user's data with a scenario injected; null = their own data. */
  whatIfMode = $state.raw<WhatIfMode | null>(null);

  /** The user's own analysis while in what-if mode: every what-if injects into it, never into a copy. */
  #saved = $state.raw<Saved | null>(null);
  #engine: EngineClient | null = null;
  #pool: BrowserPool | null = null;
  #runner: RecordingRunner | null = null;
  #timeline: AnomalyTimeline | null = null;
  #timelineSettings = '';
  #job: AbortController | null = null;
  /** The running task: how to start it again, and whether it has begun replacing what is shown. */
  #active: { restart?: () => Promise<void>; touched: boolean } | null = null;
  #detailJob = 0;

  get busy(): boolean {
    return this.progress !== null;
  }

  /** The user's own data and its finished analysis (what a what-if injects into), or null while there is none. */
  get ownData(): { frame: MetricFrame; report: Report; origin: string } | null {
    if (this.#saved) return this.#saved;
    return this.frame && this.report && !this.whatIfMode
      ? { frame: this.frame, report: this.report, origin: this.origin }
      : null;
  }

  /** Time of the selected window's end, or null. */
  get selectedTime(): number | null {
    const p = this.report?.timeline[this.selectedWindow];
    return p ? p.t : null;
  }

  /** The built-in demo: generated and analysed in workers when the page opens. */
  async loadDemo(keepError = false): Promise<void> {
    await this.#run(
      'Analysing the demo',
      async (signal, progress) => {
        const { frame } = await demoInWorker();
        if (signal.aborted) throw new CancelledError();
        await this.#update(frame, 'demo: 5 hosts, 24 h, 15 s', signal, progress, false);
      },
      () => this.loadDemo(true),
      keepError,
    );
  }

  /** A file the user dropped or picked: imported in a worker (streamed), then analysed. */
  async importFile(file: File): Promise<void> {
    mark('drop');
    await this.#run(`Importing ${file.name}`, async (signal, progress) => {
      this.status = 'importing';
      const { frame, aligned } = await importFileInWorker(file, (p) => progress(p.bytes, p.totalBytes), signal);
      mark('imported', 'drop');
      await this.#update(frame, file.name, signal, progress, false, aligned);
    });
  }

  /** Full analysis of a frame: timeline over all windows, report, predictions. */
  async analyzeFrame(frame: MetricFrame, origin: string, keepError = false): Promise<void> {
    await this.#run(
      `Analysing ${origin}`,
      (signal, progress) => this.#update(frame, origin, signal, progress, false),
      () => this.analyzeFrame(frame, origin, true),
      keepError,
    );
  }

  /** Live mode: `frame` holds only new samples; computes the new windows and updates views in place. */
  async appendFrame(frame: MetricFrame): Promise<void> {
    // New samples belong to the user's own data: a what-if copy is left for it.
    if (this.whatIfMode) this.leaveWhatIf();
    if (!this.frame || !this.#timeline) return this.analyzeFrame(frame, frame.meta.origin);
    const merged = appendSamples(this.frame, frame);
    await this.#run('Updating with new samples', (signal, progress) =>
      this.#update(merged, this.origin, signal, progress, true),
    );
  }

  /** Re-runs the analysis of the current frame after a settings change (only the model for an EP change). */
  async reanalyze(what: 'all' | 'predictions' = 'all'): Promise<void> {
    // Settings apply to the user's own data; a what-if is easily run again on top.
    if (this.whatIfMode) this.leaveWhatIf();
    const frame = this.frame;
    if (!frame) return;
    if (what === 'predictions' && this.report) {
      await this.#run('Predicting failures', (signal, progress) => this.#predict(frame, signal, progress));
      if (!this.error) this.status = 'ready';
    } else await this.analyzeFrame(frame, this.origin);
  }

  /** Topology of the built-in example cloud (shown while the first analysis runs). */
  async showExample(): Promise<void> {
    const { points, n, d } = exampleCloud();
    const w = await this.engine().cloudTopology(points, n, d, 1);
    if (this.detail) return; // real data arrived first
    this.detail = { index: -1, label: EXAMPLE_LABEL, ...w };
  }

  /** Selects a window by index; every view follows, and its topology is computed in the engine worker. */
  async selectWindow(index: number): Promise<void> {
    const timeline = this.report?.timeline ?? [];
    if (timeline.length === 0) return;
    const i = Math.max(0, Math.min(timeline.length - 1, index));
    this.selectedWindow = i;
    const key = timeline[i].t;
    const task = this.#runner?.task(key);
    const config = this.#runner?.config;
    if (!task || !config) return;
    const ticket = ++this.#detailJob;
    try {
      const w = await this.engine().windowTopology(config, task);
      if (ticket !== this.#detailJob) return; // a newer selection won
      this.detail = { index: i, label: windowLabel(key, w), ...w };
    } catch (e) {
      if (ticket === this.#detailJob) this.error = describeError(e);
    }
  }

  /** Selects the window nearest to time `t`. */
  selectTime(t: number): Promise<void> {
    const tl = this.report?.timeline ?? [];
    let best = -1;
    let bestD = Infinity;
    tl.forEach((p, i) => {
      const d = Math.abs(p.t - t);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return best >= 0 ? this.selectWindow(best) : Promise.resolve();
  }

  cancel(): void {
    this.#job?.abort();
  }

  /**
   * Injects a scenario into the user's own data (never into an earlier what-if copy), analyses the copy
   * through the same path as any data (timeline, topology, predictions), then traces the model for the
   * injected host on both versions and compares. A spec the injector refuses becomes the error message.
   */
  async whatIf(spec: InjectSpec): Promise<void> {
    const own = this.ownData;
    if (!own || (this.busy && !this.#saved)) {
      this.error = 'Wait for the analysis of your data to finish, then run the what-if.';
      return;
    }
    const { start, end } = own.report.input;
    if (!(spec.onset >= start && spec.onset < end)) {
      this.error = `The onset must fall inside your data (${fmtTime(start)} to ${fmtTime(end)}).`;
      return;
    }
    let injected: ReturnType<typeof injectScenario>;
    try {
      injected = injectScenario(own.frame, spec);
    } catch (e) {
      this.error = `What-if not run: ${describeError(e)}.`;
      return;
    }
    const { label } = injected;
    const origin = `what-if: ${label.scenario} on ${label.instance} (${own.origin})`;
    const preference = settings.value.ep;
    mark('whatif');
    const started = performance.now();
    await this.#run(`What-if: ${label.scenario} on ${label.instance}`, async (signal, progress) => {
      this.#setAside();
      this.whatIfMode = { label, baseOrigin: own.origin, result: null, millis: null, traceError: null };
      await this.#update(injected.frame, origin, signal, progress, false, null, true);
      const after = this.report!;
      mark('whatif-analysed', 'whatif');
      this.status = 'predicting';
      progress(0, 0, `Tracing the model on ${label.instance}`);
      const range = traceRange(label, after.input.start, after.input.end);
      let before: RiskPoint[] = [];
      let traced: RiskPoint[] = [];
      let traceError: string | null = null;
      try {
        before = await traceInWorker(own.frame, label.instance, range, preference, signal);
        traced = await traceInWorker(injected.frame, label.instance, range, preference, signal);
      } catch (e) {
        // Without the model the detector's side still stands; the sentence says the model has no prediction.
        if (isCancelled(e) || signal.aborted) throw new CancelledError();
        traceError = describeError(e);
      }
      if (signal.aborted) throw new CancelledError();
      const result = compareWhatIf(label, own.report, after, before, traced);
      this.whatIfMode = { label, baseOrigin: own.origin, result, millis: performance.now() - started, traceError };
      mark('whatif-traced', 'whatif-analysed');
      mark('whatif-compared', 'whatif');
      this.status = 'ready';
    });
  }

  /** Back to the user's own data and its analysis, as it was before the first what-if. */
  leaveWhatIf(): void {
    const saved = this.#saved;
    if (!saved) {
      this.whatIfMode = null;
      return;
    }
    // A what-if still running is dropped at once: its task no longer owns the progress bar or the views.
    this.#job?.abort();
    this.#job = null;
    this.#active = null;
    this.progress = null;
    this.#detailJob++; // a topology still being computed for the what-if copy must not land
    this.#runner = saved.runner;
    this.#timeline = saved.timeline;
    this.#timelineSettings = saved.timelineSettings;
    this.frame = saved.frame;
    this.aligned = saved.aligned;
    this.origin = saved.origin;
    this.report = saved.report;
    this.points = saved.points;
    this.pending = saved.pending;
    this.selectedWindow = saved.selectedWindow;
    this.detail = saved.detail;
    this.zoom = saved.zoom;
    this.cursor = null;
    this.executionProvider = saved.executionProvider;
    this.epReason = saved.epReason;
    this.predictionInfo = saved.predictionInfo;
    this.predictionError = saved.predictionError;
    this.#saved = null;
    this.whatIfMode = null;
    this.status = 'ready';
  }

  /** Keeps the user's own analysis aside (once: a second what-if leaves it there) with its timeline. */
  #setAside(): void {
    if (this.#saved || !this.frame || !this.report) return;
    this.#saved = {
      frame: this.frame,
      aligned: this.aligned,
      origin: this.origin,
      report: this.report,
      points: this.points,
      pending: this.pending,
      selectedWindow: this.selectedWindow,
      detail: this.detail,
      zoom: this.zoom,
      executionProvider: this.executionProvider,
      epReason: this.epReason,
      predictionInfo: this.predictionInfo,
      predictionError: this.predictionError,
      runner: this.#runner,
      timeline: this.#timeline,
      timelineSettings: this.#timelineSettings,
    };
    // The copy's windows are recorded by a runner of their own, on the same pool.
    this.#pool ??= new BrowserPool();
    this.#runner = new RecordingRunner(this.#pool);
    this.#timeline = null;
  }

  dismissError(): void {
    this.error = null;
  }

  engine(): EngineClient {
    this.#engine ??= createEngineClient();
    return this.#engine;
  }

  /** Starts the workers a drop needs (engine, timeline pool, importer) while the page is idle. */
  prepareWorkers(): void {
    this.engine();
    this.runner();
    prepareImporter();
  }

  /**
   * The first window of a new analysis, drawn as soon as it is sent to the pool: the engine worker computes
   * it (well under a millisecond of WebAssembly) while the pool works through the timeline.
   */
  async #preview(config: WindowConfig, task: WindowTask, signal: AbortSignal): Promise<void> {
    const ticket = this.#detailJob;
    try {
      const w = await this.engine().windowTopology(config, task);
      // a selection (or the finished report's) replaced it, or the analysis was cancelled
      if (ticket !== this.#detailJob || signal.aborted) return;
      this.detail = { index: -1, label: windowLabel(task.key, w), ...w };
      mark('first-diagram', 'drop');
      // Let the diagram paint before the series are drawn.
      requestAnimationFrame(() => setTimeout(() => (this.showSeries = true)));
    } catch {
      // only a preview: the timeline reports its own errors, and the selection after it recomputes this window
      this.showSeries = true;
    }
  }

  async #update(
    frame: MetricFrame,
    origin: string,
    signal: AbortSignal,
    progress: ProgressFn,
    incremental: boolean,
    /** `frame` already aligned (by the ingest worker), or null to align it here. */
    prealigned: AlignResult | null = null,
    /** A what-if copy of the user's data; any other new data ends what-if mode. */
    whatIf = false,
  ): Promise<void> {
    if (this.#active) this.#active.touched = true;
    if (!incremental && !whatIf) {
      this.whatIfMode = null;
      this.#saved = null;
    }
    this.status = 'analyzing';
    const s = settings.value;
    const key = JSON.stringify([s.window, s.stride, s.cloud, s.maxDim, s.normalise, s.threshold]);
    if (!incremental || !this.#timeline || key !== this.#timelineSettings) {
      this.#runner?.clear();
      this.#timeline = new AnomalyTimeline(this.runner(), timelineOptions(s));
      this.#timelineSettings = key;
      this.points = [];
    }
    const { frame: aligned, rateColumns } = prealigned ?? alignFrame(frame);
    mark('aligned', 'imported');
    if (!incremental) {
      this.status = 'analyzing';
      this.frame = frame;
      this.origin = origin;
      this.aligned = aligned;
      this.report = null;
      this.selectedWindow = -1;
      this.zoom = null;
      // The old analysis's window goes (the example cloud stays); the new one's first window replaces it
      // as soon as it is computed.
      if (this.detail?.label !== EXAMPLE_LABEL) this.detail = null;
      this.#detailJob++;
      this.showSeries = false;
      this.runner().onFirstWindow = (config, task) => {
        mark('first-window', 'aligned');
        void this.#preview(config, task, signal);
      };
    }
    // In live mode a user watching the newest window keeps watching the newest one.
    const followLatest = incremental && this.selectedWindow === (this.report?.timeline.length ?? 0) - 1;
    const streamed: TimelinePoint[] = incremental ? [...this.points] : [];
    let frameQueued = false;
    const out = await this.#timeline.update(aligned, {
      signal,
      onProgress: (p) => progress(p.done, p.total, phaseLabel[p.phase]),
      onPoint: (p) => {
        streamed.push(p);
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
    mark('timeline', 'aligned');
    this.showSeries = true;
    this.frame = frame;
    this.origin = origin;
    this.aligned = aligned;
    this.pending = out.pending;
    this.points = out.points;
    this.report = buildReport({
      frame: { ...frame, meta: { ...frame.meta, origin } },
      aligned,
      timeline: out,
      predictions: [],
      rateColumns,
    });
    if (!incremental || this.selectedWindow < 0) void this.selectWindow(defaultSelection(this.report));
    else if (followLatest) void this.selectWindow(this.report.timeline.length - 1);
    mark('report', 'timeline');
    await this.#predict(frame, signal, progress);
    mark('predictions', 'report');
    this.status = 'ready';
  }

  /** Failure predictions per host. Their failure leaves the topology results standing, with a message. */
  async #predict(frame: MetricFrame, signal: AbortSignal, progress: ProgressFn): Promise<void> {
    this.status = 'predicting';
    this.executionProvider = null;
    progress(0, 0, 'Predicting failures');
    try {
      const run = await predictInWorker(frame, settings.value.ep, signal);
      if (signal.aborted) throw new CancelledError();
      this.executionProvider = run.ep;
      this.epReason = run.reason;
      this.predictionInfo = { model: run.model, millis: run.millis };
      this.predictionError = null;
      if (this.report) this.report = { ...this.report, predictions: run.predictions };
    } catch (e) {
      if (isCancelled(e)) throw e;
      this.predictionError = describeError(e);
      if (this.report) {
        const analysis = this.report.analysis;
        const note = `no failure predictions: ${this.predictionError}`;
        this.report = {
          ...this.report,
          analysis: analysis ? { ...analysis, notes: [...analysis.notes, note] } : analysis,
        };
      }
    }
  }

  runner(): RecordingRunner {
    this.#pool ??= new BrowserPool();
    this.#runner ??= new RecordingRunner(this.#pool);
    return this.#runner;
  }

  /** Runs one long task: cancels the previous one, tracks progress, turns failures into a message. */
  async #run(
    task: string,
    fn: (signal: AbortSignal, progress: ProgressFn) => Promise<void>,
    restart?: () => Promise<void>,
    keepError = false,
  ) {
    // An analysis this task interrupts is resumed if the task fails before replacing it (a broken file
    // must not cost the user the analysis they were waiting for).
    const interrupted = this.#job ? this.#active : null;
    this.#job?.abort();
    const job = new AbortController();
    this.#job = job;
    this.#active = { restart, touched: false };
    const active = this.#active;
    if (!keepError) this.error = null;
    this.progress = { task, done: 0, total: 0 };
    const progress: ProgressFn = (done, total, label) => {
      if (this.#job === job) this.progress = { task: label ?? this.progress?.task ?? task, done, total };
    };
    try {
      await fn(job.signal, progress);
      if (job.signal.aborted) throw new CancelledError();
    } catch (e) {
      if (this.#job !== job) return; // superseded by a newer task
      if (isCancelled(e)) {
        this.status = this.report ? 'ready' : 'idle';
      } else {
        this.error = describeError(e);
        this.status = 'error';
        if (!active.touched && interrupted?.restart) queueMicrotask(() => void interrupted.restart?.());
      }
    } finally {
      if (this.#job === job) {
        this.#job = null;
        this.progress = null;
        this.showSeries = true;
      }
    }
  }
}

/**
 * A performance mark `aura:<name>` (and a measure from `aura:<from>`), read by bench/budget.bench.ts and
 * visible in a browser's performance panel. Cheap enough to leave in.
 */
function mark(name: string, from?: string): void {
  performance.mark(`aura:${name}`);
  if (from && performance.getEntriesByName(`aura:${from}`, 'mark').length > 0) {
    performance.measure(`aura:${from}→${name}`, `aura:${from}`, `aura:${name}`);
  }
}

function windowLabel(key: number, w: { n: number; d: number; dropped: number }): string {
  const when = fmtTime(key).slice(0, 19);
  return `Window ending ${when} UTC · ${w.n} points in ${w.d} dimensions${w.dropped ? ` · ${w.dropped} rows with gaps left out` : ''}`;
}

function timelineOptions(s: Settings) {
  return {
    window: s.window,
    stride: s.stride,
    cloud: s.cloud === 'auto' ? undefined : s.cloud,
    maxDim: s.maxDim,
    normalise: s.normalise,
    threshold: s.threshold,
  };
}

/** The window to show first: the peak of the strongest anomaly span, else the latest window. */
function defaultSelection(r: Report): number {
  const tl = r.timeline;
  if (tl.length === 0) return -1;
  const strongest = [...r.anomalies].sort((a, b) => b.peak - a.peak)[0];
  if (strongest) {
    let best = tl.length - 1;
    tl.forEach((p, i) => {
      if (p.t >= strongest.start && p.t <= strongest.end && p.score >= tl[best].score) best = i;
    });
    return best;
  }
  return tl.length - 1;
}

export const app = new AppState();
