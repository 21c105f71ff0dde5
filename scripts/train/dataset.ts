// Labelled training and evaluation data from the scenario generator: per host, feature rows on the
// 5-minute grid and, per bucket, what the future holds (failure within each horizon, scenario, minutes left).
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import type { PHEngine } from '../../src/lib/tda/engine.ts';
import { generateScenario, type SynthOptions } from '../../src/lib/synth/generate.ts';
import { createRng } from '../../src/lib/synth/rng.ts';
import { FAILURE_SCENARIOS, type ScenarioLabel, type ScenarioSpec } from '../../src/lib/synth/scenarios.ts';
import { extractFeatures, type HostFeatures } from '../../src/lib/lnn/features.ts';
import { FEATURE_COUNT, FEATURE_NAMES, HORIZONS, MODEL_SCENARIOS } from '../../src/lib/lnn/spec.ts';

/** Time-to-failure targets are kept for failures at most this far ahead. */
export const TTF_HORIZON_MINUTES = 12 * 60;

export interface Track {
  run: number;
  hf: HostFeatures;
  /** buckets × horizons: 1 when the host fails within the horizon after the bucket's end. */
  y: Uint8Array;
  /** Index into MODEL_SCENARIOS of the next failure within the longest horizon once its onset has passed (see
   * scenarioTarget), else 'none'. */
  scenario: Uint8Array;
  /** Minutes to the next failure when within TTF_HORIZON_MINUTES and its onset has passed, else NaN. */
  ttf: Float32Array;
  labels: ScenarioLabel[];
}

/** A training-style run: 3–6 hosts, 30 h, most hosts fail once, benign look-alikes on top, some metrics missing. */
export function failureRun(seed: number): SynthOptions & { dropSeries: number } {
  const rng = createRng(seed * 7919 + 13);
  const hosts = rng.int(3, 6);
  const stepSeconds = rng.pick([30, 60, 60]);
  const failures = Math.max(1, Math.round(hosts * rng.uniform(0.4, 0.9)));
  const scenarios: ScenarioSpec[] = [];
  let cascade = false;
  for (let i = 0; i < failures; i++) {
    let s = rng.pick(FAILURE_SCENARIOS);
    while (s === 'cascading_overload' && cascade) s = rng.pick(FAILURE_SCENARIOS);
    cascade ||= s === 'cascading_overload';
    scenarios.push({ scenario: s });
  }
  for (let i = rng.int(1, 2); i > 0; i--) scenarios.push({ scenario: 'traffic_spike' });
  // A spike on one host only (a load balancer's imbalance, one hot tenant) must not read as a saturation.
  if (rng.next() < 0.5) scenarios.push({ scenario: 'traffic_spike', host: rng.int(0, hosts - 1) });
  scenarios.push({ scenario: 'cron_burst' });
  for (let i = rng.int(0, 2); i > 0; i--) scenarios.push({ scenario: 'deploy_restart' });
  for (let i = rng.int(0, 2); i > 0; i--) scenarios.push({ scenario: 'cache_warmup' });
  return {
    seed,
    hosts,
    hours: 30,
    stepSeconds,
    metricSet: rng.next() < 0.3 ? 'core' : 'full',
    dropRate: rng.pick([0, 0, 0.02, 0.05]),
    jitterSeconds: rng.next() < 0.5 ? 0 : stepSeconds * 0.2,
    scenarios,
    dropSeries: rng.next() < 0.3 ? rng.int(1, 3) : 0,
  };
}

/** Only benign look-alikes, several of each (fleet-wide and on one host): the false-alarm test. */
export function benignRun(seed: number): SynthOptions & { dropSeries: number } {
  const rng = createRng(seed * 104729 + 7);
  const scenarios: ScenarioSpec[] = [
    { scenario: 'traffic_spike' },
    { scenario: 'traffic_spike', strength: 1.2 },
    { scenario: 'traffic_spike', host: rng.int(0, 4), strength: rng.uniform(0.8, 1.3) },
    { scenario: 'traffic_spike', host: rng.int(0, 4), strength: rng.uniform(0.8, 1.3) },
    { scenario: 'cron_burst' },
    { scenario: 'cron_burst', host: rng.int(0, 4) },
  ];
  for (let i = 0; i < 3; i++) scenarios.push({ scenario: 'deploy_restart' });
  for (let i = 0; i < 3; i++) scenarios.push({ scenario: 'cache_warmup' });
  return {
    seed,
    hosts: 5,
    hours: 30,
    stepSeconds: rng.pick([15, 30, 60]),
    metricSet: 'full',
    scenarios,
    dropSeries: 0,
  };
}

/** Removes `count` random series from some hosts, so the model learns to work with absent channels. */
function dropSomeSeries(frame: MetricFrame, count: number, seed: number): MetricFrame {
  if (count === 0) return frame;
  const rng = createRng(seed * 31 + 5);
  const gone = new Set<number>();
  for (let i = 0; i < count; i++) gone.add(rng.int(0, frame.series.length - 1));
  return { ...frame, series: frame.series.filter((_, i) => !gone.has(i)) };
}

const PEERS_DOWN = FEATURE_NAMES.indexOf('peers_down');

/**
 * The scenario the model should name for a failure at bucket k. A cascade's first host is, until it dies, a
 * CPU saturation: nothing in its data or its fleet's says yet what will follow, and that is what the operator
 * must act on. So a cascading_overload counts as one only once a peer is down (the `peers_down` feature).
 */
export function scenarioTarget(scenario: string, hf: HostFeatures, k: number): string {
  if (scenario === 'cascading_overload' && !(hf.features[k * FEATURE_COUNT + PEERS_DOWN] > 0)) return 'cpu_saturation';
  return scenario;
}

export function labelTrack(hf: HostFeatures, labels: ScenarioLabel[], run: number): Track {
  const nb = hf.times.length;
  const failures = labels
    .filter((l) => l.kind === 'failure' && l.instance === hf.entity)
    .sort((a, b) => a.failure! - b.failure!);
  const y = new Uint8Array(nb * HORIZONS.length);
  const scenario = new Uint8Array(nb).fill(MODEL_SCENARIOS.indexOf('none'));
  const ttf = new Float32Array(nb).fill(NaN);
  const longest = HORIZONS[HORIZONS.length - 1].minutes;
  let f = 0;
  for (let k = 0; k < nb; k++) {
    const t = hf.times[k];
    while (f < failures.length && failures[f].failure! <= t) f++;
    if (f >= failures.length) continue;
    const minutes = (failures[f].failure! - t) / 60e3;
    HORIZONS.forEach((h, j) => (y[k * HORIZONS.length + j] = minutes <= h.minutes ? 1 : 0));
    // Scenario and time to failure are only knowable once the cause has started to show.
    if (t < failures[f].onset) continue;
    if (minutes <= longest) scenario[k] = MODEL_SCENARIOS.indexOf(scenarioTarget(failures[f].scenario, hf, k) as never);
    if (minutes <= TTF_HORIZON_MINUTES) ttf[k] = minutes;
  }
  return { run, hf, y, scenario, ttf, labels };
}

/** Generates one run and labels every host in it. */
export function buildRun(opts: SynthOptions & { dropSeries: number }, ph: PHEngine | null): Track[] {
  const { frame, labels } = generateScenario(opts);
  const hf = extractFeatures(dropSomeSeries(frame, opts.dropSeries, opts.seed ?? 0), { ph });
  return hf.map((h) => labelTrack(h, labels, opts.seed ?? 0));
}
