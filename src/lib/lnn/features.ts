// Metrics -> per-host feature rows on a 5-minute grid, the model's input (see spec.ts for every column).
// Everything here is causal: a bucket's features use only samples up to the end of that bucket, so the
// features of a prefix of a frame are a prefix of the frame's features.
import type { MetricFrame, Series } from '../frame/types.ts';
import { counterRate, isCounter } from '../cloud/counters.ts';
import { frameTimeRange } from '../frame/stats.ts';
import type { PHEngine } from '../tda/engine.ts';
import { entityOf } from '../domain/channels.ts';
import { CAPACITY_CHANNELS, resolveRole, type CapacitySense, type ColumnRoles } from './column-roles.ts';
import {
  BUCKET_MS,
  CHANNELS,
  CHANNEL_FEATURES,
  ETA_CHANNELS,
  FEATURE_COUNT,
  FEATURE_NAMES,
  SEQ_LEN,
  TDA_WINDOW,
  type Channel,
} from './spec.ts';

export interface HostFeatures {
  entity: string;
  /** End of each bucket, epoch ms, on a grid shared by all hosts of the frame. */
  times: Float64Array;
  /** 1 where the host reported at least one sample in the bucket. */
  observed: Uint8Array;
  /** Row-major buckets × FEATURE_COUNT, unnormalised. */
  features: Float32Array;
  /** Series keys (name{labels}) behind each channel. */
  channels: Partial<Record<Channel, string[]>>;
}

export interface FeatureOptions {
  /** Engine for the topological features; without one they are 0 and `tda_present` is 0. */
  ph?: PHEngine | null;
  /** Fill only the rows a prediction as of `at` reads (the last `len` observed buckets); see extractFeatures. */
  window?: { at?: number; len: number };
  /** Only this entity (the others still count for `peers_down`). */
  entity?: string;
  /** The user's column roles (column-roles.ts); columns not in it keep their automatic channel. */
  roles?: ColumnRoles;
}

const HOUR = 3600e3;
const SHORT = 6; // 30 min
const LONG = 36; // 3 h
const FILL_LIMIT = 6; // carry a channel's last level over gaps up to 30 min
const BASELINE_BUCKETS = 72; // 6 h running baseline for relative channels
const col = (name: string) => FEATURE_NAMES.indexOf(name);

/** Mean of the finite samples in each bucket [t0 + kB, t0 + (k+1)B); NaN where there are none. */
function bucketMeans(ts: Float64Array, vs: Float64Array, t0: number, nb: number): Float64Array {
  const sum = new Float64Array(nb);
  const cnt = new Uint32Array(nb);
  for (let i = 0; i < ts.length; i++) {
    const v = vs[i];
    if (!Number.isFinite(v)) continue;
    const k = Math.floor((ts[i] - t0) / BUCKET_MS);
    if (k < 0 || k >= nb) continue;
    sum[k] += v;
    cnt[k]++;
  }
  const out = new Float64Array(nb);
  for (let k = 0; k < nb; k++) out[k] = cnt[k] > 0 ? sum[k] / cnt[k] : NaN;
  return out;
}

function runningMax(xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length);
  let m = NaN;
  for (let k = 0; k < xs.length; k++) {
    if (Number.isFinite(xs[k]) && !(xs[k] <= m)) m = xs[k];
    out[k] = m;
  }
  return out;
}

/**
 * A relative level beyond ln 20 either way reads as ln 20: real traffic and retransmit series jump from 0 to
 * thousands (ln ratios of −7 and +14 seen on SMD and NAB), far outside anything training holds (generated
 * hosts stay within about ±2.5), and the network's answer out there is arbitrary.
 */
export const RELATIVE_LEVEL_LIMIT = 3;

/**
 * ln(x / baseline), baseline an exponential moving average over ~6 h of the values before this bucket,
 * clipped to ±RELATIVE_LEVEL_LIMIT.
 */
function relativeToBaseline(xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length).fill(NaN);
  const alpha = 1 / BASELINE_BUCKETS;
  let base = NaN;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k];
    if (!Number.isFinite(x)) continue;
    if (!Number.isFinite(base)) base = x;
    const eps = Math.max(1e-9, Math.abs(base) * 1e-3);
    const r = Math.log((Math.max(x, 0) + eps) / (Math.max(base, 0) + eps));
    out[k] = Math.max(-RELATIVE_LEVEL_LIMIT, Math.min(RELATIVE_LEVEL_LIMIT, r));
    base += alpha * (x - base);
  }
  return out;
}

