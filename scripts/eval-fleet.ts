// `npm run eval -- fleet`: the fleet pipeline (src/lib/analysis: one timeline per host, peer outliers,
// fleet-wide spans) on generated fleets of 100 and 1,000 hosts, 24 h at 1 min, against the old single fleet
// cloud and the peer baselines a user would otherwise run (Grafana ML outlier detection, DBSCAN and MAD,
// and a per-metric robust z across hosts), each with the same span rule.
//
// Fleets: scripts/eval/fleet.ts fleetPlan (3–10 failing hosts of mixed kinds, a fleet-wide traffic spike
// and cron burst, three single-host benign look-alikes). Seeds are fixed below: the TUNING fleets choose the
// baselines' thresholds (the lowest whose false spans per host-day do not exceed AURA's on the same fleets,
// or the 0.05 target when AURA's is lower: the more lenient of the two); HELD-OUT fleets are the results.
//
// "Ranks in the top 10 before its failure": the analysis is run live, as a monitor would: the frame is cut
// at failure − 15 min for each failure in turn (Analysis keeps its state and computes only the new
// windows, on a fixed baseline, the first 4 h), and the ranking is the report's as of then. The baselines
// and the old cloud are ranked from the spans they had raised by then (peak over threshold; nothing raised:
// 0). Ranks are pessimistic: ties count against the failing host.
//
// False spans: spans on hosts without a failure, raised (detected) outside every fleet-wide event (its onset
// to its end + one window), per host-day; the single-host benign look-alikes count as false. A span raised
// before an event and still on during it is false.
//
// scripts/eval/fleet-diagnose.ts prints, for one tuning fleet, each failing host's spans, trace, peer
// scores and rank at each cut, and what outranks it.
import { alignFrame, type AlignResult } from '../src/lib/cloud/align.ts';
import type { AlignedFrame, MetricFrame } from '../src/lib/frame/types.ts';
import { seriesKey } from '../src/lib/frame/types.ts';
import type { Report } from '../src/lib/report/types.ts';
import { generateScenario } from '../src/lib/synth/index.ts';
import type { ScenarioLabel } from '../src/lib/synth/scenarios.ts';
import { Analysis } from '../src/lib/analysis/index.ts';
import { groupEntities } from '../src/lib/analysis/entities.ts';
import { DEFAULT_PEER_OPTIONS, peerOutliers } from '../src/lib/analysis/peers.ts';
import { AnomalyTimeline, DEFAULT_TIMELINE_OPTIONS } from '../src/lib/timeline/index.ts';
import { NodePool } from '../src/node/pool.ts';
import { quantile, spansByRule } from './eval/metrics.ts';
import { windowMax } from './eval/baselines.ts';
import {
  concernAt,
  detectionDelay,
  fleetPlan,
  influence,
  pessimisticRank,
  spansPerEvent,
  unexplained,
  type HostSpan,
} from './eval/fleet.ts';
import { crossZScores, dbscanScores, madScores, metricGroups, type PeerInput } from './eval/fleet-baselines.ts';

const HOUR = 3_600_000;
export const START = Date.UTC(2026, 0, 5);
const HOURS = 24;
const STEP_S = 60;
/** The reference period: the first 4 h (failures and events start after it). */
export const BASELINE_MS = 4 * HOUR;
/** Ranked as of this long before each failure. */
export const BEFORE_MS = 15 * 60_000;
const TOP = 10;
const TARGET_FP = 0.05;

export interface FleetCase {
  hosts: number;
  seed: number;
  /** The traffic spike's and cron burst's strengths (scripts/eval/fleet.ts fleetPlan); unset: the generator's own. */
  spike?: number;
  cron?: number;
}
const TUNING: FleetCase[] = [
  { hosts: 100, seed: 11 },
  { hosts: 100, seed: 12 },
  // A tuning fleet at the held-out size: what broke at 1,000 hosts was found and fixed on it (see fleet.ts, peers.ts).
  { hosts: 1000, seed: 13 },
];
/** Held out since stop 16; looked at for the fourth time by the run that reports them as such. */
const SEEN_HELD_OUT: FleetCase[] = [
  { hosts: 100, seed: 21 },
  { hosts: 100, seed: 22 },
  { hosts: 100, seed: 23 },
  { hosts: 1000, seed: 24 },
];
/**
 * Fresh held-out fleets, chosen before any run of them (stop 18), after the fleet rules were tuned on
 * scripts/eval/fleet-mild.ts's fleets. Only their event lists were read: 62 and 63 have their spikes in busy
 * hours (11:52, 10:16), where tuning spikes came out milder; 65 has its spike at 0.6 of the generator's
 * strength, so a mild spike is among them by construction.
 */
