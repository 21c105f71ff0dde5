// Peer baselines for the fleet evaluation: what a user compares hosts with when they do not run AURA.
// Each gives, per host and row, a score whose threshold is the method's one knob; the eval turns rows into
// window scores at AURA's window ends (baselines.ts windowMax) and applies the same span rule.
//
//   - Grafana ML outlier detection, DBSCAN (augurs-outlier's 1-D DBSCAN): per metric and timestamp the
//     hosts' values are sorted; values closer than ε chain into clusters, a cluster holding more than half
//     of the hosts is normal and every other host is an outlier. A host is outside the majority cluster at
//     ε exactly when its single-linkage join height to the majority exceeds ε, so the score is that height
//     in units of Grafana's ε scale (1.1 × the metric's span; here the span of the baseline rows, so the
//     score is causal): outlier ⇔ score > 1 − sensitivity. The host's row score is the largest over metrics.
//   - Grafana ML outlier detection, MAD: per metric, one median over all hosts and baseline rows, and the
//     median absolute deviation below and above it (double MAD); score = |x − median| / (1.4826 · MAD of
//     that side). Grafana uses the Harrell–Davis median; the plain median here.
//   - Robust z across hosts: per metric and timestamp, |x − median of the hosts| / (1.4826 · their MAD).
//
// Inputs: `raw` (the aligned values, counters as per-second rates: what a PromQL query of the group
// returns) or `own` (each series in robust z of its own baseline, as AURA's peer points are built: hosts
// of different sizes then share one scale).
import type { AlignedFrame } from '../../src/lib/frame/types.ts';

export type PeerInput = 'raw' | 'own';

/** One metric over the fleet: values[h] is host h's column (null: the host lacks the metric). */
export interface MetricGroup {
  key: string;
  values: (Float64Array | null)[];
}