/** Combines per-series levels of one channel: the worst series counts (lowest for capacity, highest otherwise). */
function combine(levels: Float64Array[], worst: 'min' | 'max'): Float64Array {
  const out = new Float64Array(levels[0].length).fill(NaN);
  for (const l of levels) {
    for (let k = 0; k < l.length; k++) {
      const v = l[k];
      if (!Number.isFinite(v)) continue;
      const cur = out[k];
      if (Number.isNaN(cur) || (worst === 'min' ? v < cur : v > cur)) out[k] = v;
    }
  }
  return out;
}

interface Mapped {
  series: Series;
  channel: Channel;
  key: string;
  /** For capacity channels, when the user said how to read the column. */
  sense?: CapacitySense;
}

/** Per-bucket values of a series in natural units: counters become per-second rates first. */
function bucketed(s: Series, t0: number, nb: number): Float64Array {
  const values = isCounter(s) ? counterRate(s.timestamps, s.values) : s.values;
  return bucketMeans(s.timestamps, values, t0, nb);
}

/** bucketed() on the frame's grid, once per series (a channel may read a series more than once). Read-only results. */
type Bucketer = (s: Series) => Float64Array;
function bucketer(t0: number, nb: number): Bucketer {
  const done = new Map<Series, Float64Array>();
  return (s) => {
    let b = done.get(s);
    if (!b) done.set(s, (b = bucketed(s, t0, nb)));
    return b;
  };
}

/** CPU busy ratio from counters by mode (idle share of all modes), idle alone (vs. CPU count), or a utilisation gauge. */
function cpuLevel(list: Mapped[], bucketOf: Bucketer, nb: number): { level: Float64Array; ncpu: Float64Array | null } {
  const idle: Float64Array[] = [];
  const all: Float64Array[] = [];
  const gauges: Float64Array[] = [];
  let otherModes = false;
  for (const m of list) {
    const b = bucketOf(m.series);
    if (isCounter(m.series)) {
      const mode = m.series.labels.mode;
      if (mode === 'idle') idle.push(b);
      else if (mode !== undefined) otherModes = true;
      all.push(b);
    } else {
      const peak = runningMax(b);
      gauges.push(b.map((v, k) => Math.min(1, Math.max(0, peak[k] > 1.5 ? v / 100 : v))));
    }
  }
  const sum = (arrs: Float64Array[]) => {
    const out = new Float64Array(nb).fill(NaN);
    for (const a of arrs)
      for (let k = 0; k < nb; k++) if (Number.isFinite(a[k])) out[k] = (Number.isNaN(out[k]) ? 0 : out[k]) + a[k];
    return out;
  };
  const levels: Float64Array[] = [...gauges];
  let ncpu: Float64Array | null = null;
  if (idle.length > 0) {
    const idleRate = sum(idle);
    if (otherModes) {
      const total = sum(all);
      levels.push(idleRate.map((v, k) => (total[k] > 0 ? 1 - v / total[k] : NaN)));
      ncpu = total;
    } else {
      // Only idle time: the CPU count is the smallest whole number above the highest idle rate seen.
      const cap = runningMax(idleRate).map((m) => (Number.isFinite(m) ? Math.max(1, Math.ceil(m - 0.02)) : NaN));
      levels.push(idleRate.map((v, k) => Math.min(1, Math.max(0, 1 - v / cap[k]))));
      ncpu = cap;
    }
  } else if (all.length > 0) {
    const busy = sum(all);
    const peak = runningMax(busy);
    levels.push(busy.map((v, k) => v / Math.max(1, Math.ceil(peak[k]))));
  }
  return { level: combine(levels, 'max'), ncpu };
}

/** A capacity metric as the fraction left: free/available series directly, used/usage series inverted. */
function capacityLevel(m: Mapped, bucketOf: Bucketer): Float64Array {
  const b = bucketOf(m.series);
  const peak = runningMax(b);
  const used = m.sense
    ? m.sense === 'used'
    : /used|usage|util|percent|ratio/i.test(m.series.name) && !/avail|free/i.test(m.series.name);
  return b.map((v, k) => {
    if (!(peak[k] > 0)) return NaN;
    if (used) return peak[k] <= 1 ? 1 - v : peak[k] <= 100 ? 1 - v / 100 : 1 - v / peak[k];
    return v / peak[k];
  });
}

