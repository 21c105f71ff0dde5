// The analysis worker: the one pipeline's Analysis per id, so alignment, every entity's timeline, peer
// outliers and the fleet report are computed here and the page stays free to answer the user. Windows go
// to the timeline pool, nested workers started from here, through one recording runner per analysis.
// Live mode's data is held here too (openLive): an update brings only new samples, and the page gets back the
// Report with the model's predictions (run from here) and the aligned rows that changed, never the whole frame.
import { expose, releaseProxy, transfer, type Remote } from 'comlink';
import { Analysis, withPredictions, type PredictionRun, type TimelineRun } from '../../lib/analysis/analyse.ts';
import type { AlignResult } from '../../lib/cloud/align.ts';
import type { AlignedFrame, MetricFrame } from '../../lib/frame/types.ts';
import type { TimelineProgress } from '../../lib/timeline/timeline.ts';
import { seriesKey } from '../../lib/frame/types.ts';
import { LiveData } from '../../lib/live/baseline.ts';
import { LiveHistory } from '../../browser/history.ts';
import { alignedTail } from '../../lib/live/growing.ts';
import { SeriesTable } from '../../lib/live/packed.ts';
import type { Report } from '../../lib/report/types.ts';
import { workerPredictor } from '../clients.ts';
import { BrowserPool } from '../timeline/pool.ts';
import { RecordingRunner } from './recording-runner.ts';
import { throttled } from './throttle.ts';
import type { AnalysisHost, AnalysisWorkerApi, LiveResult } from './api.ts';

/** What the page holds of a live analysis' aligned frame: its series, grid and rows. */
interface Sent {
  /** The series list sent (the live grid keeps the same one while only rows are added) and its keys. */
  series: AlignedFrame['series'];
  keys: string;
  stepMs: number;
  rows: number;
  lastT: number;
}

interface Open {
  analysis: Analysis;
  recorder: RecordingRunner;
  /** The frame of the last timeline run (a file's), which keep() saves for offline use. */
  frame?: MetricFrame;
  live?: LiveData;
  sent?: Sent;
  /** The model's last live run: when (the data's end), with what preference and roles, and what it gave. */
  predicted?: { key: string; at: number; run: PredictionRun | null; error: string | null };
  /** When the live analysis was last kept for offline use (performance.now()). */
  savedAt?: number;
}

/** Least time between two saves of a live analysis for offline use. */
const SAVE_EVERY_MS = 60_000;
let store: LiveHistory | null = null;

/**
 * Keeps the live analysis as the last one for offline use (what the page's autosave does for files), here
 * where the frame is: copying a fleet's frame into IndexedDB takes the page's thread for a second.
 */
function keepForOffline(a: Open, origin: string, report: Report, frame: MetricFrame): void {
  const now = performance.now();
  if (a.savedAt !== undefined && now - a.savedAt < SAVE_EVERY_MS) return;
  a.savedAt = now;
  store ??= new LiveHistory();
  // Offline use is a convenience: live mode goes on without it.
  store.saveLast(origin, report, frame).catch(() => {});
}

/** How far live data moves on before the model runs again (its buckets are minutes long). */
const PREDICT_EVERY_MS = 60_000;

let pool: BrowserPool | null = null;
const open = new Map<number, Open>();
const jobs = new Map<number, AbortController>();
/**
 * Least time between progress messages to the page (ms): each one repaints the page, which at 300 hosts
 * (dozens of charts) was a sixth of the page's thread while the workers needed the cores.
 */
const PROGRESS_MS = 250;

function thePool(): BrowserPool {
  pool ??= new BrowserPool();
  return pool;
}

