// "What if": injects a chosen scenario into the user's own frame, so the app can show how the anomaly
// detector and the failure model respond. Pure: returns a new frame; series it does not touch are shared.
// Effects are written against the metrics the host really has, mapped to channels by name
// (src/lib/domain/channels.ts) or by the user's column roles (lnn/column-roles.ts): a capacity gauge is
// drawn down to ~1 % at the failure, a counter gets extra increments, latency and errors react as they do
// in the generator.
import type { MetricFrame, Series } from '../frame/types.ts';
import { entityOf, type Channel } from '../domain/channels.ts';
import { shown } from '../text/quote.ts';
import { resolveRole, type ColumnRoles } from '../lnn/column-roles.ts';
import { ALL_SCENARIOS, isFailureScenario, type ScenarioLabel, type ScenarioName } from './scenarios.ts';

export interface InjectSpec {
  scenario: ScenarioName;
  /** The entity (instance label) to hit; `*` for fleet-wide benign events. */
  instance: string;
  /** Epoch ms when the cause starts. */
  onset: number;
  /** Epoch ms of the failure (failures only; default onset + 3 h). */
  failure?: number;
  /** Scales benign effects (default 1). */
  strength?: number;
  /** What columns the names do not explain measure, as the model reads them (`--map`). */
  roles?: ColumnRoles;
}

const MIN = 60e3;
const isCounterName = (s: Series) => s.kind === 'counter' || /_total$/.test(s.name);
/** A capacity gauge that counts what is used (else what is left): the user's `:used`/`:free`, else the name. */
function usedStyle(s: Series, roles: ColumnRoles): boolean {
  const role = roles[s.name];
  if (role && role !== 'ignore' && role.sense) return role.sense === 'used';
  return /used|usage|util|percent|ratio/i.test(s.name) && !/avail|free/i.test(s.name);
}

function valueAt(s: Series, t: number): number {
  let best = NaN;
  for (let i = 0; i < s.timestamps.length && s.timestamps[i] <= t; i++)
    if (Number.isFinite(s.values[i])) best = s.values[i];
  if (Number.isNaN(best)) for (const v of s.values) if (Number.isFinite(v)) return v;
  return best;
}

function peak(s: Series): number {
  let m = 0;
  for (const v of s.values) if (v > m) m = v;
  return m;
}

function mapGauge(s: Series, fn: (t: number, v: number) => number): Series {
  const values = s.values.map((v, i) => (Number.isFinite(v) ? fn(s.timestamps[i], v) : v));
  return { ...s, values };
}

/** Rewrites a counter through its per-second rate (resets respected), then re-accumulates it. */
function mapCounterRate(s: Series, fn: (t: number, rate: number) => number): Series {
  const values = new Float64Array(s.values.length);
  let acc = s.values[0];
  values[0] = acc;
  for (let i = 1; i < s.values.length; i++) {
    const dt = (s.timestamps[i] - s.timestamps[i - 1]) / 1000;
    const prev = s.values[i - 1];
    const cur = s.values[i];
    if (!Number.isFinite(cur) || !Number.isFinite(prev) || dt <= 0) {
      values[i] = cur;
      continue;
    }
    const inc = cur >= prev ? cur - prev : cur;
    acc += Math.max(0, fn(s.timestamps[i], inc / dt)) * dt;
    values[i] = acc;
  }
  return { ...s, values };
}

const ramp = (t: number, onset: number, failure: number, k = 1) =>
  t < onset ? 0 : t >= failure ? 1 : Math.pow((t - onset) / (failure - onset), k);
const pulse = (t: number, t0: number, t1: number, fall: number) =>
  t < t0 ? 0 : t <= t1 ? Math.min(1, (t - t0) / MIN) : t <= t1 + fall ? 1 - (t - t1) / fall : 0;
/** After a failure: the fault's consequences last `hold`, then it is cleared. */
const after = (t: number, failure: number, hold: number) => (t >= failure && t < failure + hold ? 1 : 0);

/** Draws a capacity gauge (free bytes, or a used % inverted) down so ~1 % of its peak is left at the failure. */
function drainCapacity(
  s: Series,
  onset: number,
  failure: number,
  shape: (t: number) => number,
  clearAt: number,
  used: boolean,
): Series {
  const top = peak(s);
  const percent = used && top > 1.5;
  const full = used ? (percent ? 100 : 1) : 0;
  const atFailure = valueAt(s, failure);
  const room = used ? full - atFailure : atFailure - 0.01 * top;
  return mapGauge(s, (t, v) => {
    if (t < onset || t >= clearAt) return v;
    const amount = t >= failure ? room : room * shape(t);
    return used ? Math.min(full, v + amount) : Math.max(0, v - amount);
  });
}