const FRESH_HELD_OUT: FleetCase[] = [
  { hosts: 100, seed: 61 },
  { hosts: 100, seed: 62 },
  { hosts: 100, seed: 63 },
  { hosts: 100, seed: 65, spike: 0.6 },
  { hosts: 1000, seed: 64 },
];
/** Every held-out seed: tuning and diagnosis scripts refuse them. */
export const HELD_OUT: FleetCase[] = [...SEEN_HELD_OUT, ...FRESH_HELD_OUT];

export interface Fleet {
  c: FleetCase;
  frame: MetricFrame;
  alignment: AlignResult;
  labels: ScenarioLabel[];
  hosts: string[];
  failures: ScenarioLabel[];
  fleetEvents: ScenarioLabel[];
  baseRows: number;
}

/** One method's output on one fleet, in the terms the metrics need. */
interface MethodRun {
  spans: Map<string, HostSpan[]>;
  /** Rank of each failing host as of failure − 15 min (same order as fleet.failures). */
  ranks: number[];
  /** Fleet-level spans (AURA's fleet spans; the old cloud's spans), for counting spans per fleet-wide event. */
  fleetSpans?: { start: number; end: number }[];
}

export function makeFleet(c: FleetCase): Fleet {
  const plan = fleetPlan(c.hosts, HOURS, c.seed, START, BASELINE_MS, c.spike, c.cron);
  const { frame, labels } = generateScenario({
    hosts: c.hosts,
    hours: HOURS,
    stepSeconds: STEP_S,
    seed: c.seed,
    start: START,
    scenarios: plan.scenarios,
  });
  const alignment = alignFrame(frame);
  const hosts = Array.from({ length: c.hosts }, (_, i) => `host-${i + 1}`);
  const ts = alignment.frame.timestamps;
  let baseRows = 0;
  while (baseRows < ts.length && ts[baseRows] <= START + BASELINE_MS) baseRows++;
  return {
    c,
    frame,
    alignment,
    labels,
    hosts,
    failures: labels.filter((l) => l.kind === 'failure').sort((a, b) => a.failure! - b.failure!),
    fleetEvents: labels.filter((l) => l.instance === '*'),
    baseRows,
  };
}

/** The aligned frame up to time t (no copy). */
export function cut(a: AlignResult, t: number): AlignResult {
  const ts = a.frame.timestamps;
  let rows = 0;
  while (rows < ts.length && ts[rows] <= t) rows++;
  const frame: AlignedFrame = {
    ...a.frame,
    timestamps: ts.subarray(0, rows),
    columns: a.frame.columns.map((c) => c.subarray(0, rows)),
  };
  return { ...a, frame };
}

const WINDOW_MS = (DEFAULT_TIMELINE_OPTIONS.window - 1) * STEP_S * 1000;

async function runAura(pool: NodePool, f: Fleet): Promise<MethodRun & { report: Report; seconds: number }> {
  const t0 = performance.now();
  const analysis = new Analysis(pool, {}, { baseline: { to: START + BASELINE_MS } });
  const ranks: number[] = [];
  for (const fail of f.failures) {
    const r = await analysis.timeline(f.frame, { aligned: cut(f.alignment, fail.failure! - BEFORE_MS) });
    const concern = new Map((r.entities ?? []).map((e) => [e.entity, e.score]));
    ranks.push(pessimisticRank(concern, fail.instance));
  }
  const report = await analysis.timeline(f.frame, { aligned: f.alignment });
  const seconds = (performance.now() - t0) / 1000;
  const threshold = DEFAULT_TIMELINE_OPTIONS.threshold;
  const spans = new Map<string, HostSpan[]>(f.hosts.map((h) => [h, []]));
  for (const e of report.entities ?? [])
    for (const s of e.anomalies)
      spans.get(e.entity)!.push({ detectedAt: s.detectedAt, end: s.end, concern: s.peak / threshold, source: 'own' });
  // Peer-outlier spans: the report keeps only each host's last; recomputed here as analyse.ts computes them.
  const aligned = f.alignment.frame;
  const times = report.timeline.map((p) => p.t);
  const peers = peerOutliers(aligned, groupEntities(aligned, 'instance'), 'instance', times, {
    ...DEFAULT_PEER_OPTIONS,
    baselineRows: f.baseRows,
  });
  const stride = times[1] - times[0];
  peers?.spans.forEach((list, e) => {
    const host = groupEntities(aligned, 'instance')[e].entity;
    const last = (report.entities ?? []).find((x) => x.entity === host)?.outlier;
    if (list.length && last && last.since !== list[list.length - 1].start)
      console.warn(`warning: ${host}: recomputed peer span differs from the report's`);
    for (const s of list)
      spans.get(host)!.push({
        detectedAt: s.start + (DEFAULT_PEER_OPTIONS.minWindows - 1) * stride,
        end: s.end,
        concern: s.peak / DEFAULT_PEER_OPTIONS.threshold,
        source: 'peer',
      });
  });
  return { spans, ranks, fleetSpans: report.fleet?.spans ?? [], report, seconds };
}

