// The one analysis pipeline: align → anomaly timeline → report → failure predictions. The CLI commands,
// the app and the exporter are hosts over it: they choose a window runner (in-process, a worker pool) and a
// predictor (the model in-process, in a Web Worker, or none) and render the Report it returns.
import { seriesKey, type MetricFrame } from '../frame/types.ts';
import { forEachLimited } from '../limit.ts';
import { errorLine } from '../text/quote.ts';
import type { Prediction, Report, TimelinePoint } from '../report/types.ts';
import { alignFrame, type AlignResult } from '../cloud/align.ts';
import {
  AnomalyTimeline,
  type TimelineOptions,
  type TimelineOutput,
  type TimelineProgress,
} from '../timeline/timeline.ts';
import type { WindowRunner } from '../timeline/runner.ts';
import { buildReport } from '../report/build.ts';
import { suggestColumnRoles, type ColumnRoles } from '../lnn/column-roles.ts';
import { DEFAULT_SETTINGS, timelineOptionsOf, type Settings } from './settings.ts';
import { entityLabel, groupEntities, subFrame } from './entities.ts';
import { combineEntities, rankEntities, type EntityOutput } from './fleet.ts';
import { DEFAULT_PEER_OPTIONS, MIN_PEERS, peerOutliers, peerOutliersOn, type PeerResult } from './peers.ts';

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
  /** `roles`: which channel each column feeds where the names do not say (src/lib/lnn/column-roles.ts). */
  predict(frame: MetricFrame, opts: { signal?: AbortSignal; at?: number; roles?: ColumnRoles }): Promise<PredictionRun>;
  /** True when predict() runs on another thread: then analyse() starts it with the timeline, not after. */
  runsOffThread?(frame: MetricFrame): boolean;
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
  /** The frame on its time grid, before any window is computed (the app draws these columns). */
  onAligned?(aligned: AlignResult): void;
  /**
   * Called once every entity's timeline is done, as the peer scores start: with peersOnRunner they are
   * computed by the runner and this thread is free until they are back (analyse() starts the model then).
   */
  whilePeers?(): void;
}

/** Said in the report when the model could read nothing in the file. */
export const NO_READABLE_SERIES =
  'no failure predictions: the model reads CPU, memory, disk, network, fd, latency or error metrics, and found none';

export interface AnalysisOptions {
  /** The label that names entities; by default the first of instance, host, pod, node, job present. */
  entity?: string;
  /** The runner one entity's timeline uses (e.g. one that records its windows); `runner` by default. */
  runnerFor?(entity: string): WindowRunner;
  /**
   * A reference period taken as normal operation (epoch ms, inclusive), instead of the first 15 % of the
   * data. The analysis starts at its start: earlier rows are left out.
   */
  baseline?: { from?: number; to: number };
  /** The sampling step (ms) when the data cannot tell it (one row, irregular rows); detected otherwise. */
  stepMs?: number;
  /**
   * Compute the peer scores' single-linkage heights on the runner (its workers) instead of this thread.
   * analyse() does, to run the model meanwhile; the app's analysis worker does not: with its pool busy on
   * them the page's frames came later in the main-thread browser test (one run each, load 11).
   */
  peersOnRunner?: boolean;
  /** Timeline options that are not user settings (e.g. `sustained`), for evaluations that compare them. */
  timeline?: Partial<TimelineOptions>;
}

/** Entities analysed at once: enough to keep a worker pool busy, few enough to bound memory. */
const ENTITY_CONCURRENCY = 8;

/**
 * An analysis that keeps its state between calls: when rows are appended to the frame (live mode), only the
 * windows that end on new rows are computed. Each entity (host) has its own timeline, normalised on its own
 * baseline; the report aggregates them into the fleet's. New settings need a new Analysis.
 */