type Effect = (s: Series, channel: Channel, spec: Required<InjectSpec>) => Series;

const latencyFactor = (t: number, spec: Required<InjectSpec>, k: number, scale: number) =>
  1 + scale * ramp(t, spec.onset, spec.failure, k) * (t < spec.failure + 20 * MIN ? 1 : 0);

const EFFECTS: Record<ScenarioName, Effect> = {
  memory_leak(s, channel, spec) {
    const { onset, failure } = spec;
    if (channel === 'memory')
      return drainCapacity(s, onset, failure, (t) => ramp(t, onset, failure, 1.2), failure, usedStyle(s, spec.roles));
    if (channel === 'swap' && !usedStyle(s, spec.roles)) {
      const top = peak(s);
      return mapGauge(s, (t, v) =>
        t < failure ? Math.max(0, v - 0.5 * top * Math.max(0, ramp(t, onset, failure) - 0.8) * 5) : v,
      );
    }
    if (channel === 'latency') return mapGauge(s, (t, v) => v * (1 + 2 * after(t, failure, 3 * MIN)));
    if (channel === 'errors' && !isCounterName(s))
      return mapGauge(s, (t, v) => Math.min(1, v + 0.08 * after(t, failure, 3 * MIN)));
    return s;
  },
  disk_fill(s, channel, spec) {
    const { onset, failure } = spec;
    if (channel === 'disk') {
      const period = 2 * 3600e3;
      const lead = failure - onset;
      const phase = (period - (lead % period)) % period;
      const saw = 0.2;
      const shape = (t: number) => {
        const dt = t - onset;
        return (1 - saw) * (dt / lead) + saw * ((((dt + phase) % period) / period) * Math.min(1, dt / period));
      };
      return drainCapacity(s, onset, failure, shape, failure + 20 * MIN, usedStyle(s, spec.roles));
    }
    if (channel === 'errors' && !isCounterName(s))
      return mapGauge(s, (t, v) => Math.min(1, v + 0.15 * after(t, failure, 20 * MIN)));
    return s;
  },
  cpu_saturation(s, channel, spec) {
    return cpuRunaway(s, channel, spec.onset, spec.failure, 15 * MIN);
  },
  cascading_overload(s, channel, spec) {
    return cpuRunaway(s, channel, spec.onset, spec.failure, 0);
  },
  fd_exhaustion(s, channel, spec) {
    const { onset, failure } = spec;
    if (channel === 'fd') {
      const base = valueAt(s, onset);
      const target = Math.max(32768, 8 * base);
      const need = target - valueAt(s, failure);
      return mapGauge(s, (t, v) =>
        t < onset || t >= failure + 10 * MIN ? v : v + need * ramp(t, onset, failure, 1.3),
      );
    }
    if (channel === 'latency') return mapGauge(s, (t, v) => v * (1 + 1.5 * after(t, failure, 10 * MIN)));
    if (channel === 'errors' && !isCounterName(s))
      return mapGauge(s, (t, v) => Math.min(1, v + 0.25 * after(t, failure, 10 * MIN)));
    return s;
  },
  network_saturation(s, channel, spec) {
    const { onset, failure } = spec;
    const hold = failure + 20 * MIN;
    if (channel === 'network' && isCounterName(s)) {
      const tx = /transmit|tx|out|sent/i.test(s.name);
      const top = peakRate(s);
      const target = Math.max(125e6 * 0.985, 3 * top) * (tx ? 1 : 0.15);
      return mapCounterRate(s, (t, r) =>
        t < onset || t >= hold ? r : r + (target - r) * ramp(t, onset, failure, 1.2),
      );
    }
    if (channel === 'retrans' && isCounterName(s)) {
      return mapCounterRate(s, (t, r) => (t < onset || t >= hold ? r : r * (1 + 40 * ramp(t, onset, failure, 3))));
    }
    if (channel === 'latency') return mapGauge(s, (t, v) => (t >= hold ? v : v * latencyFactor(t, spec, 4, 6)));
    return s;
  },
  traffic_spike(s, channel, spec) {
    const end = spec.onset + 25 * MIN;
    const a = 0.7 * spec.strength;
    const p = (t: number) => pulse(t, spec.onset, end, 8 * MIN);
    if (channel === 'network' && isCounterName(s)) return mapCounterRate(s, (t, r) => r * (1 + a * p(t)));
    if (channel === 'cpu') return cpuExtra(s, (t) => 0.18 * spec.strength * p(t));
    if (channel === 'latency') return mapGauge(s, (t, v) => v * (1 + 0.3 * a * p(t)));
    if (channel === 'fd') return mapGauge(s, (t, v) => v * (1 + 0.5 * a * p(t)));
    return s;
  },
  deploy_restart(s, channel, spec) {
    const t0 = spec.onset;
    const decay = (t: number) => (t < t0 ? 0 : Math.exp(-(t - t0) / (4 * MIN)));
    if (channel === 'memory' && !usedStyle(s, spec.roles))
      return mapGauge(s, (t, v) => v + 0.15 * spec.strength * peak(s) * decay(t));
    if (channel === 'cpu') return cpuExtra(s, (t) => 0.3 * pulse(t, t0, t0 + 1.5 * MIN, MIN));
    if (channel === 'errors' && !isCounterName(s))
      return mapGauge(s, (t, v) => Math.min(1, v + 0.03 * pulse(t, t0, t0 + 0.7 * MIN, 0.5 * MIN)));
    if (channel === 'latency') return mapGauge(s, (t, v) => v * (1 + 0.6 * pulse(t, t0, t0 + 2 * MIN, 2 * MIN)));
    return s;
  },
  cron_burst(s, channel, spec) {
    const end = spec.onset + 10 * MIN;
    const p = (t: number) => pulse(t, spec.onset, end, MIN);
    if (channel === 'io' && isCounterName(s) && /io_time/.test(s.name))
      return mapCounterRate(s, (t, r) => Math.min(1, r + 0.5 * spec.strength * p(t)));
    if (channel === 'io' && isCounterName(s)) return mapCounterRate(s, (t, r) => r * (1 + 5 * spec.strength * p(t)));
    if (channel === 'cpu') return cpuExtra(s, (t) => 0.22 * spec.strength * p(t));
    return s;
  },
  cache_warmup(s, channel, spec) {
    const tau = 30 * MIN;
    const fill = (t: number) => (t < spec.onset ? 0 : 1 - Math.exp(-(t - spec.onset) / tau));
    if (channel === 'memory' && !usedStyle(s, spec.roles))
      return mapGauge(s, (t, v) => Math.max(0, v - 0.2 * spec.strength * peak(s) * fill(t)));
    if (channel === 'latency') return mapGauge(s, (t, v) => v * (1 + 0.5 * (t < spec.onset ? 0 : 1 - fill(t))));
    return s;
  },
};

