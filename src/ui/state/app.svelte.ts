// The app's state, one instance (`app`): a thin facade over small rune classes, each with one job: the data
// shown and its analysis (analysis.svelte.ts), the running task (job.svelte.ts), what the user looks at
// (selection.svelte.ts), the model's run (predictions.svelte.ts) and what-if mode (whatif.svelte.ts).
// The sources (file drop, demo, Prometheus live mode) call the actions here; views read the parts.
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { Report } from '../../lib/report/types.ts';
import type { AlignResult } from '../../lib/cloud/align.ts';
import type { RiskPoint } from '../../lib/lnn/trace.ts';
import type { PredictionRun } from '../../lib/analysis/analyse.ts';
import { createEngineClient, type EngineClient } from '../../workers/engine/client.ts';
import { demoInWorker, importFileInWorker, prepareImporter, traceInWorker } from '../../workers/clients.ts';
import { injectScenario, type InjectSpec } from '../../lib/synth/inject.ts';
import { compareWhatIf, traceRange } from '../../lib/whatif/compare.ts';
import { fmtTime } from '../charts/chart.ts';
import { CancelledError, describeError, isCancelled } from './job.ts';
import { JobState, type ProgressFn } from './job.svelte.ts';
import { AnalysisState } from './analysis.svelte.ts';
import { SelectionState } from './selection.svelte.ts';
import { PredictionState } from './predictions.svelte.ts';
import { WhatIfState, type OwnData } from './whatif.svelte.ts';
import { appendSamples } from '../../lib/frame/append.ts';
import { GrowingFrame } from '../../lib/live/growing.ts';
import { unpack, type PackedSamples, type SeriesTable } from '../../lib/live/packed.ts';
import { frameTimeRange } from '../../lib/frame/stats.ts';
import { mark } from './marks.ts';
import { settings } from './settings.svelte.ts';
import { analysisSettings } from './settings.ts';
import { analysisScope } from './scope.ts';

export type { Status } from './job.svelte.ts';
export type { WindowDetail } from './selection.svelte.ts';
export type { WhatIfMode } from './whatif.svelte.ts';

interface AnalyseOptions {
  incremental?: boolean;
  /** `frame` already aligned (by the ingest worker). */
  aligned?: AlignResult | null;
  /** A what-if copy of the user's data; any other new data ends what-if mode. */
  whatIf?: boolean;
  /** A reference period taken as normal, over the URL's (live mode's history). */
  baseline?: { from: number; to: number };
}

interface LiveSource {
  origin: string;
  history: MetricFrame | null;
  all: GrowingFrame;
  /** The series by index, as live updates (packed samples) name them. */
  table: SeriesTable;
}

export class AppState {
  readonly analysis = new AnalysisState();
  readonly job = new JobState(
    () => this.analysis.report !== null,
    () => (this.analysis.showSeries = true),
  );
  readonly selection = new SelectionState({
    report: () => this.analysis.report,
    window: (key, entity) => this.analysis.window(key, entity),
    engine: () => this.engine(),
    fail: (message) => (this.job.error = message),
  });
  readonly predictions = new PredictionState();
  readonly whatif = new WhatIfState();
  #engine: EngineClient | null = null;
  /**
   * Live mode: the source, the history read at a coarser step (the baseline; null: none), and the history and
   * live samples together, appended to in place. The worker holds its own copy; updates send it only new samples.
   */
  #live: LiveSource | null = null;
  /**
   * A second file taken as the baseline (normal operation) of the files analysed, as `aura analyze
   * --baseline-file` does: its samples go before the data's, and its time span is the baseline period.
   */
  baselineFile = $state.raw<{ name: string; frame: MetricFrame; from: number; to: number } | null>(null);

  // What is shown, read by most views.
  get frame(): MetricFrame | null {
    return this.analysis.frame;
  }
  get origin(): string {
    return this.analysis.origin;
  }
  get report(): Report | null {
    return this.analysis.report;
  }

  /** Whether live data is shown: the analysis worker keeps it for offline use, not the page's autosave. */
  get live(): boolean {
    return this.#liveShown() !== null;
  }