/** The old pipeline: one AnomalyTimeline over every series of the fleet, spans named by their top series. */
async function runSingleCloud(pool: NodePool, f: Fleet): Promise<MethodRun> {
  const entityOf = new Map(f.alignment.frame.series.map((s) => [seriesKey(s), s.labels.instance]));
  const tl = new AnomalyTimeline(pool, { baselineRows: f.baseRows });
  const threshold = DEFAULT_TIMELINE_OPTIONS.threshold;
  const toSpans = (anomalies: { detectedAt?: number; end: number; peak: number; series: string[] }[]) => {
    const m = new Map<string, HostSpan[]>(f.hosts.map((h) => [h, []]));
    for (const s of anomalies) {
      const host = entityOf.get(s.series[0]);
      if (host) m.get(host)!.push({ detectedAt: s.detectedAt ?? s.end, end: s.end, concern: s.peak / threshold });
    }
    return m;
  };
  const ranks: number[] = [];
  for (const fail of f.failures) {
    const t = fail.failure! - BEFORE_MS;
    const out = await tl.update(cut(f.alignment, t).frame);
    ranks.push(pessimisticRank(concernAt(toSpans(out.anomalies), f.hosts, t), fail.instance));
  }
  const out = await tl.update(f.alignment.frame);
  return {
    spans: toSpans(out.anomalies),
    ranks,
    fleetSpans: out.anomalies.map((s) => ({ start: s.detectedAt ?? s.end, end: s.end })),
  };
}

/** Per-window raw scores of a peer baseline, per host, at AURA's window ends. */
interface PeerScores {
  t: number[];
  start: number[];
  raw: number[][];
}

function peerScores(f: Fleet, method: 'dbscan' | 'mad' | 'crossz', input: PeerInput, ends: number[]): PeerScores {
  const a = f.alignment.frame;
  const groups = metricGroups(a, 'instance', f.hosts, input, f.baseRows);
  const rows = a.timestamps.length;
  const n = f.hosts.length;
  const rowScores =
    method === 'dbscan'
      ? dbscanScores(groups, rows, n, f.baseRows)
      : method === 'mad'
        ? madScores(groups, rows, n, f.baseRows)
        : crossZScores(groups, rows, n);
  return {
    t: ends,
    start: ends.map((t) => t - WINDOW_MS),
    raw: rowScores.map((r) => windowMax(a.timestamps, r, ends)),
  };
}

const RULE = {
  average: DEFAULT_TIMELINE_OPTIONS.average,
  minSpanWindows: DEFAULT_TIMELINE_OPTIONS.minSpanWindows,
  mergeGap: DEFAULT_TIMELINE_OPTIONS.mergeGap,
};

function peerRun(f: Fleet, s: PeerScores, threshold: number): MethodRun {
  const spansOf = (upTo: number) => {
    const k = s.t.filter((t) => t <= upTo).length;
    return new Map(
      f.hosts.map((h, i) => [
        h,
        spansByRule(
          { t: s.t.slice(0, k), start: s.start.slice(0, k), raw: s.raw[i].slice(0, k) },
          { ...RULE, threshold },
        ).map((x) => ({ detectedAt: x.detectedAt, end: x.end, concern: peakOf(s, i, x) / threshold })),
      ]),
    );
  };
  const ranks = f.failures.map((fail) => {
    const t = fail.failure! - BEFORE_MS;
    return pessimisticRank(concernAt(spansOf(t), f.hosts, t), fail.instance);
  });
  return { spans: spansOf(Infinity), ranks };
}