function peakRate(s: Series): number {
  let m = 0;
  for (let i = 1; i < s.values.length; i++) {
    const dt = (s.timestamps[i] - s.timestamps[i - 1]) / 1000;
    const inc = s.values[i] - s.values[i - 1];
    if (dt > 0 && inc >= 0) m = Math.max(m, inc / dt);
  }
  return m;
}

/** Adds busy CPU: idle-mode counters lose time, other counters gain it, utilisation gauges rise. */
function cpuExtra(s: Series, extra: (t: number) => number): Series {
  if (isCounterName(s)) {
    const cpus = Math.max(1, Math.ceil(peakRate(s) - 0.02));
    const idle = s.labels.mode === 'idle' || s.labels.mode === undefined;
    return mapCounterRate(s, (t, r) =>
      idle ? Math.max(0, r - cpus * extra(t)) : r + cpus * extra(t) * (s.labels.mode === 'user' ? 1 : 0),
    );
  }
  const percent = peak(s) > 1.5;
  return mapGauge(s, (t, v) => Math.min(percent ? 100 : 1, v + extra(t) * (percent ? 100 : 1)));
}

function cpuRunaway(s: Series, channel: Channel, onset: number, failure: number, hold: number): Series {
  const extra = (t: number) => (t >= failure + hold ? 0 : 0.6 * ramp(t, onset, failure, 1.5));
  if (channel === 'cpu') return cpuExtra(s, extra);
  if (channel === 'load') return mapGauge(s, (t, v) => v * (1 + 3 * extra(t)));
  if (channel === 'latency')
    return mapGauge(s, (t, v) => (t >= failure + hold ? v : v / (1 - Math.min(0.9, 1.5 * extra(t)))));
  return s;
}

