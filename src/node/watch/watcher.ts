// The watch loop: reads every owned entity's history from Prometheus once, then polls for new rows and
// hands them to the one pipeline (src/lib/analysis), whose per-entity state computes only the new windows.
// Everything it holds can be rebuilt from Prometheus: a restart re-reads the history and loses nothing.
//
// Memory per entity is bounded: rows are kept for at most twice the baseline period; when that fills, the
// analysis is rebuilt from the last baseline period (as a restart would), which also bounds the timeline's
// own points. Prometheus errors are counted by code, retried with doubling backoff, and make /readyz fail.
//
// The HTTP server shares this thread: scrapes are answered from the last rendered exposition (a string),
// and the analysis yields to the event loop before every request to the window runner and between its
// stages, so /metrics, /healthz and /readyz answer while a long analysis (the start-up's) runs.
import type { MetricFrame, Series } from '../../lib/frame/types.ts';
import type { Report } from '../../lib/report/types.ts';
import { appendSamples } from '../../lib/frame/append.ts';
import { frameTimeRange, sampleCount } from '../../lib/frame/stats.ts';
import { errorLine } from '../../lib/text/quote.ts';
import { Analysis, withPredictions, type FailurePredictor, type Settings } from '../../lib/analysis/index.ts';
import type { ResponseOf, RunnerRequest, WindowRunner } from '../../lib/timeline/runner.ts';
import { PrometheusError, type PrometheusClient, type RangeQuery } from '../../lib/prometheus/index.ts';
import { nodeExporterPresets } from '../../lib/prometheus/presets.ts';
import { BUCKET_MS, SEQ_LEN } from '../../lib/lnn/spec.ts';
import { owns, type Shard } from '../../lib/export/hashmod.ts';
import { renderExposition, Histogram, type Family } from '../../lib/export/exposition.ts';
import { METRIC, reportFamilies } from '../../lib/export/metrics.ts';

export type Source =
  /** node_exporter presets; `matchers` (e.g. `job="node"`) are added to every selector. */
  | { kind: 'preset'; matchers: string[] }
  /** The operator's own PromQL; each result series must carry the entity label. */
  | { kind: 'query'; queries: RangeQuery[] };

export interface WatchOptions {
  client: PrometheusClient;
  source: Source;
  /** The label that names entities and that shards split on. */
  entity: string;
  shard: Shard | null;
  stepMs: number;
  intervalMs: number;
  baselineMs: number;
  /** How far behind now the analysis runs, so that the last row's scrapes have all arrived. */
  delayMs: number;
  settings: Partial<Settings>;
  runner: WindowRunner;
  predictor: FailurePredictor | null;
  version: string;
  now?: () => number;
  log?: (line: string) => void;
  /** Polls between entity discoveries (new hosts join, gone ones leave). Default 20. */
  rediscoverEvery?: number;
  /** Longest wait between retries, ms. Default 5 min. */
  maxBackoffMs?: number;
}

/** Rows the model reads at the end of a frame: its sequence of buckets and one more for the first rate. */
const MODEL_SPAN_MS = (SEQ_LEN + 1) * BUCKET_MS;