  /** The user's own data and its finished analysis (what a what-if injects into), or null while there is none. */
  get ownData(): OwnData | null {
    return this.whatif.ownData(this.analysis.snapshot());
  }

  /** The built-in demo: generated and analysed in workers when the page opens. */
  async loadDemo(keepError = false): Promise<void> {
    this.#live = null;
    await this.job.run(
      'Analysing the demo',
      async (signal, progress) => {
        const { frame } = await demoInWorker();
        if (signal.aborted) throw new CancelledError();
        await this.#analyse(frame, 'demo: 5 hosts, 24 h, 15 s', signal, progress);
      },
      () => this.loadDemo(true),
      keepError,
    );
  }

  /** A file the user dropped or picked: imported (and aligned) in a worker, streamed, then analysed. */
  async importFile(file: File): Promise<void> {
    mark('drop');
    this.#live = null;
    await this.job.run(`Importing ${file.name}`, async (signal, progress) => {
      this.job.status = 'importing';
      const { frame, aligned } = await importFileInWorker(file, (p) => progress(p.bytes, p.totalBytes), signal);
      mark('imported', 'drop');
      await this.#analyse(frame, file.name, signal, progress, { aligned });
    });
  }

  /** Full analysis of a frame: timeline over all windows, report, predictions. */
  async analyzeFrame(frame: MetricFrame, origin: string, keepError = false): Promise<void> {
    this.#live = null;
    await this.job.run(
      `Analysing ${origin}`,
      (signal, progress) => this.#analyse(frame, origin, signal, progress),
      () => this.analyzeFrame(frame, origin, true),
      keepError,
    );
  }

  /**
   * Live mode's first read, after `history` (read at a coarser step; null or empty: none): the history is the
   * baseline, each part on its own time grid (src/lib/live/baseline.ts). The analysis worker keeps the data.
   */
  async startLive(frame: MetricFrame, origin: string, history: MetricFrame | null, table: SeriesTable): Promise<void> {
    const kept = history && history.series.length > 0 ? history : null;
    const all = new GrowingFrame(kept ?? frame);
    if (kept) all.append(frame);
    this.#live = { origin, history: kept, all, table };
    await this.job.run(`Analysing ${origin}`, (signal, progress) => this.#analyseLive(null, signal, progress, frame));
  }

  /** The history and the live samples of the live source shown (another tab starts from them), or null. */
  liveParts(): { history: MetricFrame | null; live: MetricFrame } | null {
    const live = this.#liveShown();
    return live ? { history: live.history, live: liveSamples(live.all.frame, live.history) } : null;
  }

  /** The live source, when that is what is shown. */
  #liveShown(): LiveSource | null {
    return this.#live && this.#live.origin === this.analysis.origin && !this.whatif.mode ? this.#live : null;
  }

