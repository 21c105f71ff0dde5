// What the user looks at: the selected window and its topology (rebuilt in the engine worker from the
// window the timeline recorded), the cursor shared by every time chart, and the zoomed time range.
import type { PHResult } from '../../lib/tda/types.ts';
import type { Report } from '../../lib/report/types.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';
import type { DiagramSummaries } from '../../workers/engine/api.ts';
import type { EngineClient } from '../../workers/engine/client.ts';
import type { RecordedWindow } from '../../workers/analysis/recording-runner.ts';
import { exampleCloud } from './example-cloud.ts';
import { fmtTime } from '../charts/chart.ts';
import { describeError } from './job.ts';
import { focusHost, peakWindow } from '../views/fleet.ts';

const EXAMPLE_LABEL = 'Example cloud: a noisy circle beside a blob';

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

export interface SelectionSnapshot {
  selectedWindow: number;
  selectedEntity: string | null;
  detail: WindowDetail | null;
  zoom: [number, number] | null;
}

export interface SelectionSources {
  report(): Report | null;
  /** The recorded window of `entity` ending nearest to `key` (kept in the analysis worker). */
  window(key: number, entity?: string): Promise<RecordedWindow | undefined>;
  engine(): EngineClient;
  fail(message: string): void;
}

export class SelectionState {
  /** Index into report.timeline of the window every view highlights; -1 = none. */
  selectedWindow = $state(-1);
  detail = $state.raw<WindowDetail | null>(null);
  /** Shared cursor over every time chart (epoch ms), and the zoomed time range. */
  cursor = $state<number | null>(null);
  zoom = $state.raw<[number, number] | null>(null);
  /** In a fleet, the host the user picked (null: the rank-1 host); the views read `entity` below. */
  selectedEntity = $state<string | null>(null);

  readonly #src: SelectionSources;
  /** Bumped by every selection, reset and restore: a topology computed for an older one must not land. */
  #ticket = 0;

  constructor(src: SelectionSources) {
    this.#src = src;
  }

  /** The host the per-host views show in a fleet (see focusHost); null: every host. */
  get entity(): string | null {
    const r = this.#src.report();
    return focusHost(r?.entities, this.selectedEntity, r?.input.series ?? 0);
  }

  /**
   * Picks a fleet's host: the series, topology and predictions follow it. Its topology is shown at its own
   * most concerning window (where its trace peaks), else at the selected window.
   */
  selectEntity(entity: string): Promise<void> {
    this.selectedEntity = entity;
    const trace = this.#src.report()?.entities?.find((e) => e.entity === entity)?.trace;
    const peak = peakWindow(trace);
    return this.select(peak >= 0 ? peak : this.selectedWindow);
  }

  /** Time of the selected window's end, or null. */
  get selectedTime(): number | null {
    const p = this.#src.report()?.timeline[this.selectedWindow];
    return p ? p.t : null;
  }

  /**
   * Selects a window by index; every view follows, and its topology is computed in the engine worker. In a
   * fleet it is the cloud of the entity whose score the timeline shows at that time.
   */
  async select(index: number): Promise<void> {
    const timeline = this.#src.report()?.timeline ?? [];
    if (timeline.length === 0) return;
    const i = Math.max(0, Math.min(timeline.length - 1, index));
    this.selectedWindow = i;
    const { t } = timeline[i];
    // The host the per-host views show (picked, or the rank-1 host of a large fleet) at its own window;
    // otherwise the entity whose score the fleet timeline shows there.
    const picked = this.#ownTimeline() ? this.entity : null;
    const entity = picked ?? timeline[i].entity;
    const ticket = ++this.#ticket;
    try {
      const recorded = await this.#src.window(t, entity);
      if (!recorded || ticket !== this.#ticket) return;
      const w = await this.#src.engine().windowTopology(recorded.config, recorded.task);
      if (ticket !== this.#ticket) return; // a newer selection won
      this.detail = { index: i, label: windowLabel(recorded.task.key, w, entity), ...w };
    } catch (e) {
      if (ticket === this.#ticket) this.#src.fail(describeError(e));
    }
  }

  /** Whether the fleet's hosts have windows of their own (not one joint cloud): their traces say so. */
  #ownTimeline(): boolean {
    return this.#src.report()?.entities?.some((e) => e.trace !== undefined) ?? false;
  }

  /** Selects the window nearest to time `t`. */
  selectTime(t: number): Promise<void> {
    const tl = this.#src.report()?.timeline ?? [];
    let best = -1;
    let bestD = Infinity;
    tl.forEach((p, i) => {
      const d = Math.abs(p.t - t);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return best >= 0 ? this.select(best) : Promise.resolve();
  }

  /** The window to show once a report is in: the shown host's peak, else the strongest span's, else the latest. */
  selectDefault(report: Report): Promise<void> {
    // A large fleet's per-host views open on its rank-1 host: show that host's most concerning window.
    const host = focusHost(report.entities, this.selectedEntity, report.input.series);
    const peak = host === null ? -1 : peakWindow(report.entities?.find((e) => e.entity === host)?.trace);
    return this.select(peak >= 0 ? peak : defaultSelection(report));
  }

  /** Topology of the built-in example cloud (shown while the first analysis runs). */
  async showExample(): Promise<void> {
    const { points, n, d } = exampleCloud();
    const w = await this.#src.engine().cloudTopology(points, n, d, 1);
    if (this.detail) return; // real data arrived first
    this.detail = { index: -1, label: EXAMPLE_LABEL, ...w };
  }

  /**
   * The first window of a new analysis, drawn as soon as it is sent to the pool: the engine worker computes
   * it (well under a millisecond of WebAssembly) while the pool works through the timeline. Resolves true
   * when it was drawn.
   */
  async preview(config: WindowConfig, task: WindowTask, signal: AbortSignal): Promise<boolean> {
    const ticket = this.#ticket;
    const w = await this.#src.engine().windowTopology(config, task);
    // a selection (or the finished report's) replaced it, or the analysis was cancelled
    if (ticket !== this.#ticket || signal.aborted) return false;
    this.detail = { index: -1, label: windowLabel(task.key, w), ...w };
    return true;
  }

  /** A new analysis starts: nothing selected; the example cloud stays until the first window replaces it. */
  reset(): void {
    this.selectedWindow = -1;
    this.zoom = null;
    this.selectedEntity = null;
    if (this.detail?.label !== EXAMPLE_LABEL) this.detail = null;
    this.#ticket++;
  }

  snapshot(): SelectionSnapshot {
    return {
      selectedWindow: this.selectedWindow,
      selectedEntity: this.selectedEntity,
      detail: this.detail,
      zoom: this.zoom,
    };
  }

  restore(s: SelectionSnapshot): void {
    this.#ticket++;
    this.selectedWindow = s.selectedWindow;
    this.selectedEntity = s.selectedEntity;
    this.detail = s.detail;
    this.zoom = s.zoom;
    this.cursor = null;
  }
}

function windowLabel(key: number, w: { n: number; d: number; dropped: number }, entity?: string): string {
  const when = fmtTime(key);
  const gaps = w.dropped ? ` · ${w.dropped} rows with gaps left out` : '';
  return `Window ending ${when}${entity ? ` on ${entity}` : ''} · ${w.n} points in ${w.d} dimensions${gaps}`;
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