const POLL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export class Watcher {
  readonly #o: WatchOptions;
  readonly #now: () => number;
  readonly #runner: CountingRunner;
  readonly #poll = new Histogram(METRIC.pollDuration, 'Time from the start of a poll to fresh metrics.', POLL_BUCKETS);
  readonly #errors = new Map<string, number>();
  #analysis: Analysis | null = null;
  #frame: MetricFrame | null = null;
  #report: Report | null = null;
  #owned: string[] | null = null;
  #cursor = -1;
  #polls = 0;
  /** The last report's families, rendered once per report: a scrape only appends the exporter's own. */
  #body = '';
  #lastSuccess = 0;
  #failures = 0;

  constructor(o: WatchOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    this.#runner = new CountingRunner(o.runner);
  }

  /** The baseline history is loaded and the last poll succeeded within three intervals. */
  get ready(): boolean {
    return this.#lastSuccess > 0 && this.#now() - this.#lastSuccess <= 3 * this.#o.intervalMs;
  }

  get entities(): readonly string[] {
    return this.#owned ?? [];
  }

  /** The last report's metrics and the exporter's own, in the text exposition format. */
  metrics(): string {
    const shard = this.#o.shard ? `${this.#o.shard.index}/${this.#o.shard.count}` : '0/1';
    const self: Family[] = [
      {
        name: METRIC.buildInfo,
        type: 'gauge',
        help: 'aura watch build: version, entity label and shard.',
        samples: [{ labels: { version: this.#o.version, entity_label: this.#o.entity, shard }, value: 1 }],
      },
      {
        name: METRIC.windows,
        type: 'counter',
        help: 'Windows whose topology this process computed.',
        samples: [{ value: this.#runner.windows }],
      },
      {
        name: METRIC.requestErrors,
        type: 'counter',
        help: 'Failed requests to Prometheus, by HTTP status or kind (network, timeout, …).',
        samples: [...this.#errors].map(([code, value]) => ({ labels: { code }, value })),
      },
      {
        name: METRIC.entities,
        type: 'gauge',
        help: 'Entities this shard owns.',
        samples: [{ labels: { shard }, value: this.entities.length }],
      },
      {
        name: METRIC.lastSuccess,
        type: 'gauge',
        help: 'When the last poll completed, in Unix seconds; absent until one has.',
        // Absent, not 0, before the first success: `time() - 0` would look like a shard stale for decades.
        samples: this.#lastSuccess > 0 ? [{ value: this.#lastSuccess / 1000 }] : [],
      },
      {
        name: METRIC.ready,
        type: 'gauge',
        help: '1 when the baseline is loaded and the last poll succeeded within three intervals.',
        samples: [{ value: this.ready ? 1 : 0 }],
      },
    ];
    return this.#body + renderExposition([...self, this.#poll.family()]);
  }

  /** One poll: the history on the first call (or after a rebuild), new rows after; then the analysis. */
  async pollOnce(signal?: AbortSignal): Promise<Report> {
    const started = performance.now();
    try {
      const report = await this.#step(signal);
      this.#lastSuccess = this.#now();
      this.#failures = 0;
      this.#poll.observe((performance.now() - started) / 1000);
      return report;
    } catch (err) {
      this.#failures++;
      if (err instanceof PrometheusError && err.kind !== 'aborted') {
        const code = err.status !== undefined ? String(err.status) : err.kind;
        this.#errors.set(code, (this.#errors.get(code) ?? 0) + 1);
      }
      throw err;
    }
  }

  /** Polls every interval until `signal` aborts; failures wait longer each time, up to maxBackoffMs. */
  async run(signal: AbortSignal): Promise<void> {
    const log = this.#o.log ?? (() => {});
    while (!signal.aborted) {
      const started = this.#now();
      let wait = this.#o.intervalMs;
      try {
        const r = await this.pollOnce(signal);
        const active = (r.entities ?? []).filter((e) => e.anomalies.length && e.latest?.anomalous).length;
        if (this.#polls <= 1) log(`baseline loaded: ${this.entities.length} entities, ${active} flagged now`);
        wait = Math.max(0, this.#o.intervalMs - (this.#now() - started));
      } catch (err) {
        if (signal.aborted) break;
        const max = this.#o.maxBackoffMs ?? 300_000;
        wait = Math.min(max, this.#o.intervalMs * 2 ** Math.min(this.#failures - 1, 10)) * (0.8 + 0.4 * Math.random());
        log(`poll failed (${this.#failures} in a row), retrying in ${Math.round(wait / 1000)} s: ${errorLine(err)}`);
      }
      await sleep(wait, signal);
    }
  }

  async #step(signal?: AbortSignal): Promise<Report> {
    const { stepMs, baselineMs } = this.#o;
    const end = Math.floor((this.#now() - this.#o.delayMs) / stepMs) * stepMs;
    if (this.#owned === null || this.#polls % (this.#o.rediscoverEvery ?? 20) === 0) {
      const owned = await this.#discover(end, signal);
      if (this.#owned === null || owned.join('\n') !== this.#owned.join('\n')) this.#reset();
      this.#owned = owned;
    }
    this.#polls++;
    // Kept rows reached twice the baseline: start again from the last baseline period, as a restart would.
    if (this.#frame && end - this.#cursor + spanOf(this.#frame) > 2 * baselineMs) this.#reset();
    const start = this.#cursor < 0 ? end - baselineMs : Math.max(end - baselineMs, this.#cursor - 2 * stepMs);
    if (this.#owned.length === 0) {
      this.#body = '';
      return emptyReport();
    }
    // Every poll asks Prometheus (so readiness says whether it answers); only new rows are analysed.
    const fresh = await this.#read(start, end, signal);
    await yieldToEventLoop();
    const before = this.#frame ? sampleCount(this.#frame) : -1;
    this.#frame = this.#frame ? appendSamples(this.#frame, fresh) : fresh;
    this.#cursor = Math.max(this.#cursor, end);
    if (this.#report && sampleCount(this.#frame) === before) return this.#report;
    this.#report = await this.#analyse(this.#frame, signal);
    return this.#report;
  }

  #reset(): void {
    this.#analysis = null;
    this.#report = null;
    this.#frame = null;
    this.#cursor = -1;
  }

  async #analyse(frame: MetricFrame, signal?: AbortSignal): Promise<Report> {
    this.#analysis ??= new Analysis(this.#runner, this.#o.settings, { entity: this.#o.entity });
    let report = await this.#analysis.timeline(frame, { signal });
    await yieldToEventLoop();
    if (this.#o.predictor) {
      const recent = sliceFrom(frame, this.#cursor - MODEL_SPAN_MS);
      report = (await withPredictions(report, recent, this.#o.predictor, { signal })).report;
    }
    await yieldToEventLoop();
    this.#body = renderExposition(reportFamilies(report));
    return report;
  }

  /** The entity label's values in the source now, those this shard owns, sorted. */
  async #discover(at: number, signal?: AbortSignal): Promise<string[]> {
    const label = this.#o.entity;
    const found = new Set<string>();
    for (const q of this.#queries()) {
      const frame = await this.#o.client.query(`count by (${label}) (${q.query})`, { time: at, signal });
      for (const s of frame.series) if (s.labels[label] !== undefined) found.add(s.labels[label]);
    }
    return [...found].filter((e) => owns(this.#o.shard, e)).sort();
  }

  /**
   * The owned entities' rows. Presets are narrowed in Prometheus by a matcher on the entity label (only the
   * shard's series travel); the operator's own queries are read whole and filtered here.
   */
  async #read(start: number, end: number, signal?: AbortSignal): Promise<MetricFrame> {
    const label = this.#o.entity;
    const owned = this.#owned ?? [];
    const sharded = this.#o.shard !== null && this.#o.shard.count > 1;
    const matcher = sharded ? [`${label}=~${JSON.stringify(owned.map(escapeRegex).join('|'))}`] : [];
    const queries = this.#queries(matcher);
    const frame = await this.#o.client.rangeFrame(queries, { start, end, stepMs: this.#o.stepMs, signal });
    if (!sharded || this.#o.source.kind === 'preset') return frame;
    const keep = new Set(owned);
    return { ...frame, series: frame.series.filter((s) => keep.has(s.labels[label])) };
  }

  #queries(extra: string[] = []): RangeQuery[] {
    const src = this.#o.source;
    if (src.kind === 'query') return src.queries;
    const matchers = [...src.matchers, ...extra];
    return nodeExporterPresets({ stepMs: this.#o.stepMs }).map((p) => ({
      name: p.name,
      query: withMatchers(p.query, matchers),
    }));
  }
}

/** Adds matchers to every `{…}` selector of a preset query (presets always write their selectors in braces). */
export function withMatchers(query: string, matchers: string[]): string {
  if (matchers.length === 0) return query;
  return query.replace(/\{/g, `{${matchers.join(',')},`).replace(/,\}/g, '}');
}

/** A label value as a literal inside a PromQL regex (RE2 syntax). */
export function escapeRegex(v: string): string {
  return v.replace(/[\\.^$|?*+()[\]{}]/g, '\\$&');
}

/** Counts the windows computed through it, for aura_windows_total. */
class CountingRunner implements WindowRunner {
  windows = 0;
  constructor(private readonly inner: WindowRunner) {}
  get concurrency(): number {
    return this.inner.concurrency;
  }
  async run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    // A macrotask, not a microtask: pending HTTP requests are served before the next (maybe in-thread) batch.
    await yieldToEventLoop();
    const out = await this.inner.run(request, signal);
    if (request.kind === 'windows') this.windows += request.tasks.length;
    return out;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

function spanOf(frame: MetricFrame): number {
  const range = frameTimeRange(frame);
  return range ? range[1] - range[0] : 0;
}

/** The frame's samples at or after `t` (the model reads only the last two hours). */
function sliceFrom(frame: MetricFrame, t: number): MetricFrame {
  const series: Series[] = frame.series.map((s) => {
    let i = 0;
    while (i < s.timestamps.length && s.timestamps[i] < t) i++;
    return i === 0 ? s : { ...s, timestamps: s.timestamps.subarray(i), values: s.values.subarray(i) };
  });
  return { ...frame, series };
}

function emptyReport(): Report {
  return {
    input: { origin: '', format: 'prometheus', series: 0, samples: 0, start: 0, end: 0, stepMs: 0 },
    settings: { window: 0, stride: 0, cloud: 'state', maxDim: 0, normalise: 'noise' },
    timeline: [],
    anomalies: [],
    predictions: [],
    entities: [],
  };
}

/** Lets pending I/O callbacks (scrapes) run before the caller goes on. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
