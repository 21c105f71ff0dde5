// A window runner that passes requests to the pool and keeps each window's block and config, per entity, so
// the topology view can rebuild exactly the cloud the timeline measured when the user selects that window.
// A fleet's entities share window ends, so windows are kept per entity: the fleet timeline names, at each
// time, the entity whose score it shows, and that entity's cloud is the one to draw.
// Consecutive windows share all but a stride of their rows, so an entity's rows are kept once, in strips: a
// window that goes on from the last one (its first rows equal that one's last, value by value with Object.is,
// so NaN and -0 come back as sent) adds only its new rows. A copy per window held every row six times over
// (window 60, stride 10): about 670 MB for 1,000 hosts × 24 h at 1 min.
import type { ResponseOf, RunnerRequest, WindowRunner } from '../../lib/timeline/runner.ts';
import type { WindowConfig, WindowTask } from '../../lib/timeline/window.ts';
import { releaseBuffer } from '../../browser/shared-frame.ts';

/** A window as it was sent to the pool, with the config of the timeline that sent it. */
export interface RecordedWindow {
  entity: string;
  config: WindowConfig;
  task: WindowTask;
}

/** Where windows go that no entity's timeline sent (a runner used without runnerFor). */
const UNNAMED = '';

/** Rows of one entity's windows, row-major (`m` values a row), with room to grow. */
interface Strip {
  m: number;
  values: Float64Array;
  rows: number;
}

/** Where a recorded window's rows are: a strip and the first row in it. */
interface Placed {
  key: number;
  rows: number;
  leaveOut?: number[];
  strip: Strip;
  from: number;
}

interface EntityRecord {
  config: WindowConfig | null;
  windows: Map<number, Placed>;
  /** The last window recorded, which the next one may go on from. */
  last: Placed | null;
}

export class RecordingRunner implements WindowRunner {
  readonly #inner: WindowRunner;
  readonly #byEntity = new Map<string, EntityRecord>();
  readonly #views = new Map<string, WindowRunner>();
  /** Called once with the first window sent after `clear()`, so its topology can be shown early. */
  onFirstWindow: ((config: WindowConfig, task: WindowTask) => void) | null = null;

  constructor(inner: WindowRunner) {
    this.#inner = inner;
  }

  get concurrency(): number {
    return this.#inner.concurrency;
  }

  run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    return this.#record(UNNAMED, request, signal);
  }

  /** The runner one entity's timeline sends its requests through (same pool, windows recorded under it). */
  forEntity(entity: string): WindowRunner {
    let view = this.#views.get(entity);
    if (!view) {
      view = {
        concurrency: this.#inner.concurrency,
        run: (request, signal) => this.#record(entity, request, signal),
        close: async () => {},
      };
      this.#views.set(entity, view);
    }
    return view;
  }

  /**
   * The window of `entity` that ends nearest to `key` (fleet times are snapped to a common grid, so an
   * entity's own window end may differ by less than a stride). Without an entity, or when it recorded
   * nothing, the nearest window of any entity.
   */
  window(key: number, entity?: string): RecordedWindow | undefined {
    const named = entity === undefined ? undefined : this.#byEntity.get(entity);
    const candidates = named ? [[entity!, named] as const] : [...this.#byEntity];
    let best: { name: string; config: WindowConfig; w: Placed } | undefined;
    let bestD = Infinity;
    for (const [name, rec] of candidates) {
      if (!rec.config) continue;
      const exact = rec.windows.get(key);
      if (exact) return recorded(name, rec.config, exact);
      for (const [k, w] of rec.windows) {
        const d = Math.abs(k - key);
        if (d < bestD) {
          bestD = d;
          best = { name, config: rec.config, w };
        }
      }
    }
    return best && recorded(best.name, best.config, best.w);
  }

  /** Values held for all recorded windows (each row once per strip, not once per window). */
  get keptValues(): number {
    let n = 0;
    for (const s of this.#strips()) n += s.rows * s.m;
    return n;
  }

  /** Values allocated for them, with the room strips keep to grow. */
  get heldValues(): number {
    let n = 0;
    for (const s of this.#strips()) n += s.values.length;
    return n;
  }

  /**
   * Gives back the room strips keep to grow (up to half their rows): called when a run is done, as a
   * 1,000-host day's strips hold about 140 MB. A later window that goes on from a strip grows it again.
   */
  compact(): void {
    for (const s of this.#strips()) {
      const used = s.rows * s.m;
      if (s.values.length === used) continue;
      const old = s.values;
      s.values = old.slice(0, used);
      releaseBuffer(old.buffer); // the strip's own: nothing else reads it
    }
  }

  #strips(): Set<Strip> {
    const strips = new Set<Strip>();
    for (const rec of this.#byEntity.values()) for (const w of rec.windows.values()) strips.add(w.strip);
    return strips;
  }

  clear(): void {
    this.#byEntity.clear();
    this.onFirstWindow = null;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #record<R extends RunnerRequest>(entity: string, request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    if (request.kind === 'windows') {
      let rec = this.#byEntity.get(entity);
      if (!rec) this.#byEntity.set(entity, (rec = { config: null, windows: new Map(), last: null }));
      rec.config = request.config;
      for (const t of request.tasks) rec.windows.set(t.key, place(rec, t, request.config));
      const first = this.onFirstWindow;
      if (first && request.tasks.length > 0) {
        this.onFirstWindow = null;
        first(request.config, taskOf(rec.windows.get(request.tasks[0].key)!));
      }
    }
    return this.#inner.run(request, signal);
  }
}

/**
 * Keeps `t`'s rows in the entity's strips (the request's own block is transferred to a worker): when it goes
 * on from the last window by `config.tail` rows, only its new rows are added.
 */
function place(rec: EntityRecord, t: WindowTask, config: WindowConfig): Placed {
  const m = config.m;
  const last = rec.last;
  const step = config.tail;
  const leaveOut = t.leaveOut ? [...t.leaveOut] : undefined;
  if (
    last &&
    last.strip.m === m &&
    last.rows === t.rows &&
    step < t.rows &&
    last.from + last.rows === last.strip.rows
  ) {
    const strip = last.strip;
    const shared = (t.rows - step) * m;
    const at = (last.from + step) * m;
    let same = true;
    for (let i = 0; i < shared && same; i++) same = Object.is(strip.values[at + i], t.block[i]);
    if (same) {
      const need = (strip.rows + step) * m;
      if (need > strip.values.length) {
        const grown = new Float64Array(Math.ceil(need * 1.5));
        grown.set(strip.values.subarray(0, strip.rows * m));
        strip.values = grown;
      }
      strip.values.set(t.block.subarray(shared), strip.rows * m);
      strip.rows += step;
      rec.last = { key: t.key, rows: t.rows, leaveOut, strip, from: last.from + step };
      return rec.last;
    }
  }
  const strip: Strip = { m, values: t.block.slice(), rows: t.rows };
  rec.last = { key: t.key, rows: t.rows, leaveOut, strip, from: 0 };
  return rec.last;
}

/** The window's task, its block cut from its strip. */
function taskOf(w: Placed): WindowTask {
  const m = w.strip.m;
  const task: WindowTask = {
    key: w.key,
    rows: w.rows,
    block: w.strip.values.slice(w.from * m, (w.from + w.rows) * m),
  };
  if (w.leaveOut) task.leaveOut = w.leaveOut;
  return task;
}

function recorded(entity: string, config: WindowConfig, w: Placed): RecordedWindow {
  return { entity, config, task: taskOf(w) };
}