  /**
   * Live mode: `update` holds only new samples, packed by `table`'s series (which has taken it in); the worker
   * computes the new windows, and views update in place.
   */
  async appendFrame(update: PackedSamples, table: SeriesTable): Promise<void> {
    // New samples belong to the user's own data: a what-if copy is left for it.
    if (this.whatif.mode) this.leaveWhatIf();
    if (!this.#liveShown() || !this.analysis.extendable)
      return this.startLive(unpack(update, table), update.meta.origin, null, table);
    await this.job.run('Updating with new samples', (signal, progress) => this.#analyseLive(update, signal, progress));
  }

  /**
   * Live data through the pipeline in the analysis worker: `update` (new samples) extends the analysis shown;
   * null, or new settings, starts a new one over the data kept (`first`: the live samples of the first read).
   * Only new samples go to the worker, and only the rows that changed come back, with the Report and the
   * model's predictions (run there too): a 1,000-host update leaves the page's thread free.
   */
  async #analyseLive(
    update: PackedSamples | null,
    signal: AbortSignal,
    progress: ProgressFn,
    first?: MetricFrame,
  ): Promise<void> {
    const live = this.#live!;
    const origin = live.origin;
    const s = analysisSettings(settings.value);
    const scope = analysisScope(settings.value);
    if (update) live.all.appendPacked(update, live.table);
    const all = live.all.frame;
    const o = {
      signal,
      progress,
      scope,
      predict: { preference: settings.value.ep, roles: this.predictions.roles(all) },
    };
    this.job.touch();
    this.job.status = 'analyzing';
    if (update && this.analysis.extendsLive(s, scope)) {
      // A user watching the newest window keeps watching the newest one.
      const latest = (this.analysis.report?.timeline.length ?? 0) - 1;
      const followLatest = this.selection.selectedWindow === latest;
      const out = await this.analysis.appendLive(update, all, o);
      if (this.selection.selectedWindow < 0) void this.selection.selectDefault(out.report);
      else if (followLatest) void this.selection.select(out.report.timeline.length - 1);
      this.#adoptRun(out.run, out.predictError);
    } else {
      const dropped = this.whatif.leave();
      if (dropped) this.analysis.release(dropped.data);
      this.selection.reset();
      const samples = first ?? liveSamples(all, live.history);
      const out = await this.analysis.startLive(live.history, samples, all, origin, s, { ...o, table: live.table });
      void this.selection.selectDefault(out.report);
      this.#adoptRun(out.run, out.predictError);
    }
    this.job.status = 'ready';
  }

  /** The model's run in the worker, as the Predictions panel shows it. */
  #adoptRun(run: PredictionRun | null, error: string | null): void {
    if (run) {
      this.predictions.ep = run.ep ?? null;
      this.predictions.reason = run.reason ?? '';
      this.predictions.info = { model: run.model ?? '', millis: run.millis ?? 0 };
    }
    this.predictions.error = error;
  }

  /** Imports `file` (in the ingest worker) as the baseline file, then re-analyses the data with it. */
  async setBaselineFile(file: File): Promise<void> {
    const data = this.#ownFrame();
    await this.job.run(`Importing ${file.name} as the baseline`, async (signal, progress) => {
      this.job.status = 'importing';
      const { frame } = await importFileInWorker(file, (p) => progress(p.bytes, p.totalBytes), signal);
      const range = frameTimeRange(frame);
      if (!range) throw new Error(`${file.name} holds no samples, so it cannot be the baseline`);
      // The demo is not the user's data: the file waits for theirs.
      const own = data && !this.analysis.origin.startsWith('demo') ? data : null;
      const start = own ? frameTimeRange(own)?.[0] : undefined;
      if (start !== undefined && range[1] >= start)
        throw new Error(
          `the baseline file must end before the data starts (${fmtTime(start)}); ${file.name} ends ${fmtTime(range[1])}`,
        );
      this.baselineFile = { name: file.name, frame, from: range[0], to: range[1] };
      if (own) await this.#analyse(own, this.analysis.origin, signal, progress);
      else this.job.status = 'ready';
    });
  }

  /** Drops the baseline file; the data is analysed again on the baseline in the settings (or the default). */
  async clearBaselineFile(): Promise<void> {
    const data = this.#ownFrame();
    const shown = this.baselineFile !== null && !this.analysis.origin.startsWith('demo');
    this.baselineFile = null;
    if (data && shown) await this.analyzeFrame(data, this.analysis.origin);
  }