function channelLevels(list: Mapped[], t0: number, nb: number): Partial<Record<Channel, Float64Array>> {
  const by = new Map<Channel, Mapped[]>();
  for (const m of list) {
    const ms = by.get(m.channel);
    if (ms) ms.push(m);
    else by.set(m.channel, [m]);
  }
  const bucketOf = bucketer(t0, nb);
  const out: Partial<Record<Channel, Float64Array>> = {};
  let ncpu: Float64Array | null = null;
  const cpu = by.get('cpu');
  if (cpu) ({ level: out.cpu, ncpu } = cpuLevel(cpu, bucketOf, nb));
  for (const channel of ['memory', 'swap', 'disk'] as const) {
    const ms = by.get(channel);
    if (ms)
      out[channel] = combine(
        ms.map((m) => capacityLevel(m, bucketOf)),
        'min',
      );
  }
  const load = by.get('load');
  if (load) {
    const pick = load.find((m) => m.series.name === 'node_load1') ?? load[0];
    const b = bucketOf(pick.series);
    const peak = runningMax(b);
    out.load = b.map((v, k) => (ncpu && ncpu[k] > 0 ? v / ncpu[k] : peak[k] > 0 ? v / peak[k] : NaN));
  }
  const io = by.get('io');
  if (io) {
    out.io = combine(
      io.map((m) => {
        const b = bucketOf(m.series);
        return m.series.name === 'node_disk_io_time_seconds_total'
          ? b.map((v) => Math.min(1, Math.max(0, v)))
          : relativeToBaseline(b);
      }),
      'max',
    );
  }
  const net = by.get('network');
  if (net) {
    // Traffic in and out together: saturation shows in the sum.
    const parts = net.map((m) => bucketOf(m.series));
    const total = new Float64Array(nb).fill(NaN);
    for (const p of parts)
      for (let k = 0; k < nb; k++) if (Number.isFinite(p[k])) total[k] = (Number.isNaN(total[k]) ? 0 : total[k]) + p[k];
    out.network = relativeToBaseline(total);
  }
  for (const channel of ['retrans', 'fd', 'latency'] as const) {
    const ms = by.get(channel);
    if (ms)
      out[channel] = combine(
        ms.map((m) => relativeToBaseline(bucketOf(m.series))),
        'max',
      );
  }
  const errors = by.get('errors');
  if (errors) {
    out.errors = combine(
      errors.map((m) => {
        const b = bucketOf(m.series);
        const peak = runningMax(b);
        return b.map((v, k) => (peak[k] <= 1 ? Math.log10(Math.max(0, v) + 1e-4) / 4 + 1 : NaN));
      }),
      'max',
    );
    // Error counts (not ratios) are judged against their own baseline.
    const counts = errors.filter((m) => runningMax(bucketOf(m.series)).some((p) => p > 1));
    if (counts.length > 0) {
      const rel = combine(
        counts.map((m) => relativeToBaseline(bucketOf(m.series))),
        'max',
      );
      out.errors = combine([out.errors, rel], 'max');
    }
  }
  for (const c of Object.keys(out) as Channel[]) out[c] = forwardFill(out[c]!, FILL_LIMIT);
  return out;
}

function forwardFill(xs: Float64Array, limit: number): Float64Array {
  let last = NaN;
  let age = 0;
  for (let k = 0; k < xs.length; k++) {
    if (Number.isFinite(xs[k])) {
      last = xs[k];
      age = 0;
    } else if (Number.isFinite(last) && ++age <= limit) xs[k] = last;
  }
  return xs;
}

/** Least-squares slope per hour of xs over buckets (k-w, k], skipping gaps; 0 with fewer than 3 points. */
function slope(xs: Float64Array, k: number, w: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let j = Math.max(0, k - w + 1); j <= k; j++) {
    const y = xs[j];
    if (!Number.isFinite(y)) continue;
    const x = ((j - k) * BUCKET_MS) / HOUR;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  if (n < 3) return 0;
  const den = n * sxx - sx * sx;
  return den > 0 ? (n * sxy - sx * sy) / den : 0;
}

