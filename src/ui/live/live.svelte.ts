// Live mode in the page: connects to Prometheus, feeds the poller's updates to the app (startLive, then
// appendFrame), records scores and alerts, raises notifications, and shares it all with the other tabs.
// One tab polls (the one holding the leader lock); the others follow it over a BroadcastChannel.
// Prometheus is read in the live source worker (its JSON parsed there): updates come as samples packed by
// series index (src/lib/live/packed.ts), which the page and the analysis worker append without parsing.
import { chooseStep, nodeExporterPresets, type RangeQuery } from '../../lib/prometheus/index.ts';
import { SeriesTable, unpack, type PackedSamples } from '../../lib/live/packed.ts';
import { LiveSource } from '../../workers/live/client.ts';
import type { SourceUpdate } from '../../workers/live/api.ts';
import { anomalyStarts, defaultAlertRule, riskCrossings, type Alert, type AlertArming } from '../../lib/live/alerts.ts';
import { LiveHistory, type ScoreRecord } from '../../browser/history.ts';
import { LiveChannel, tryLead, type LiveMessage, type LiveStatus } from '../../browser/sync.ts';
import { initialLookbackMs, samplesForWindow, type WarmupWindowing } from '../../lib/live/warmup.ts';
import { historyRange, stepWords } from '../../lib/live/baseline.ts';
import { settings as analysisSettings } from '../state/settings.svelte.ts';
import type { MetricFrame } from '../../lib/frame/types.ts';
import { app } from '../state/app.svelte.ts';
import type { ConnectionSettings, Credentials } from './connection.ts';

const MAX_ALERTS_SHOWN = 50;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export type Role = 'off' | 'leader' | 'follower';