export class Analysis {
  readonly settings: Settings;
  readonly #runner: WindowRunner;
  readonly #entityOverride: string | undefined;
  readonly #baseline: AnalysisOptions['baseline'];
  readonly #stepMs: number | undefined;
  readonly #runnerFor: ((entity: string) => WindowRunner) | undefined;
  readonly #peersOnRunner: boolean;
  readonly #timelineOptions: Partial<TimelineOptions>;
  readonly #timelines = new Map<string, AnomalyTimeline>();
  /** The last peer scores: a live update computes only the new windows'. */
  #peers: PeerResult | null = null;

  constructor(runner: WindowRunner, settings: Partial<Settings> = {}, opts: AnalysisOptions = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.#runner = runner;
    this.#entityOverride = opts.entity;
    this.#runnerFor = opts.runnerFor;
    this.#baseline = opts.baseline;
    this.#stepMs = opts.stepMs;
    this.#peersOnRunner = opts.peersOnRunner ?? false;
    this.#timelineOptions = { ...timelineOptionsOf(this.settings), ...opts.timeline };
  }

  /** The timeline of `frame` (new windows only after the first call), as a Report without predictions. */
  async timeline(frame: MetricFrame, run: TimelineRun = {}): Promise<Report> {
    const alignment = run.aligned ?? alignFrame(frame, { stepMs: this.#stepMs });
    run.onAligned?.(alignment);
    const { frame: aligned, baselineRows: referenceRows } = withBaseline(alignment.frame, this.#baseline);
    const rateColumns = alignment.rateColumns;
    const label = entityLabel(aligned.series, this.#entityOverride);
    const groups = groupEntities(aligned, label);
    // An entity with one series has no state cloud of its own (a line), and two hosts have no peers to be
    // compared with: then the fleet is one cloud over all series, as relations between hosts have the shape.
    const joint = groups.length > 1 && (groups.length < MIN_PEERS || medianSize(groups) < 2);
    const clouds = joint ? [{ entity: JOINT, columns: groups.flatMap((g) => g.columns) }] : groups;
    const single = clouds.length <= 1;
    // A fleet's progress is the mean of its entities' shares done. Entities run a few at a time and each
    // counts its own phases (baseline, windows, attribution: a total of its own per phase), so adding their
    // counts made the bar fall whenever one started or changed phase; a share per entity only goes forward.
    const shares = new Map<string, number>();
    let phase: TimelineProgress['phase'] = 'baseline';
    const report = (entity: string, share: number, now = phase) => {
      shares.set(entity, share);
      phase = now;
      let done = 0;
      for (const s of shares.values()) done += s;
      run.onProgress?.({ done, total: clouds.length, phase });
    };
    const PHASES: TimelineProgress['phase'][] = ['baseline', 'windows', 'attribution'];
    const shareOf = (p: TimelineProgress) => (PHASES.indexOf(p.phase) + (p.total > 0 ? p.done / p.total : 1)) / 3;
    const outputs: EntityOutput[] = new Array(clouds.length);
    await forEachLimited(clouds.length, ENTITY_CONCURRENCY, async (i) => {
      const { entity, columns } = clouds[i];
      let timeline = this.#timelines.get(entity);
      if (!timeline) {
        timeline = new AnomalyTimeline(this.#runnerFor?.(entity) ?? this.#runner, {
          ...this.#timelineOptions,
          baselineRows: referenceRows,
        });
        this.#timelines.set(entity, timeline);
      }
      const out: TimelineOutput = await timeline.update(single ? aligned : subFrame(aligned, columns), {
        signal: run.signal,
        onProgress: (p) => report(entity, Math.max(shares.get(entity) ?? 0, shareOf(p)), p.phase),
        // Points stream only for a single entity: a fleet's points are known once all entities are.
        onPoint: single ? run.onPoint : undefined,
      });
      outputs[i] = { entity, out };
      report(entity, 1);
    });
    run.signal?.throwIfAborted();
    const baseline = outputs.find((o) => o.out.baseline)?.out.baseline;
    const baselineRows = baseline
      ? rowsUntil(aligned.timestamps, baseline.end)
      : Math.floor(0.15 * aligned.timestamps.length);
    const peerArgs: Parameters<typeof peerOutliers> = [
      aligned,
      groups,
      label,
      times(outputs),
      { ...DEFAULT_PEER_OPTIONS, baselineRows },
      this.#peers,
    ];
    // On the runner's workers, this thread may start other work meanwhile (run.whilePeers).
    let peers: PeerResult | null = null;
    if (groups.length > 1 && this.#peersOnRunner) {
      peers = await peerOutliersOn(this.#runner, peerArgs, run.whilePeers);
      run.signal?.throwIfAborted();
    } else {
      run.whilePeers?.();
      if (groups.length > 1) peers = peerOutliers(...peerArgs);
    }
    this.#peers = peers;
    const entityOfSeries = joint ? new Map<string, string>() : undefined;
    if (entityOfSeries)
      for (const g of groups) for (const j of g.columns) entityOfSeries.set(seriesKey(aligned.series[j]), g.entity);
    const settings = outputs[0]?.out.settings;
    const combined = combineEntities(outputs.length ? outputs : [{ entity: 'all', out: await this.#empty(aligned) }], {
      label,
      threshold: this.settings.threshold,
      peers,
      peerThreshold: DEFAULT_PEER_OPTIONS.threshold,
      entities: groups.length ? groups.map((g) => g.entity) : ['all'],
      entityOfSeries,
      strideMs: (settings?.stride ?? this.settings.stride) * aligned.stepMs,
    });
    const meta = run.origin === undefined ? frame.meta : { ...frame.meta, origin: run.origin };
    const built = buildReport({
      frame: { ...frame, meta },
      aligned,
      timeline: combined.timeline,
      predictions: [],
      rateColumns,
    });
    return { ...built, entities: combined.entities, fleet: combined.fleet };
  }

  /** The output of a frame without series (the timeline says why there is nothing). */
  #empty(aligned: TimelineAligned): Promise<TimelineOutput> {
    return new AnomalyTimeline(this.#runner, this.#timelineOptions).update(aligned);
  }
}

type TimelineAligned = Parameters<AnomalyTimeline['update']>[0];

/** The one cloud of a fleet whose entities have a single series each. */
const JOINT = '(fleet)';

function medianSize(groups: { columns: number[] }[]): number {
  const sizes = groups.map((g) => g.columns.length).sort((a, b) => a - b);
  return sizes[sizes.length >> 1];
}

/** The frame from the baseline's start, and the baseline's rows (undefined: the timeline's default share). */
function withBaseline(
  aligned: TimelineAligned,
  baseline: AnalysisOptions['baseline'],
): { frame: TimelineAligned; baselineRows: number | undefined } {
  if (!baseline) return { frame: aligned, baselineRows: undefined };
  const ts = aligned.timestamps;
  const from = baseline.from === undefined ? 0 : rowsUntil(ts, baseline.from - 1);
  const to = rowsUntil(ts, baseline.to);
  if (from >= ts.length || to - from < 2) {
    const iso = (t: number) => new Date(t).toISOString();
    throw new Error(
      `the baseline period (${baseline.from === undefined ? 'start' : iso(baseline.from)} to ${iso(baseline.to)}) ` +
        `holds ${Math.max(0, to - from)} samples of this data (${iso(ts[0])} to ${iso(ts[ts.length - 1])}); choose a period inside it`,
    );
  }
  const frame =
    from === 0
      ? aligned
      : {
          ...aligned,
          timestamps: ts.subarray(from),
          columns: aligned.columns.map((c) => c.subarray(from)),
        };
  return { frame, baselineRows: to - from };
}

function times(outputs: EntityOutput[]): number[] {
  const set = new Set<number>();
  for (const o of outputs) for (const p of o.out.points) set.add(p.t);
  return [...set].sort((a, b) => a - b);
}

function rowsUntil(timestamps: Float64Array, t: number): number {
  let i = 0;
  while (i < timestamps.length && timestamps[i] <= t) i++;
  return i;
}

/**
 * The report with the model's predictions. A model that cannot run, or reads nothing in the file, leaves the
 * topology standing and says why in the report's notes; `error` is that reason for the host to show.
 */
export async function withPredictions(
  report: Report,
  frame: MetricFrame,
  predictor: FailurePredictor,
  opts: { signal?: AbortSignal; at?: number; roles?: ColumnRoles } = {},
): Promise<{ report: Report; run: PredictionRun | null; error: string | null }> {
  let run: PredictionRun;
  try {
    run = await predictor.predict(frame, opts);
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    const error = errorLine(err);
    return { report: addNote(report, `no failure predictions: ${error}`), run: null, error };
  }
  const withPreds = { ...report, predictions: run.predictions, entities: withRisk(report, run.predictions) };
  // Nothing read: say which column mapping would let the model read the file, when the names say nothing.
  const none = suggestColumnRoles(frame, opts.roles) ?? NO_READABLE_SERIES;
  return { report: run.predictions.length ? withPreds : addNote(withPreds, none), run, error: null };
}

export interface AnalyseOptions extends TimelineRun {
  runner: WindowRunner;
  /** null: no predictions (and no note about them). */
  predictor: FailurePredictor | null;
  settings?: Partial<Settings>;
  /** The label that names entities (see AnalysisOptions). */
  entity?: string;
  baseline?: AnalysisOptions['baseline'];
  stepMs?: number;
  /** Which channel each column feeds where the names do not say (see FailurePredictor). */
  roles?: ColumnRoles;
}

/**
 * One whole analysis of a frame: timeline, report, predictions. The model starts while the workers compute
 * the peer scores (it needs only the frame); started earlier, its synchronous feature extraction would hold
 * back the windows sent to the workers. A model on another thread (runsOffThread) starts at once.
 */
export async function analyse(frame: MetricFrame, opts: AnalyseOptions): Promise<Report> {
  const { predictor } = opts;
  const predict = { signal: opts.signal, roles: opts.roles };
  let started: Promise<PredictionRun> | null = null;
  const start = () => {
    started ??= predictor!.predict(frame, predict);
    started.catch(() => {}); // read by withPredictions below; a failure must not go unhandled before then
  };
  // A model on its own thread holds back nothing here: it runs beside the whole timeline.
  if (predictor?.runsOffThread?.(frame)) start();
  const report = await new Analysis(opts.runner, opts.settings, {
    entity: opts.entity,
    baseline: opts.baseline,
    stepMs: opts.stepMs,
    peersOnRunner: true,
  }).timeline(frame, { ...opts, whilePeers: predictor ? start : undefined });
  if (!predictor) return report;
  const early = started as Promise<PredictionRun> | null;
  return (await withPredictions(report, frame, early ? { predict: () => early } : predictor, predict)).report;
}

/** Entity summaries with the model's risk and scenario, re-ranked: an alarm counts as 1 + its 1 h risk. */
function withRisk(report: Report, predictions: Prediction[]): Report['entities'] {
  if (!report.entities) return undefined;
  const byEntity = new Map(predictions.map((p) => [p.entity, p]));
  const single = report.entities.length === 1 && predictions.length === 1;
  return rankEntities(
    report.entities.map((e) => {
      const p = byEntity.get(e.entity) ?? (single ? predictions[0] : undefined);
      if (!p) return e;
      // The model alarms exactly when it gives a time to failure (isAlarm).
      const alarm = p.ttfMinutes !== null ? 1 + (p.risk['1h'] ?? 0) : 0;
      return { ...e, risk: p.risk, scenario: p.scenario, score: Math.max(e.score, alarm) };
    }),
  );
}

function addNote(r: Report, note: string): Report {
  if (!r.analysis) return r;
  return { ...r, analysis: { ...r.analysis, notes: [...r.analysis.notes, note] } };
}