function volatility(xs: Float64Array, k: number, w: number): number {
  let n = 0;
  let s = 0;
  let ss = 0;
  for (let j = Math.max(1, k - w + 1); j <= k; j++) {
    const d = xs[j] - xs[j - 1];
    if (!Number.isFinite(d)) continue;
    n++;
    s += d;
    ss += d * d;
  }
  if (n < 2) return 0;
  const mean = s / n;
  return Math.sqrt(Math.max(0, ss / n - mean * mean));
}

/** H0 and H1 total persistence of the host's last hour of channel levels, z-scored per channel. */
function topology(ph: PHEngine, levels: Float64Array[], k: number): [number, number] | null {
  const rows: number[] = [];
  for (let j = Math.max(0, k - TDA_WINDOW + 1); j <= k; j++)
    if (levels.every((l) => Number.isFinite(l[j]))) rows.push(j);
  const d = levels.length;
  if (rows.length < 4 || d === 0) return null;
  const points = new Float64Array(rows.length * d);
  levels.forEach((l, c) => {
    let mean = 0;
    for (const j of rows) mean += l[j];
    mean /= rows.length;
    let v = 0;
    for (const j of rows) v += (l[j] - mean) ** 2;
    const sd = Math.sqrt(v / rows.length);
    rows.forEach((j, r) => (points[r * d + c] = sd > 1e-6 ? (l[j] - mean) / sd : 0));
  });
  const { diagrams } = ph.computePoints(points, rows.length, d, { maxDim: 1 });
  const total = [0, 0];
  for (const dg of diagrams) {
    if (dg.dim > 1) continue;
    for (let i = 0; i < dg.births.length; i++)
      if (Number.isFinite(dg.deaths[i])) total[dg.dim] += dg.deaths[i] - dg.births[i];
  }
  const scale = Math.sqrt(d);
  return [total[0] / scale, total[1] / scale];
}

/** Sets observed[k] for every bucket holding a timestamp; timestamps are ascending, so one division per bucket. */
function markObserved(ts: Float64Array, t0: number, nb: number, observed: Uint8Array): void {
  let i = 0;
  while (i < ts.length) {
    const k = Math.floor((ts[i] - t0) / BUCKET_MS);
    if (k >= nb) return;
    if (k >= 0) observed[k] = 1;
    const end = t0 + (k + 1) * BUCKET_MS;
    do i++;
    while (i < ts.length && ts[i] < end);
  }
}

/** The shared bucket grid of a frame: start and bucket count, or null when it has no samples. */
export function frameGrid(frame: MetricFrame): { t0: number; nb: number } | null {
  const range = frameTimeRange(frame);
  if (!range) return null;
  const [lo, hi] = range;
  const t0 = Math.floor(lo / BUCKET_MS) * BUCKET_MS;
  return { t0, nb: Math.floor((hi - t0) / BUCKET_MS) + 1 };
}

/**
 * The last bucket at or before `at` (epoch ms; default the end of the grid) in which the host reported,
 * or -1. A bucket counts as "at or before" when it starts no later than `at`.
 */
export function lastObservedBucket(h: Pick<HostFeatures, 'times' | 'observed'>, at?: number): number {
  for (let k = h.times.length - 1; k >= 0; k--) {
    if (at !== undefined && h.times[k] - BUCKET_MS > at) continue;
    if (h.observed[k]) return k;
  }
  return -1;
}

/** The buckets a prediction at bucket k reads: the last `len` observed buckets up to k (see sequenceAt). */
function windowRows(observed: Uint8Array, k: number, len: number): number[] {
  const rows: number[] = [];
  for (let j = k; j >= 0 && rows.length < len; j--) if (observed[j]) rows.push(j);
  return rows.reverse();
}