class LiveSession {
  role = $state<Role>('off');
  status = $state<LiveStatus | null>(null);
  /** Recent alerts in this session, newest first. */
  alerts = $state<Alert[]>([]);
  error = $state<string | null>(null);
  notifications = $state<NotificationPermission | 'unsupported'>(
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  riskThreshold = $state(defaultAlertRule.riskThreshold);

  readonly history = new LiveHistory();
  #channel: LiveChannel | null = null;
  #stop: AbortController | null = null;
  /** App updates run one after another: a new one must not cancel the one in progress. */
  #queue: Promise<void> = Promise.resolve();
  #armed: AlertArming = new Map();
  #wasAnomalous = false;
  #lastStoredT = -Infinity;
  /** Where this connection's baseline came from, shown with every status. */
  #baselineWords = '';
  /** The live series by index, as packed updates name them (this tab's source, or the tab it follows). */
  #table: SeriesTable | null = null;

  /** Joins the tabs' channel and asks whether another tab is already live. */
  start(): void {
    if (this.#channel || typeof BroadcastChannel === 'undefined') return;
    this.#channel = new LiveChannel((m) => this.#onMessage(m));
    this.#channel.post({ type: 'hello' });
  }

  /** Tests the connection, becomes the polling tab, and streams updates into the app until disconnect(). */
  async connect(settings: ConnectionSettings, credentials: Credentials): Promise<void> {
    this.disconnect();
    this.error = null;
    const stop = new AbortController();
    this.#stop = stop;
    const source = settings.baseUrl.trim().replace(/\/+$/, '');
    const userLookbackMs = settings.lookbackMinutes * 60_000;
    const stepMs = chooseStep(userLookbackMs, { minStepMs: settings.minStepSeconds * 1000 });
    // The first read covers the baseline too, so where Prometheus has the history there is no wait.
    const windowing = currentWindowing();
    const lookbackMs = initialLookbackMs(userLookbackMs, stepMs, windowing);
    const readWords =
      lookbackMs > userLookbackMs
        ? `the last ${Math.ceil(lookbackMs / 60_000)} min (a window of ${windowing.window} needs ${samplesForWindow(windowing, 1)} samples at ${stepMs / 1000} s)`
        : `the last ${settings.lookbackMinutes} min`;
    this.#connecting(source, stepMs, 'Testing the connection…');
    try {
      const client = new LiveSource(stop.signal);
      const info = await client.connect({
        baseUrl: source,
        auth: credentials.auth ?? undefined,
        headers: credentials.headers,
      });
      const queries = this.#queries(settings, stepMs);
      const released = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve()));
      const leads = await tryLead(released, navigator.locks);
      if (!leads) {
        this.error = 'Another tab of AURA is already live; this tab follows it. Disconnect there to connect here.';
        this.#stop = null;
        stop.abort();
        this.role = 'follower';
        this.#channel?.post({ type: 'hello' });
        return;
      }
      this.role = 'leader';
      this.#resetAlerts();
      const table = new SeriesTable();
      this.#table = table;
      // The baseline from history, at a coarser step; without it (none kept, an error) the live samples teach it.
      const range = historyRange(Date.now(), settings.baselineHours ?? 0, Date.now() - userLookbackMs, stepMs);
      let history: MetricFrame | null = null;
      this.#baselineWords = 'learnt from the live samples';
      if (range) {
        this.#connecting(
          source,
          stepMs,
          `Connected to Prometheus ${info.version}; reading the last ${settings.baselineHours} h at ${stepWords(range.stepMs)} as the baseline…`,
        );
        try {
          const packed = await client.history(queries, range);
          table.absorb(packed);
          history = unpack(packed, table);
          const n = history.series.reduce((m, s) => Math.max(m, s.timestamps.length), 0);
          // The history must hold a baseline's windows (at the configured window, as a fixed baseline keeps it).
          const need = samplesForWindow(windowing, 1);
          this.#baselineWords =
            n >= need
              ? `${n} samples over the last ${settings.baselineHours} h at ${stepWords(range.stepMs)}`
              : `${n} samples in the last ${settings.baselineHours} h at ${stepWords(range.stepMs)}, ${need} needed: learnt from the live samples`;
          if (n < need) history = null;
        } catch (e) {
          if (stop.signal.aborted) return;
          this.#baselineWords = `the history could not be read (${message(e)}): learnt from the live samples`;
          history = null;
        }
      }
      this.#connecting(
        source,
        stepMs,
        `Connected to Prometheus ${info.version}; reading ${history ? `the last ${settings.lookbackMinutes} min` : readWords}…`,
      );
      const updates = client.updates(queries, {
        stepMs,
        // With a baseline from history, the live read needs only the user's window.
        lookbackMs: history ? userLookbackMs : lookbackMs,
      });
      void this.#pump(updates, table, source, stepMs, stop, settings.queryMode, history);
    } catch (e) {
      if (stop.signal.aborted) return;
      this.#stop = null;
      this.error = message(e);
      this.#setStatus(null);
      this.role = 'off';
    }
  }

  disconnect(): void {
    if (!this.#stop) return;
    this.#stop.abort();
    this.#stop = null;
    if (this.status) this.#setStatus({ ...this.status, state: 'stopped', message: 'Disconnected.' });
    this.role = 'off';
  }

  async enableNotifications(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    this.notifications = await Notification.requestPermission();
  }

  #queries(settings: ConnectionSettings, stepMs: number): RangeQuery[] {
    if (settings.queryMode === 'node') {
      return nodeExporterPresets({ stepMs, scrapeIntervalMs: settings.minStepSeconds * 1000 }).map((p) => ({
        query: p.query,
        name: p.name,
      }));
    }
    const lines = settings.queries
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    if (lines.length === 0)
      throw new Error('Enter at least one PromQL query (one per line), or choose the node_exporter preset.');
    return lines.map((query) => ({ query }));
  }

  async #pump(
    updates: AsyncGenerator<Exclude<SourceUpdate, { kind: 'done' }>>,
    table: SeriesTable,
    source: string,
    stepMs: number,
    stop: AbortController,
    queryMode: ConnectionSettings['queryMode'],
    history: MetricFrame | null,
  ): Promise<void> {
    let samples = 0;
    /** Whether a read with series has been analysed (the first one starts this source's analysis). */
    let started = false;
    try {
      for await (const u of updates) {
        if (stop.signal.aborted) break;
        if (u.kind === 'error') {
          this.#setStatus({
            state: 'retrying',
            source,
            stepMs,
            lastPoll: this.status?.lastPoll ?? null,
            samples,
            message: `${u.message} — retrying in ${Math.round(u.retryInMs / 1000)} s`,
          });
          continue;
        }
        if (u.kind === 'initial' && u.samples.index.length === 0 && queryMode === 'node') {
          // Nothing to analyse: say what to try, and leave what is on screen (the demo) alone.
          this.error = `No node_exporter series found at ${source}; try 'My PromQL queries' with metrics this server has.`;
          this.disconnect();
          this.#setStatus(null);
          break;
        }
        // Own queries may have no samples yet (a new series, a server that just started): keep polling, say
        // so, and analyse the first read that has series as the start of this source.
        const first = u.kind === 'initial' || !started;
        if (u.samples.index.length === 0) {
          if (first) {
            this.#setStatus({
              state: 'live',
              source,
              stepMs,
              lastPoll: Date.now(),
              samples: 0,
              message: `Waiting: none of the queries has returned series yet at ${source}; check them in Prometheus' own graph page if this lasts.`,
            });
          }
          continue;
        }
        // Samples are counted in the analysed data, so "+N samples" is exactly the growth of the total shown.
        const before = first ? 0 : analysedSamples(source);
        started = true;
        table.absorb(u.samples);
        if (first) {
          const frame = unpack(u.samples, table);
          this.#channel?.post({ type: 'initial', frame, origin: source, history, table: table.ids });
          await this.#apply(() => app.startLive(frame, source, history, table));
        } else {
          const receivedAt = performance.now();
          this.#channel?.post({ type: 'append', samples: u.samples });
          await this.#apply(() => app.appendFrame(u.samples, table));
          measureUpdate(u, receivedAt);
        }
        if (stop.signal.aborted) break;
        samples = analysedSamples(source);
        const steps = u.steps;
        this.#setStatus({
          state: 'live',
          source,
          stepMs,
          lastPoll: Date.now(),
          samples,
          message: first
            ? `Read ${samples} samples`
            : `+${samples - before} samples (${steps} new time step${steps === 1 ? '' : 's'})`,
        });
        await this.#record(source);
      }
    } catch (e) {
      if (!stop.signal.aborted) this.error = message(e);
    }
  }

  /** Runs an app update after the previous one finished. */
  #apply(update: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(update, update);
    return this.#queue;
  }

  /** Stores the new windows' scores, raises alerts for new crossings, keeps the analysis for offline use. */
  async #record(source: string): Promise<void> {
    const report = app.report;
    if (!report) return;
    const first = this.#lastStoredT === -Infinity;
    const fresh = report.timeline.filter((p) => p.t > this.#lastStoredT);
    if (fresh.length === 0) return;
    this.#lastStoredT = fresh[fresh.length - 1].t;
    const risks = report.predictions.flatMap((p) => Object.values(p.risk).filter(Number.isFinite));
    const maxRisk = risks.length > 0 ? Math.max(...risks) : null;
    const scores: ScoreRecord[] = fresh.map((p) => ({
      source,
      t: p.t,
      score: p.score,
      anomalous: p.anomalous,
      maxRisk,
    }));
    // On connecting, past anomalies in the history read are shown on the timeline, not raised as alerts.
    const anomalies = anomalyStarts(first ? fresh.slice(-1) : fresh, this.#wasAnomalous, source);
    this.#wasAnomalous = anomalies.anomalous;
    const rule = { ...defaultAlertRule, riskThreshold: this.riskThreshold };
    const crossings = riskCrossings(report.predictions, this.#armed, rule, this.#lastStoredT, source);
    const alerts = [...anomalies.alerts, ...crossings];
    try {
      await this.history.addScores(scores);
      await this.history.addAlerts(alerts);
    } catch (e) {
      this.error = `The live history could not be saved (${message(e)}); live mode goes on without it.`;
    }
    if (alerts.length > 0) {
      this.#showAlerts(alerts);
      this.#channel?.post({ type: 'alerts', alerts });
      for (const a of crossings) void this.#notify(a);
    }
  }

  #showAlerts(alerts: Alert[]): void {
    this.alerts = [...alerts.slice().reverse(), ...this.alerts].slice(0, MAX_ALERTS_SHOWN);
  }

  async #notify(a: Alert): Promise<void> {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const options: NotificationOptions = {
      body: a.message,
      tag: `aura-${a.entity}-${a.horizon}`,
      icon: 'icons/icon-192.png',
    };
    // Installed apps on Android can only notify through the service worker.
    const reg = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
    if (reg) await reg.showNotification('AURA alert', options);
    else new Notification('AURA alert', options);
  }

  #resetAlerts(): void {
    this.#armed = new Map();
    this.#wasAnomalous = false;
    this.#lastStoredT = -Infinity;
  }

  /** A status while connecting: nothing read yet. */
  #connecting(source: string, stepMs: number, message: string): void {
    this.#setStatus({ state: 'connecting', source, stepMs, lastPoll: null, samples: 0, message });
  }

  #setStatus(status: LiveStatus | null): void {
    if (status && this.#baselineWords && this.role === 'leader') status = { ...status, baseline: this.#baselineWords };
    this.status = status;
    if (status && this.role === 'leader') this.#channel?.post({ type: 'status', status });
  }

  #onMessage(m: LiveMessage): void {
    switch (m.type) {
      case 'hello':
        // A new tab: hand it the current state if this tab is the live one.
        if (this.role === 'leader' && this.status) {
          // With a history, the two parts travel apart: each keeps its own time grid in the other tab too.
          const parts = app.liveParts();
          this.#channel?.post({
            type: 'snapshot',
            status: $state.snapshot(this.status),
            frame: parts ? parts.live : app.frame,
            origin: app.origin,
            history: parts?.history ?? null,
            table: this.#table?.ids ?? [],
          });
        }
        break;
      case 'snapshot':
        if (this.role === 'leader') break;
        this.role = 'follower';
        this.status = m.status;
        if (m.frame) this.#followStart(m.frame, m.origin, m.table, m.history);
        break;
      case 'initial':
        if (this.role === 'leader') break;
        this.role = 'follower';
        this.#resetAlerts();
        this.#followStart(m.frame, m.origin, m.table, m.history);
        break;
      case 'append':
        // Samples of series named before this tab joined cannot be read: its snapshot brings them.
        if (this.role === 'leader' || !this.#table) break;
        this.#followAppend(m.samples, this.#table);
        break;
      case 'status':
        if (this.role === 'leader') break;
        this.role = m.status.state === 'stopped' ? 'off' : 'follower';
        this.status = m.status;
        break;
      case 'alerts':
        this.#showAlerts(m.alerts);
        break;
    }
  }

  #followStart(frame: MetricFrame, origin: string, ids: SeriesTable['ids'], history: MetricFrame | null = null): void {
    const table = SeriesTable.from(ids);
    this.#table = table;
    void this.#apply(() => app.startLive(frame, origin, history, table));
  }

  #followAppend(samples: PackedSamples, table: SeriesTable): void {
    try {
      table.absorb(samples);
    } catch {
      return; // a message was missed: the next snapshot or first read starts this tab anew
    }
    void this.#apply(() => app.appendFrame(samples, table));
  }
}