/** Columns grouped by metric (the series key without the entity label), hosts in `hosts` order. */
export function metricGroups(
  aligned: AlignedFrame,
  label: string,
  hosts: string[],
  input: PeerInput,
  baseRows: number,
) {
  const hostIndex = new Map(hosts.map((h, i) => [h, i]));
  const groups = new Map<string, MetricGroup>();
  aligned.series.forEach((s, j) => {
    const h = hostIndex.get(s.labels[label]);
    if (h === undefined) return;
    const rest = Object.entries(s.labels)
      .filter(([k]) => k !== label)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const key = `${s.name}{${rest}}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, values: hosts.map(() => null) }));
    g.values[h] = input === 'raw' ? aligned.columns[j] : ownZ(aligned.columns[j], baseRows);
  });
  return [...groups.values()];
}

/** Robust z on the series' own first `base` rows (median / 1.4826 MAD, floored at 1 % of the level). */
export function ownZ(col: Float64Array, base: number): Float64Array {
  const ref: number[] = [];
  for (let i = 0; i < Math.min(base, col.length); i++) if (Number.isFinite(col[i])) ref.push(col[i]);
  const out = new Float64Array(col.length);
  if (ref.length === 0) return out.fill(NaN);
  const med = median(ref);
  const scale = Math.max(1.4826 * median(ref.map((v) => Math.abs(v - med))), 0.01 * Math.abs(med), 1e-9);
  for (let i = 0; i < col.length; i++) out[i] = (col[i] - med) / scale;
  return out;
}

/** Per host, per row: the largest score over metrics (0 where a host has no finite value). */
type RowScore = Float64Array[];

function perRow(
  groups: MetricGroup[],
  rows: number,
  n: number,
  score: (g: number, i: number, out: Float64Array) => void,
) {
  const out: RowScore = Array.from({ length: n }, () => new Float64Array(rows));
  const tmp = new Float64Array(n);
  for (let g = 0; g < groups.length; g++) {
    for (let i = 0; i < rows; i++) {
      tmp.fill(0);
      score(g, i, tmp);
      for (let h = 0; h < n; h++) if (tmp[h] > out[h][i]) out[h][i] = tmp[h];
    }
  }
  return out;
}

/** Finite values of one metric at row i, with their host indices, sorted by value. */
function sortedAt(group: MetricGroup, i: number): { v: Float64Array; host: Int32Array } {
  const pairs: [number, number][] = [];
  group.values.forEach((col, h) => {
    const x = col?.[i];
    if (x !== undefined && Number.isFinite(x)) pairs.push([x, h]);
  });
  pairs.sort((a, b) => a[0] - b[0]);
  return { v: Float64Array.from(pairs, (p) => p[0]), host: Int32Array.from(pairs, (p) => p[1]) };
}

/**
 * 1-D single linkage: for sorted values, the gap at which each one first belongs to a cluster of more than
 * half of them (0 for members of the majority at gap 0). DBSCAN-1D with ε marks exactly those above ε.
 */
export function joinHeights1d(sorted: Float64Array): Float64Array {
  const n = sorted.length;
  const height = new Float64Array(n);
  if (n <= 2) return height;
  const majority = (n >> 1) + 1;
  const gaps = Array.from({ length: n - 1 }, (_, k) => k).sort(
    (a, b) => sorted[a + 1] - sorted[a] - (sorted[b + 1] - sorted[b]),
  );
  // Clusters are runs of sorted positions: lo[r]/hi[r] for the run's ends.
  const lo = Int32Array.from({ length: n }, (_, i) => i);
  const hi = Int32Array.from({ length: n }, (_, i) => i);
  let giant: [number, number] | null = null;
  for (const k of gaps) {
    const w = sorted[k + 1] - sorted[k];
    const a0 = lo[k];
    const b1 = hi[k + 1];
    const joined: [number, number] = [a0, b1];
    lo[b1] = a0;
    hi[a0] = b1;
    if (!giant && b1 - a0 + 1 >= majority) {
      for (let i = a0; i <= b1; i++) height[i] = w;
      giant = joined;
    } else if (giant && (giant[0] === a0 || giant[1] === b1)) {
      // The giant grew by the run on its other side: those points join at w.
      const [from, to] = giant[0] === a0 ? [giant[1] + 1, b1] : [a0, giant[0] - 1];
      for (let i = from; i <= to; i++) height[i] = w;
      giant = joined;
    }
  }
  return height;
}

/** Grafana DBSCAN: join height in units of 1.1 × the metric's span over the baseline rows. */
export function dbscanScores(groups: MetricGroup[], rows: number, n: number, baseRows: number): RowScore {
  const unit = groups.map((g) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const col of g.values)
      for (let i = 0; col && i < Math.min(baseRows, rows); i++)
        if (Number.isFinite(col[i])) {
          lo = Math.min(lo, col[i]);
          hi = Math.max(hi, col[i]);
        }
    // augurs floors the span at 0.1.
    return 1.1 * Math.max(hi - lo, 0.1);
  });
  return perRow(groups, rows, n, (g, i, out) => {
    const { v, host } = sortedAt(groups[g], i);
    const h = joinHeights1d(v);
    for (let k = 0; k < v.length; k++) out[host[k]] = h[k] / unit[g];
  });
}

/** Grafana MAD: one median and a lower and an upper MAD per metric, over all hosts and the baseline rows. */
export function madScores(groups: MetricGroup[], rows: number, n: number, baseRows: number): RowScore {
  const fits = groups.map((g) => {
    const all: number[] = [];
    for (const col of g.values)
      for (let i = 0; col && i < Math.min(baseRows, rows); i++) if (Number.isFinite(col[i])) all.push(col[i]);
    const med = median(all);
    const lower = median(all.filter((x) => x <= med).map((x) => med - x));
    const upper = median(all.filter((x) => x >= med).map((x) => x - med));
    const floor = Math.max(1e-9, 1e-6 * Math.abs(med));
    return { med, lower: 1.4826 * Math.max(lower, floor), upper: 1.4826 * Math.max(upper, floor) };
  });
  return perRow(groups, rows, n, (g, i, out) => {
    const { med, lower, upper } = fits[g];
    groups[g].values.forEach((col, h) => {
      const x = col?.[i];
      if (x === undefined || !Number.isFinite(x)) return;
      out[h] = x < med ? (med - x) / lower : (x - med) / upper;
    });
  });
}

/** Robust z across hosts at each timestamp, per metric. */
export function crossZScores(groups: MetricGroup[], rows: number, n: number): RowScore {
  return perRow(groups, rows, n, (g, i, out) => {
    const { v, host } = sortedAt(groups[g], i);
    if (v.length < 3) return;
    const med = quantileSorted(v, 0.5);
    const dev = Float64Array.from(v, (x) => Math.abs(x - med)).sort();
    const scale = Math.max(1.4826 * quantileSorted(dev, 0.5), 1e-9, 1e-6 * Math.abs(med));
    for (let k = 0; k < v.length; k++) out[host[k]] = Math.abs(v[k] - med) / scale;
  });
}

function quantileSorted(s: Float64Array, q: number): number {
  const pos = q * (s.length - 1);
  const a = Math.floor(pos);
  const b = Math.ceil(pos);
  return s[a] + (s[b] - s[a]) * (pos - a);
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  return quantileSorted(Float64Array.from(values).sort(), 0.5);
}