const TDA_H0 = col('tda_h0');
const TDA_H1 = col('tda_h1');
const TDA_PRESENT = col('tda_present');
const HOUR_SIN = col('hour_sin');
const HOUR_COS = col('hour_cos');
const PEERS_DOWN = col('peers_down');
/** A peer counts as down after this many buckets without a sample (15 min), for up to PEER_MEMORY buckets (6 h). */
const PEER_SILENCE = 3;
const PEER_MEMORY = 72;
const PER_CHANNEL = CHANNEL_FEATURES.length;
const ETA_COLUMNS = ETA_CHANNELS.map((c) => ({
  channel: c,
  slope: CHANNELS.indexOf(c) * PER_CHANNEL + 1,
  trend: CHANNELS.indexOf(c) * PER_CHANNEL + 2,
  eta: col(`${c}_eta`),
  etaShort: col(`${c}_eta_short`),
}));

/** exp(-eta / scaleHours) for a level `left` away from its limit, closing at `rate` per hour; 0 when not closing. */
const etaFeature = (left: number, rate: number, scaleHours: number) =>
  rate > 1e-4 ? Math.exp(-Math.max(0, left) / rate / scaleHours) : 0;

/**
 * Writes the feature row of bucket k. A row depends only on the channel levels (whole history, causal)
 * and on k, so rows can be filled in any order or selectively.
 */
function fillRow(
  features: Float32Array,
  k: number,
  time: number,
  levels: Partial<Record<Channel, Float64Array>>,
  topo: { ph: PHEngine; levels: Float64Array[] } | null,
  peersDown: number,
): void {
  const row = k * FEATURE_COUNT;
  features[row + PEERS_DOWN] = peersDown;
  for (let ci = 0; ci < CHANNELS.length; ci++) {
    const l = levels[CHANNELS[ci]];
    if (!l || !Number.isFinite(l[k])) continue;
    const base = row + ci * PER_CHANNEL;
    features[base] = l[k];
    features[base + 1] = slope(l, k, SHORT);
    features[base + 2] = slope(l, k, LONG);
    features[base + 3] = volatility(l, k, SHORT);
    features[base + 4] = 1;
  }
  for (const { channel: c, slope: slopeCol, trend: trendCol, eta, etaShort } of ETA_COLUMNS) {
    const l = levels[c];
    if (!l || !Number.isFinite(l[k])) continue;
    // CPU saturates upwards; the capacity channels run out downwards.
    const sign = c === 'cpu' ? 1 : -1;
    const left = c === 'cpu' ? 1 - l[k] : l[k];
    features[row + eta] = etaFeature(left, sign * features[row + trendCol], 6);
    features[row + etaShort] = etaFeature(left, sign * features[row + slopeCol], 1);
  }
  if (topo) {
    const tda = topology(topo.ph, topo.levels, k);
    if (tda) {
      features[row + TDA_H0] = tda[0];
      features[row + TDA_H1] = tda[1];
      features[row + TDA_PRESENT] = 1;
    }
  }
  const hour = ((time / HOUR) % 24) / 24;
  features[row + HOUR_SIN] = Math.sin(2 * Math.PI * hour);
  features[row + HOUR_COS] = Math.cos(2 * Math.PI * hour);
}

/**
 * Feature rows for every entity of the frame that has at least one metric the model knows.
 *
 * With `window`, only the rows one prediction reads are filled (the last `len` observed buckets up to the
 * bucket of `at`, see lastObservedBucket); every other row stays 0. The filled rows are identical to the
 * full extraction's, because a row depends only on the levels, which are always computed over the whole
 * history. Inference uses this: the windowed rows are about a tenth of a day's, and the topological
 * feature (one persistent-homology run per row) dominates the cost.
 */