/** The timeline's window settings as the warm-up arithmetic needs them. */
export function currentWindowing(): WarmupWindowing {
  const s = analysisSettings.value;
  return { window: s.window, stride: s.stride, cloud: s.cloud === 'state' || s.cloud === 'takens' ? s.cloud : 'auto' };
}

/** Samples (non-missing values) in the analysis of `source`, 0 while something else is shown. */
function analysedSamples(source: string): number {
  return app.origin === source ? (app.report?.input.samples ?? 0) : 0;
}

/**
 * A performance measure `aura:live-update` per appended poll, from its requests going out to the next frame
 * after the app took the update (bench/live-fleet.bench.ts reads them); `detail` splits it: Prometheus and
 * parsing in the live source worker, the way to the page, the update (analysis worker), the frame.
 */
function measureUpdate(u: { polledAt: number; readAt: number; count: number }, receivedAt: number): void {
  const updatedAt = performance.now();
  const windows = app.report?.timeline.length ?? 0;
  requestAnimationFrame(() => {
    const shownAt = performance.now();
    const start = u.polledAt - performance.timeOrigin;
    performance.measure('aura:live-update', {
      start,
      end: shownAt,
      detail: {
        read: u.readAt - u.polledAt,
        toPage: receivedAt - (u.readAt - performance.timeOrigin),
        update: updatedAt - receivedAt,
        frame: shownAt - updatedAt,
        samples: u.count,
        windows,
      },
    });
  });
}

export const live = new LiveSession();

// Tell the other tabs when this one, the live one, goes away.
if (typeof window !== 'undefined') window.addEventListener('pagehide', () => live.disconnect());