/** The largest smoothed score inside a span (what spansByRule thresholded). */
function peakOf(s: PeerScores, host: number, span: { detectedAt: number; end: number }): number {
  let best = 0;
  let sum = 0;
  const raw = s.raw[host];
  for (let i = 0; i < raw.length; i++) {
    sum += Number.isFinite(raw[i]) ? raw[i] : 0;
    if (i >= RULE.average) sum -= Number.isFinite(raw[i - RULE.average]) ? raw[i - RULE.average] : 0;
    if (s.t[i] >= span.detectedAt && s.t[i] <= span.end) best = Math.max(best, sum / Math.min(i + 1, RULE.average));
  }
  return best;
}

interface Score {
  failures: number;
  top10: number;
  detected: number;
  delays: number[];
  falseSpans: number;
  hostDays: number;
  failingFalse: number;
  /** Per fleet-wide event: fleet-level spans overlapping it. */
  perEvent: number[];
  /** Fleet-level spans overlapping no fleet-wide event. */
  strayFleet: number;
}

function score(f: Fleet, r: MethodRun): Score {
  const explained = f.fleetEvents.map((e) => influence(e, WINDOW_MS));
  const failing = new Set(f.failures.map((l) => l.instance));
  let falseSpans = 0;
  let failingFalse = 0;
  for (const h of f.hosts) {
    const spans = r.spans.get(h) ?? [];
    if (!failing.has(h)) falseSpans += unexplained(spans, explained).length;
    else {
      const own = f.failures.filter((l) => l.instance === h).map((l) => influence(l, WINDOW_MS));
      failingFalse += unexplained(spans, [...explained, ...own]).length;
    }
  }
  const delays: number[] = [];
  for (const l of f.failures) {
    const d = detectionDelay(r.spans.get(l.instance) ?? [], l.onset, l.failure!);
    if (d !== null) delays.push(d);
  }
  const events = f.fleetEvents.map((e) => ({ start: e.onset, end: (e.end ?? e.onset) + WINDOW_MS }));
  const fleetSpans = r.fleetSpans ?? [];
  return {
    failures: f.failures.length,
    top10: r.ranks.filter((k) => k <= TOP).length,
    detected: delays.length,
    delays,
    falseSpans,
    hostDays: ((f.hosts.length - failing.size) * HOURS) / 24,
    failingFalse,
    perEvent: r.fleetSpans ? spansPerEvent(events, fleetSpans) : [],
    strayFleet: fleetSpans.filter((s) => !events.some((e) => s.start <= e.end && e.start <= s.end)).length,
  };
}

/** The spans score() counts as false on non-failing hosts, as `host source hh:mm–hh:mm concern`. */
function falseSpans(f: Fleet, r: MethodRun): string[] {
  const explained = f.fleetEvents.map((e) => influence(e, WINDOW_MS));
  const failing = new Set(f.failures.map((l) => l.instance));
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
  return f.hosts
    .filter((h) => !failing.has(h))
    .flatMap((h) =>
      unexplained(r.spans.get(h) ?? [], explained).map(
        (s) => `${h} ${s.source ?? ''} ${hhmm(s.detectedAt)}–${hhmm(s.end)} ${s.concern.toFixed(2)}`,
      ),
    );
}

function pool(scores: Score[]): Score {
  const sum = (k: 'failures' | 'top10' | 'detected' | 'falseSpans' | 'hostDays' | 'failingFalse' | 'strayFleet') =>
    scores.reduce((a, s) => a + s[k], 0);
  return {
    failures: sum('failures'),
    top10: sum('top10'),
    detected: sum('detected'),
    delays: scores.flatMap((s) => s.delays),
    falseSpans: sum('falseSpans'),
    hostDays: sum('hostDays'),
    failingFalse: sum('failingFalse'),
    perEvent: scores.flatMap((s) => s.perEvent),
    strayFleet: sum('strayFleet'),
  };
}

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
const mins = (ms: number) => (Number.isFinite(ms) ? (ms / 60_000).toFixed(0) : '-');

const HEADER =
  '| fleets · method | threshold | top-10 before failure | detected before failure | delay p50 (min) | false spans / host-day (non-failing) | false spans on failing hosts | fleet-level spans per fleet-wide event | stray fleet-level spans |\n' +
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |';

function row(label: string, th: string, s: Score): string {
  const events = s.perEvent.length ? s.perEvent.join(', ') : 'n/a';
  return `| ${label} | ${th} | ${s.top10}/${s.failures} | ${s.detected}/${s.failures} | ${mins(quantile(s.delays, 0.5))} | ${f2(s.falseSpans / s.hostDays)} | ${s.failingFalse} | ${events} | ${s.strayFleet} |`;
}