/** Returns a copy of the frame with the scenario injected, and the ground-truth label for it. */
export function injectScenario(frame: MetricFrame, spec: InjectSpec): { frame: MetricFrame; label: ScenarioLabel } {
  const failing = isFailureScenario(spec.scenario);
  const full: Required<InjectSpec> = {
    failure: spec.onset + 3 * 3600e3,
    strength: 1,
    ...spec,
    roles: spec.roles ?? {},
  };
  if (failing && !(full.failure > full.onset)) throw new Error('the failure time must come after the onset');
  const entities = new Set(frame.series.map((s) => entityOf(s.labels)));
  if (spec.instance !== '*' && !entities.has(spec.instance)) {
    throw new Error(
      `no series for '${shown(spec.instance)}'; entities in this frame: ${[...entities]
        .slice(0, 10)
        .map((e) => shown(e))
        .join(', ')}`,
    );
  }
  if (failing && spec.instance === '*') throw new Error(`${spec.scenario} happens to one host: choose an instance`);
  const { hit, channel } = targets(frame, spec);
  let series = applyEffect(frame.series, spec.scenario, hit, full, channel);
  if (!changesData(frame.series, series)) {
    throw new NothingToInjectError(nothingMessage(frame.series.filter(hit), full, channel));
  }
  const label: ScenarioLabel = failing
    ? { scenario: spec.scenario, kind: 'failure', instance: spec.instance, onset: full.onset, failure: full.failure }
    : {
        scenario: spec.scenario,
        kind: 'benign',
        instance: spec.instance,
        onset: full.onset,
        end: full.onset + 30 * MIN,
      };
  if (spec.scenario === 'cascading_overload') {
    // The victim stops reporting at the failure; its peers take the load and saturate within the hour.
    series = series.map((s) => {
      if (entityOf(s.labels) !== spec.instance) {
        const c = channel(s);
        return c ? cpuRunaway(s, c, full.failure, full.failure + 45 * MIN, 15 * MIN) : s;
      }
      const keep = Array.from(s.timestamps, (t) => t < full.failure);
      return { ...s, timestamps: s.timestamps.filter((_, i) => keep[i]), values: s.values.filter((_, i) => keep[i]) };
    });
  }
  return {
    frame: { ...frame, series, meta: { ...frame.meta, origin: `${frame.meta.origin} + what-if ${spec.scenario}` } },
    label,
  };
}

/** The series a spec hits, and the channel of each as the model reads it. */
function targets(frame: MetricFrame, spec: InjectSpec) {
  const hit = (s: Series) => spec.instance === '*' || entityOf(s.labels) === spec.instance;
  // A NAB-style `value` column takes its channel from the file name, as in the model's features; the
  // user's roles come first.
  const channel = (s: Series) => resolveRole(s.name, frame.meta.origin, spec.roles)?.channel ?? null;
  return { hit, channel };
}

/**
 * For a form, before anything runs: why the scenario would change nothing on this host (the message
 * injectScenario would throw), or null when it acts on the host's data.
 */
export function nothingToInject(frame: MetricFrame, spec: InjectSpec): string | null {
  const full: Required<InjectSpec> = {
    failure: spec.onset + 3 * 3600e3,
    strength: 1,
    ...spec,
    roles: spec.roles ?? {},
  };
  const { hit, channel } = targets(frame, spec);
  const own = frame.series.filter(hit);
  if (own.length === 0) return null; // an unknown host: injectScenario says which exist
  return changesData(
    own,
    applyEffect(own, spec.scenario, () => true, full, channel),
  )
    ? null
    : nothingMessage(own, full, channel);
}

/** The scenario would leave the data as it is: the host has no series of the kinds it acts on. */
export class NothingToInjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToInjectError';
  }
}

function applyEffect(
  series: Series[],
  scenario: ScenarioName,
  hit: (s: Series) => boolean,
  spec: Required<InjectSpec>,
  channelOf: (s: Series) => Channel | null,
): Series[] {
  return series.map((s) => {
    const channel = channelOf(s);
    return channel && hit(s) ? EFFECTS[scenario](s, channel, spec) : s;
  });
}

/**
 * Whether the scenario acts on the data: one of its effects changed a series. (A cascading overload's victim
 * also goes silent, but with no CPU, load or latency series to saturate it teaches nothing either.)
 */
function changesData(before: Series[], after: Series[]): boolean {
  return after.some((s, i) => s !== before[i]);
}

/** Says what the host's series are and which scenarios would change them (an injected copy equal to the data teaches nothing). */
function nothingMessage(own: Series[], spec: Required<InjectSpec>, channelOf: (s: Series) => Channel | null): string {
  const who = spec.instance === '*' ? 'any host' : `'${shown(spec.instance)}'`;
  const channels = [...new Set(own.map(channelOf).filter((c) => c !== null))];
  const has = channels.length
    ? `its series are ${channels.join(', ')} metrics`
    : `none of its ${own.length} series is a metric AURA recognises (CPU, load, memory, swap, disk, I/O, network, retransmits, file descriptors, latency, errors)`;
  const candidates = ALL_SCENARIOS.filter((sc) => spec.instance !== '*' || !isFailureScenario(sc));
  const would = candidates.filter(
    (sc) =>
      sc !== spec.scenario &&
      changesData(
        own,
        applyEffect(own, sc, () => true, { ...spec, scenario: sc }, channelOf),
      ),
  );
  const advice = would.length
    ? `scenarios that would change this data: ${would.join(', ')}`
    : 'no scenario acts on these series: use a file with node_exporter-style metrics for this host';
  return `${spec.scenario} touches no series this file has for ${who}: ${has}. The copy would equal your data; ${advice}.`;
}