  /** The frame shown without the baseline file's samples (the data the user gave). */
  #ownFrame(): MetricFrame | null {
    const frame = this.analysis.frame;
    const b = this.baselineFile;
    if (!frame || !b) return frame;
    return {
      ...frame,
      series: frame.series
        .map((s) => {
          let i = 0;
          while (i < s.timestamps.length && s.timestamps[i] <= b.to) i++;
          return { ...s, timestamps: s.timestamps.subarray(i), values: s.values.subarray(i) };
        })
        .filter((s) => s.timestamps.length > 0),
    };
  }

  /** Re-runs the analysis of the current frame after a settings change (only the model for an EP change). */
  async reanalyze(what: 'all' | 'predictions' = 'all'): Promise<void> {
    // Settings apply to the user's own data; a what-if is easily run again on top.
    if (this.whatif.mode) this.leaveWhatIf();
    const frame = this.analysis.frame;
    if (!frame) return;
    const live = this.#liveShown();
    if (what === 'predictions' && this.analysis.timelineReport) {
      await this.job.run('Predicting failures', (signal, progress) => this.#predict(frame, signal, progress));
      if (!this.job.error) this.job.status = 'ready';
    } else if (live) {
      // Live data (with its history) is analysed anew in the worker, keeping both grids and the baseline.
      await this.job.run(`Analysing ${live.origin}`, (signal, progress) => this.#analyseLive(null, signal, progress));
    } else await this.analyzeFrame(frame, this.analysis.origin);
  }

  /** Topology of the built-in example cloud (shown while the first analysis runs). */
  showExample(): Promise<void> {
    return this.selection.showExample();
  }

  /**
   * Injects a scenario into the user's own data (never into an earlier what-if copy), analyses the copy
   * through the same path as any data (timeline, topology, predictions), then traces the model for the
   * injected host on both versions and compares. A spec the injector refuses becomes the error message.
   */
  async whatIf(spec: InjectSpec): Promise<void> {
    const own = this.ownData;
    if (!own || (this.job.busy && !this.whatif.active)) {
      this.job.error = 'Wait for the analysis of your data to finish, then run the what-if.';
      return;
    }
    const { start, end } = own.report.input;
    if (!(spec.onset >= start && spec.onset < end)) {
      this.job.error = `The onset must fall inside your data (${fmtTime(start)} to ${fmtTime(end)}).`;
      return;
    }
    // The user's column mapping says what unnamed columns are, to the injector as to the model.
    const roles = this.predictions.roles(own.frame);
    let injected: ReturnType<typeof injectScenario>;
    try {
      injected = injectScenario(own.frame, { ...spec, roles });
    } catch (e) {
      this.job.error = `What-if not run: ${describeError(e)}.`;
      return;
    }
    const { label } = injected;
    const origin = `what-if: ${label.scenario} on ${label.instance} (${own.origin})`;
    const preference = settings.value.ep;
    mark('whatif');
    const started = performance.now();
    await this.job.run(`What-if: ${label.scenario} on ${label.instance}`, async (signal, progress) => {
      this.whatif.keep(() => ({
        data: this.analysis.snapshot(true),
        selection: this.selection.snapshot(),
        predictions: this.predictions.snapshot(),
      }));
      // The copy's windows are recorded apart, on the same pool.
      this.analysis.detach();
      this.whatif.mode = { label, baseOrigin: own.origin, result: null, millis: null, traceError: null };
      await this.#analyse(injected.frame, origin, signal, progress, { whatIf: true });
      const after = this.analysis.report!;
      mark('whatif-analysed', 'whatif');
      this.job.status = 'predicting';
      progress(0, 0, `Tracing the model on ${label.instance}`);
      const range = traceRange(label, after.input.start, after.input.end);
      let before: RiskPoint[] = [];
      let traced: RiskPoint[] = [];
      let traceError: string | null = null;
      try {
        before = await traceInWorker(own.frame, label.instance, range, preference, signal, roles);
        traced = await traceInWorker(injected.frame, label.instance, range, preference, signal, roles);
      } catch (e) {
        // Without the model the detector's side still stands; the sentence says the model has no prediction.
        if (isCancelled(e) || signal.aborted) throw new CancelledError();
        traceError = describeError(e);
      }
      if (signal.aborted) throw new CancelledError();
      const result = compareWhatIf(label, own.report, after, before, traced);
      this.whatif.mode = { label, baseOrigin: own.origin, result, millis: performance.now() - started, traceError };
      mark('whatif-traced', 'whatif-analysed');
      mark('whatif-compared', 'whatif');
      this.job.status = 'ready';
    });
  }

  /** Back to the user's own data and its analysis, as it was before the first what-if. */
  leaveWhatIf(): void {
    const own = this.whatif.leave();
    if (!own) return;
    // A what-if still running is dropped at once: its task no longer owns the progress bar or the views.
    this.job.drop();
    this.analysis.restore(own.data);
    this.selection.restore(own.selection);
    this.predictions.restore(own.predictions);
    this.job.status = 'ready';
  }

  engine(): EngineClient {
    this.#engine ??= createEngineClient();
    return this.#engine;
  }

  /** Starts the workers a drop needs (engine, timeline pool, analysis, importer) while the page is idle. */
  prepareWorkers(): void {
    this.engine();
    this.analysis.worker();
    prepareImporter();
  }

  /** A frame through the pipeline: timeline (streamed), report, default selection, predictions. */
  async #analyse(
    frame: MetricFrame,
    origin: string,
    signal: AbortSignal,
    progress: ProgressFn,
    o: AnalyseOptions = {},
  ): Promise<void> {
    const incremental = o.incremental ?? false;
    // A baseline file goes before the data (what-if copies already hold it), and its span is the baseline.
    const bf = this.baselineFile;
    if (bf && !o.baseline && !this.#live && !origin.startsWith('demo')) {
      const start = frameTimeRange(frame)?.[0] ?? Infinity;
      if (start > bf.to) {
        frame = appendSamples(bf.frame, frame);
        o = { ...o, aligned: null };
      } else if (start > bf.from)
        throw new Error(
          `the baseline file ${bf.name} (${fmtTime(bf.from)} to ${fmtTime(bf.to)}) must end before the data starts (${fmtTime(start)}); remove it under Settings or choose another`,
        );
      o = { ...o, baseline: { from: bf.from, to: bf.to } };
    }
    this.job.touch();
    if (!incremental && !o.whatIf) {
      // New data ends what-if mode; the user's analysis kept aside for it is not coming back.
      const dropped = this.whatif.leave();
      if (dropped) this.analysis.release(dropped.data);
    }
    this.job.status = 'analyzing';
    if (!incremental) this.selection.reset();
    // In live mode a user watching the newest window keeps watching the newest one.
    const latest = (this.analysis.report?.timeline.length ?? 0) - 1;
    const followLatest = incremental && this.selection.selectedWindow === latest;
    const report = await this.analysis.run(frame, origin, analysisSettings(settings.value), {
      signal,
      progress,
      incremental,
      aligned: o.aligned,
      scope: { ...analysisScope(settings.value), ...(o.baseline ? { baseline: o.baseline } : {}) },
      onFirstWindow: (config, task) => {
        mark('first-window', 'aligned');
        this.selection.preview(config, task, signal).then(
          (shown) => {
            if (!shown) return;
            mark('first-diagram', 'drop');
            // Let the diagram paint before the series are drawn.
            requestAnimationFrame(() => setTimeout(() => (this.analysis.showSeries = true)));
          },
          // only a preview: the timeline reports its own errors, and the selection after it recomputes it
          () => (this.analysis.showSeries = true),
        );
      },
    });
    mark('timeline', 'aligned');
    if (!incremental || this.selection.selectedWindow < 0) void this.selection.selectDefault(report);
    else if (followLatest) void this.selection.select(report.timeline.length - 1);
    mark('report', 'timeline');
    await this.#predict(frame, signal, progress);
    mark('predictions', 'report');
    this.job.status = 'ready';
  }

  /** Failure predictions per host. Their failure leaves the topology results standing, with a note. */
  async #predict(frame: MetricFrame, signal: AbortSignal, progress: ProgressFn): Promise<void> {
    const base = this.analysis.timelineReport;
    if (!base) return;
    this.job.status = 'predicting';
    progress(0, 0, 'Predicting failures');
    this.analysis.report = await this.predictions.apply(base, frame, signal);
  }
}

/** The live samples of `all`: each series' samples after the history's last (all of them without a history). */
function liveSamples(all: MetricFrame, history: MetricFrame | null): MetricFrame {
  if (!history) return all;
  const range = frameTimeRange(history);
  if (!range) return all;
  return {
    ...all,
    series: all.series
      .map((s) => {
        let i = 0;
        while (i < s.timestamps.length && s.timestamps[i] <= range[1]) i++;
        return { ...s, timestamps: s.timestamps.subarray(i), values: s.values.subarray(i) };
      })
      .filter((s) => s.timestamps.length > 0),
  };
}

export const app = new AppState();