export function extractFeatures(frame: MetricFrame, opts: FeatureOptions = {}): HostFeatures[] {
  const grid = frameGrid(frame);
  if (!grid) return [];
  const { t0, nb } = grid;
  const groups = new Map<string, Mapped[]>();
  for (const s of frame.series) {
    const role = resolveRole(s.name, frame.meta.origin, opts.roles);
    if (!role || s.timestamps.length === 0) continue;
    const entity = entityOf(s.labels);
    const keyLabels = Object.keys(s.labels)
      .sort()
      .map((k) => `${k}=${JSON.stringify(s.labels[k])}`)
      .join(',');
    const key = keyLabels ? `${s.name}{${keyLabels}}` : s.name;
    let list = groups.get(entity);
    if (!list) groups.set(entity, (list = []));
    // What is left (or used) of a resource is a gauge: a disk filling up is monotonic, not a counter.
    const series =
      CAPACITY_CHANNELS.includes(role.channel) && s.kind !== 'counter' ? { ...s, kind: 'gauge' as const } : s;
    list.push({ series, channel: role.channel, key, ...(role.sense ? { sense: role.sense } : {}) });
  }
  const times = new Float64Array(nb);
  for (let k = 0; k < nb; k++) times[k] = t0 + (k + 1) * BUCKET_MS;
  const observedBy = new Map<string, Uint8Array>();
  for (const [entity, list] of groups) {
    const observed = new Uint8Array(nb);
    for (const m of list) markObserved(m.series.timestamps, t0, nb, observed);
    observedBy.set(entity, observed);
  }
  const fleet = fleetState([...observedBy.values()], nb);
  const out: HostFeatures[] = [];
  for (const [entity, list] of groups) {
    if (opts.entity !== undefined && entity !== opts.entity) continue;
    const observed = observedBy.get(entity)!;
    // The host itself is not among its peers: it is reporting (on its own rows) and has been seen.
    const peersDown = (k: number) => (fleet.seen[k] > 1 ? fleet.down[k] / (fleet.seen[k] - 1) : 0);
    const levels = channelLevels(list, t0, nb);
    const features = new Float32Array(nb * FEATURE_COUNT);
    const tdaLevels = CHANNELS.filter((c) => levels[c] !== undefined).map((c) => levels[c]!);
    const topo = opts.ph ? { ph: opts.ph, levels: tdaLevels } : null;
    if (opts.window) {
      const k = lastObservedBucket({ times, observed }, opts.window.at);
      // Window rows are observed by construction, so the topology applies to each.
      for (const j of k < 0 ? [] : windowRows(observed, k, opts.window.len))
        fillRow(features, j, times[j], levels, topo, peersDown(j));
    } else {
      for (let k = 0; k < nb; k++) fillRow(features, k, times[k], levels, observed[k] ? topo : null, peersDown(k));
    }
    const channels: Partial<Record<Channel, string[]>> = {};
    for (const m of list) (channels[m.channel] ??= []).push(m.key);
    out.push({ entity, times, observed, features, channels });
  }
  return out.sort((a, b) => a.entity.localeCompare(b.entity, undefined, { numeric: true }));
}

/**
 * Per bucket, over all entities: how many have reported at some bucket ≤ k (`seen`), and how many of those
 * are silent at k, for at least PEER_SILENCE buckets but no more than PEER_MEMORY (`down`). Causal.
 */
function fleetState(observed: Uint8Array[], nb: number): { seen: Uint16Array; down: Uint16Array } {
  const seen = new Uint16Array(nb);
  const down = new Uint16Array(nb);
  for (const o of observed) {
    let last = -1;
    for (let k = 0; k < nb; k++) {
      if (o[k]) last = k;
      if (last < 0) continue;
      seen[k]++;
      const silent = k - last;
      if (silent >= PEER_SILENCE && silent <= PEER_MEMORY) down[k]++;
    }
  }
  return { seen, down };
}

export interface Normalisation {
  mean: number[];
  std: number[];
}

/**
 * The model input for a prediction at bucket k: the last `len` observed buckets up to k, normalised,
 * with the elapsed time between them in buckets (1 = 5 min). Missing history is left-padded with zeros
 * and Δt = 0. Writes into x (len × F) and dt (len).
 */
export function sequenceAt(
  h: HostFeatures,
  k: number,
  norm: Normalisation,
  x: Float32Array,
  dt: Float32Array,
  len = SEQ_LEN,
): number {
  const F = FEATURE_COUNT;
  x.fill(0);
  dt.fill(0);
  let slot = len - 1;
  let next = -1;
  for (let j = k; j >= 0 && slot >= 0; j--) {
    if (!h.observed[j]) continue;
    if (next >= 0) dt[slot + 1] = (h.times[next] - h.times[j]) / BUCKET_MS;
    for (let f = 0; f < F; f++) {
      const z = (h.features[j * F + f] - norm.mean[f]) / norm.std[f];
      x[slot * F + f] = z > 8 ? 8 : z < -8 ? -8 : z;
    }
    next = j;
    slot--;
  }
  if (next >= 0) dt[slot + 1] = 1;
  return len - 1 - slot;
}