const PEERS: { name: string; method: 'dbscan' | 'mad' | 'crossz'; input: PeerInput }[] = [
  { name: 'Grafana DBSCAN, raw', method: 'dbscan', input: 'raw' },
  { name: 'Grafana DBSCAN, own-baseline z', method: 'dbscan', input: 'own' },
  { name: 'Grafana MAD, raw', method: 'mad', input: 'raw' },
  { name: 'Grafana MAD, own-baseline z', method: 'mad', input: 'own' },
  { name: 'robust z across hosts, raw', method: 'crossz', input: 'raw' },
  { name: 'robust z across hosts, own-baseline z', method: 'crossz', input: 'own' },
];

/** Everything computed for one fleet: AURA, the old cloud, and each peer baseline's window scores. */
interface FleetRuns {
  f: Fleet;
  aura: MethodRun & { report: Report; seconds: number };
  single: MethodRun;
  peers: PeerScores[];
}

async function runFleet(pool: NodePool, c: FleetCase, auraOnly = false): Promise<FleetRuns> {
  const f = makeFleet(c);
  const aura = await runAura(pool, f);
  if (auraOnly) return { f, aura, single: { spans: new Map(), ranks: [] }, peers: [] };
  const single = await runSingleCloud(pool, f);
  const ends = aura.report.timeline.map((p) => p.t);
  const peers = PEERS.map((p) => peerScores(f, p.method, p.input, ends));
  return { f, aura, single, peers };
}

function describeFleet(r: FleetRuns): string {
  const { f } = r;
  const kinds = f.failures.map((l) => `${l.scenario}@${l.instance}`).join(', ');
  const events = f.fleetEvents.map((e) => `${e.scenario} ${new Date(e.onset).toISOString().slice(11, 16)}`).join(', ');
  const benign = f.labels
    .filter((l) => l.kind === 'benign' && l.instance !== '*')
    .map((l) => `${l.scenario}@${l.instance}`)
    .join(', ');
  const strengths =
    f.c.spike === undefined && f.c.cron === undefined ? '' : ` (spike ${f.c.spike ?? 1}, cron ${f.c.cron ?? 1})`;
  return `- ${f.c.hosts} hosts, seed ${f.c.seed}${strengths}: ${f.failures.length} failing (${kinds}); fleet-wide: ${events}; single-host benign: ${benign}; AURA ${r.aura.seconds.toFixed(0)} s, its fleet spans per fleet-wide event ${score(f, r.aura).perEvent.join(', ')}`;
}

/** The lowest threshold whose pooled false spans per host-day on the tuning fleets do not exceed `target`. */
function matchThreshold(runs: FleetRuns[], p: number, target: number): number {
  const all = runs.flatMap((r) => r.peers[p].raw.flat()).filter((v) => v > 0 && Number.isFinite(v));
  all.sort((a, b) => a - b);
  const lo = all[Math.floor(all.length * 0.5)] ?? 1e-6;
  const hi = (all[all.length - 1] ?? 1) * 1.01;
  const grid = Array.from({ length: 60 }, (_, i) => lo * (hi / lo) ** (i / 59));
  for (const th of grid) {
    const s = pool(runs.map((r) => score(r.f, peerRun(r.f, r.peers[p], th))));
    if (s.falseSpans / s.hostDays <= target) return th;
  }
  return hi;
}