const api: AnalysisWorkerApi = {
  prepare() {
    thePool();
  },

  open(id, settings, scope) {
    const recorder = new RecordingRunner(thePool());
    const analysis = new Analysis(recorder, settings, {
      ...scope,
      runnerFor: (entity) => recorder.forEntity(entity),
    });
    open.set(id, { analysis, recorder });
  },

  async timeline(id, job, { frame, aligned, origin, preview }, host) {
    const a = opened(id);
    a.frame = frame;
    a.recorder.onFirstWindow = preview ? (config, task) => void host.firstWindow(config, task) : null;
    const signal = started(job);
    try {
      return await run(a, signal, frame, host, {
        origin,
        aligned,
        // The page has the alignment it gave; one made here is copied to the page once (its series are drawn).
        onAligned: (r) => void host.aligned(aligned ? null : r.frame),
      });
    } finally {
      jobs.delete(job);
      a.recorder.onFirstWindow = null;
      // A file's windows are all recorded: their strips need no more room to grow.
      a.recorder.compact();
    }
  },

  openLive(id, settings, scope, history, liveFrame, table) {
    // Rows of gaps between history and live rows: no window holds both, and a few windows are skipped between.
    const live = new LiveData(history, liveFrame, 2 * settings.window + 4 * settings.stride, SeriesTable.from(table));
    api.open(id, settings, { ...scope, ...(live.period ? { baseline: live.period } : {}) });
    opened(id).live = live;
  },

  async live(id, job, { origin, update, predict, save }, host) {
    const a = opened(id);
    if (!a.live) throw new Error(`analysis ${id} holds no live data`);
    const signal = started(job);
    try {
      const { frame, aligned } = a.live.append(update ?? undefined);
      let alignment: AlignResult | null = aligned;
      const timelineReport = await run(a, signal, frame, host, {
        origin,
        aligned,
        onAligned: (r) => (alignment = r),
      });
      let report: Report = timelineReport;
      let result: Pick<LiveResult, 'run' | 'predictError'> = { run: null, predictError: null };
      if (predict) {
        // The model reads minutes-long buckets: a poll every few seconds reuses its last run for a while.
        const key = JSON.stringify(predict);
        const last = a.predicted;
        const fresh = last && last.key === key && timelineReport.input.end - last.at < PREDICT_EVERY_MS;
        const predictor = fresh
          ? { predict: async () => last.run ?? Promise.reject(new Error(last.error ?? 'no predictions')) }
          : workerPredictor(() => predict.preference);
        const out = await withPredictions(timelineReport, frame, predictor, { signal, roles: predict.roles });
        if (!fresh) a.predicted = { key, at: timelineReport.input.end, run: out.run, error: out.error };
        report = out.report;
        result = { run: out.run, predictError: out.error };
      }
      signal.throwIfAborted();
      if (save) keepForOffline(a, origin, report, frame);
      const rows = toPage(a, alignment!.frame);
      return transfer({ report, timelineReport, ...result, aligned: rows.aligned }, rows.buffers);
    } finally {
      jobs.delete(job);
    }
  },

  async keep(id, origin, report) {
    const frame = opened(id).frame;
    if (!frame) throw new Error(`analysis ${id} has analysed no file to keep`);
    store ??= new LiveHistory();
    await store.saveLast(origin, report, frame);
  },

  cancel(job) {
    jobs.get(job)?.abort(new DOMException('cancelled', 'AbortError'));
  },

  window(id, key, entity) {
    return open.get(id)?.recorder.window(key, entity);
  },

  close(id) {
    open.delete(id);
  },
};

function opened(id: number): Open {
  const a = open.get(id);
  if (!a) throw new Error(`analysis ${id} is not open`);
  return a;
}

function started(job: number): AbortSignal {
  const control = new AbortController();
  jobs.set(job, control);
  return control.signal;
}

/** One timeline run of analysis `a`, with progress (a few times a second) and points to the page. */
async function run(
  a: Open,
  signal: AbortSignal,
  frame: MetricFrame,
  host: AnalysisHost,
  o: Pick<TimelineRun, 'origin' | 'aligned' | 'onAligned'>,
): Promise<Report> {
  // A fleet's entities run eight at a time, each in its own phase, so the phase changes from one report to
  // the next: only the clock limits the messages (a phase change let 40-50 a second through at 300 hosts).
  const progress = throttled((p: TimelineProgress) => void host.progress(p), PROGRESS_MS);
  try {
    return await a.analysis.timeline(frame, {
      ...o,
      signal,
      onProgress: (p) => progress.push(p),
      onPoint: (p) => void host.points([p]),
    });
  } finally {
    // Nothing may reach the page's callbacks once they are released (a late progress message threw here).
    progress.stop();
    (host as Remote<AnalysisHost>)[releaseProxy]();
  }
}

/** Rows before the page's last ones sent again with each update: a late sample may have filled them. */
const RESEND_ROWS = 3;

/**
 * The aligned rows the page lacks: only those from a few rows before its last when it holds the same series
 * on the same grid, else the whole frame (copied: the pipeline still reads its own). Buffers to transfer.
 */
function toPage(a: Open, aligned: AlignedFrame): { aligned: LiveResult['aligned']; buffers: ArrayBuffer[] } {
  const sent = a.sent;
  // 10,000 series keys on every poll are worth skipping when the list is the one sent.
  const keys = sent?.series === aligned.series ? sent.keys : aligned.series.map(seriesKey).join('\n');
  const rows = aligned.timestamps.length;
  a.sent = { series: aligned.series, keys, stepMs: aligned.stepMs, rows, lastT: aligned.timestamps[rows - 1] };
  if (
    sent &&
    sent.keys === keys &&
    sent.stepMs === aligned.stepMs &&
    rows >= sent.rows &&
    aligned.timestamps[sent.rows - 1] === sent.lastT
  ) {
    const tail = alignedTail(aligned, Math.max(0, sent.rows - RESEND_ROWS));
    return { aligned: { tail }, buffers: [tail.timestamps.buffer as ArrayBuffer, tail.values.buffer as ArrayBuffer] };
  }
  const whole: AlignedFrame = {
    ...aligned,
    timestamps: aligned.timestamps.slice(),
    columns: aligned.columns.map((c) => c.slice()),
  };
  return {
    aligned: { whole },
    buffers: [whole.timestamps.buffer as ArrayBuffer, ...whole.columns.map((c) => c.buffer as ArrayBuffer)],
  };
}

expose(api);