export async function run(): Promise<void> {
  const workers = new NodePool();
  const caseName = (c: FleetCase) => `${c.seed} (${c.hosts} hosts${c.spike === undefined ? '' : `, spike ${c.spike}`})`;
  try {
    console.log(
      `Generated fleets, ${HOURS} h at ${STEP_S} s, 12 node_exporter series per host; baseline = the first ${BASELINE_MS / HOUR} h. ` +
        `Tuning seeds ${TUNING.map(caseName).join(', ')}; held-out seeds ${SEEN_HELD_OUT.map(caseName).join(', ')} (seen 4 times); fresh held-out seeds ${FRESH_HELD_OUT.map(caseName).join(', ')}.\n`,
    );
    const tuning: FleetRuns[] = [];
    for (const c of TUNING) tuning.push(await runFleet(workers, c));
    const auraTuning = pool(tuning.map((r) => score(r.f, r.aura)));
    const target = Math.max(auraTuning.falseSpans / auraTuning.hostDays, TARGET_FP);
    const thresholds = PEERS.map((_, p) => matchThreshold(tuning, p, target));
    console.log('What the generator made (cascading_overload left out: it fails every host):');
    for (const r of tuning) console.log(describeFleet(r) + ' (tuning)');
    const held: FleetRuns[] = [];
    const fresh: FleetRuns[] = [];
    for (const c of HELD_OUT) {
      const r = await runFleet(workers, c);
      const isFresh = FRESH_HELD_OUT.includes(c);
      console.log(describeFleet(r) + (isFresh ? ' (fresh held out)' : ' (held out, seen 4 times)'));
      (isFresh ? fresh : held).push(r);
    }
    console.log(
      `\nBaseline thresholds: the lowest whose false spans per host-day on the tuning fleets ≤ ${f2(target)} ` +
        `(AURA's there: ${f2(auraTuning.falseSpans / auraTuning.hostDays)}; target ${TARGET_FP}). ` +
        `Span rule for every method: mean of the last ${RULE.average} window scores, at least ${RULE.minSpanWindows} windows, merge gap ${RULE.mergeGap}.\n`,
    );
    console.log(HEADER);
    const sets: [string, FleetRuns[]][] = [
      ['fresh held-out 100 hosts', fresh.filter((r) => r.f.c.hosts === 100)],
      ['fresh held-out 1,000 hosts', fresh.filter((r) => r.f.c.hosts === 1000)],
      ['held-out 100 hosts (seen 4 times)', held.filter((r) => r.f.c.hosts === 100)],
      ['held-out 1,000 hosts (seen 4 times)', held.filter((r) => r.f.c.hosts === 1000)],
      ['tuning (in-sample)', tuning],
    ];
    for (const [name, runs] of sets) {
      if (!runs.length) continue;
      console.log(
        row(
          `${name} · AURA per-host + peers`,
          `${DEFAULT_TIMELINE_OPTIONS.threshold} / peer ${DEFAULT_PEER_OPTIONS.threshold}`,
          pool(runs.map((r) => score(r.f, r.aura))),
        ),
      );
      console.log(
        row(
          `${name} · old single fleet cloud`,
          `${DEFAULT_TIMELINE_OPTIONS.threshold}`,
          pool(runs.map((r) => score(r.f, r.single))),
        ),
      );
      PEERS.forEach((p, i) =>
        console.log(
          row(
            `${name} · ${p.name}`,
            `${thresholds[i].toPrecision(3)} (matched)`,
            pool(runs.map((r) => score(r.f, peerRun(r.f, r.peers[i], thresholds[i])))),
          ),
        ),
      );
    }
  } finally {
    await workers.close();
  }
}

// `node bin/run-ts.js scripts/eval-fleet.ts 100 11 [12:0.5 …] [--aura]`: AURA and the old cloud (with --aura,
// AURA alone) on some tuning fleets; SEED:SPIKE:CRON sets the fleet-wide events' strengths (0: none).
if (process.argv[1]?.endsWith('eval-fleet.ts') && process.argv[2]) {
  const args = process.argv.slice(2);
  const auraOnly = args.includes('--aura');
  const [hosts, ...seeds] = args.filter((a) => a !== '--aura');
  const workers = new NodePool();
  try {
    const runs: FleetRuns[] = [];
    for (const arg of seeds) {
      // SEED[:SPIKE[:CRON]]: the fleet-wide events' strengths (fleetPlan), for tuning on milder events.
      const [seed, spike, cron] = arg.split(':').map((x) => (x === '' ? undefined : Number(x)));
      const c: FleetCase = { hosts: Number(hosts), seed: seed!, spike, cron };
      if (HELD_OUT.some((h) => h.seed === c.seed)) throw new Error(`seed ${c.seed} is held out: tune on others`);
      const r = await runFleet(workers, c, auraOnly);
      console.log(describeFleet(r));
      console.log(
        `  ranks before failure: AURA ${r.aura.ranks.join(', ')}` +
          (auraOnly ? '' : `; old cloud ${r.single.ranks.join(', ')}`),
      );
      console.log(`  AURA's false spans: ${falseSpans(r.f, r.aura).join('; ') || 'none'}`);
      for (const why of (r.aura.report.analysis?.notes ?? []).filter((x) => x.startsWith('fleet-wide event')))
        console.log(`  AURA's ${why}`);
      runs.push(r);
    }
    console.log(HEADER);
    console.log(row('AURA', '', pool(runs.map((r) => score(r.f, r.aura)))));
    if (!auraOnly) console.log(row('old single cloud', '', pool(runs.map((r) => score(r.f, r.single)))));
  } finally {
    await workers.close();
  }
}
