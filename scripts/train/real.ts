// Real benign backgrounds for training and evaluating the failure model (sim-to-real): the Server Machine
// Dataset's unlabelled train halves and NAB's AWS CloudWatch series from ../shared, with failures injected
// by the what-if injector (src/lib/synth/inject.ts) into copies of them.
//
// SMD's 38 metric names are unpublished. The columns mapped below were chosen from how they behave on the
// train halves (models/README.md, "Real data", says how): m0 a bounded, coarse utilisation (cpu); m1 a rough
// queue-like series with smoother near-copies m2, m3 (load 1/5/15 min: load); m5 a slow, high, smooth level
// (memory used); m12 a sparse busy share (disk I/O); m18, m19 two strongly correlated traffic series
// (network in/out); m32 a rare-event count (TCP retransmits). Failures injected: memory leaks, CPU saturations. Nothing in SMD is a disk's or a file
// table's capacity, so disk fills and fd exhaustion cannot be injected there.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { importText } from '../../src/lib/ingest/index.ts';
import { parseColumnRoles, type ColumnRoles } from '../../src/lib/lnn/column-roles.ts';
import { seriesChannel } from '../../src/lib/domain/channels.ts';
import type { Channel } from '../../src/lib/lnn/spec.ts';
import type { PHEngine } from '../../src/lib/tda/engine.ts';
import { injectScenario } from '../../src/lib/synth/inject.ts';
import { createRng, type Rng } from '../../src/lib/synth/rng.ts';
import { LEAD_HOURS, type FailureScenario, type ScenarioLabel } from '../../src/lib/synth/scenarios.ts';
import { extractFeatures } from '../../src/lib/lnn/features.ts';
import { labelTrack, type Track } from './dataset.ts';
import { NAB_TEST_FILES, NAB_TUNING_FILES } from '../nab-split.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DATA = resolve(root, '../shared/data');
export const hasRealData = () => existsSync(join(SHARED_DATA, 'smd')) && existsSync(join(SHARED_DATA, 'nab'));

/** The SMD columns training reads (under SMD_NAMES; the share columns re-levelled by `relevel`). */
export const SMD_TRAINING_ROLES_TEXT = 'm0=cpu,m1=load,m5=memory:used,m12=io,m18=network,m19=network,m32=retrans';
/**
 * The SMD columns validation and the held-out evaluation read, as a user would map them (`aura predict --map`):
 * the same without m5. Scaled to its own peak, m5 is no share of capacity: mapped as memory:used it says a
 * machine's memory is 80–100 % full for weeks (flat at 99 % on machine-3-4), which no model should read as
 * health. The figures with m5 mapped are printed beside (`SMD_ROLES_WITH_MEMORY_TEXT`).
 */
export const SMD_ROLES_TEXT = 'm0=cpu,m1=load,m12=io,m18=network,m19=network,m32=retrans';
export const SMD_ROLES: ColumnRoles = parseColumnRoles(SMD_ROLES_TEXT);
export const SMD_ROLES_WITH_MEMORY_TEXT = SMD_TRAINING_ROLES_TEXT;

/**
 * The same columns under names the injector and the automatic mapping read the same way (the injector maps
 * by name: a `_used_ratio` column is drawn up towards 1, not down).
 */
const SMD_NAMES: Record<string, string> = {
  m0: 'cpu_utilization',
  m1: 'load1',
  m5: 'mem_used_ratio',
  m12: 'disk_io_util',
  m18: 'net_rx',
  m19: 'net_tx',
  m32: 'tcp_retrans',
};

/** SMD machines by role: training backgrounds, and one machine whose train half no model choice ever sees. */
export const SMD_TRAIN_MACHINES = ['machine-1-6', 'machine-2-1', 'machine-2-2', 'machine-2-8'];
export const SMD_HELD_OUT_MACHINES = ['machine-3-4'];
/** Dev machines: labelled test halves, for "does risk rise before real trouble" (never trained on). */
export const SMD_DEV_MACHINES = ['machine-1-7', 'machine-2-7', 'machine-3-3'];

/**
 * Failures each kind of background can show (a metric the injector can move, and that hasEvidence reads).
 * The injector saturates a network only through byte counters; SMD's and NAB's traffic series are gauges.
 */
const INJECTABLE: Partial<Record<Channel, FailureScenario[]>> = {
  memory: ['memory_leak'],
  cpu: ['cpu_saturation'],
};

/** One SMD file as a frame: the mapped columns only, renamed (see SMD_NAMES), as entity `machine`. */
export function loadSmd(machine: string, half: 'train' | 'test'): MetricFrame {
  const path = join(SHARED_DATA, 'smd', `${machine}.${half}.csv.gz`);
  const raw = importText(gunzipSync(readFileSync(path)).toString('utf8'), { origin: `${machine}.${half}.csv` });
  const series = raw.series
    .filter((s) => s.name in SMD_NAMES)
    .map((s) => ({ ...s, name: SMD_NAMES[s.name], labels: { instance: machine }, kind: 'gauge' as const }));
  return { ...raw, series };
}

/** One NAB file as a frame: its `value` column renamed after the file's channel, as entity = the file's stem. */
export function loadNab(file: string): MetricFrame | null {
  const raw = importText(readFileSync(join(SHARED_DATA, 'nab', file), 'utf8'), { origin: file });
  const channel = seriesChannel('value', file);
  if (!channel) return null;
  const name = channel === 'cpu' ? 'cpu_utilization' : `${channel}_value`;
  const entity = file.replace(/\.csv$/, '');
  return {
    ...raw,
    series: raw.series.map((s) => ({ ...s, name, labels: { instance: entity }, kind: 'gauge' as const })),
  };
}

export const nabFrames = (files: readonly string[]) =>
  files.map(loadNab).filter((f): f is MetricFrame => f !== null && f.series.length > 0);

/** A raw SMD file as a user would load it: all 38 columns, to be read through SMD_ROLES. */
export function loadSmdRaw(machine: string, half: 'train' | 'test'): MetricFrame {
  const path = join(SHARED_DATA, 'smd', `${machine}.${half}.csv.gz`);
  return importText(gunzipSync(readFileSync(path)).toString('utf8'), { origin: `${machine}.${half}.csv` });
}

/** A raw NAB file as a user would load it (its `value` column read by the file's name). */
export const loadNabRaw = (file: string): MetricFrame =>
  importText(readFileSync(join(SHARED_DATA, 'nab', file), 'utf8'), { origin: file });

export interface RealBackground {
  source: string;
  frame: MetricFrame;
  roles?: ColumnRoles;
  /** Labelled anomaly windows [start, end] (epoch ms): not benign, so neither their alarms nor their time count. */
  exclude?: [number, number][];
}

/**
 * NAB tuning files kept out of training by `train.ts --nab-split clean`, so that validation has real CPU and
 * traffic series the model never saw (two EC2 CPU, the one network file; fixed, not drawn). Without them,
 * every tuning file is a training background and validating on it is in-sample: thresholds chosen there
 * came out too low for unseen CPU and traffic (models/README.md).
 */
export const NAB_VALIDATION_FILES: readonly string[] = [
  'ec2_cpu_utilization_825cc2.csv',
  'ec2_cpu_utilization_c6585a.csv',
  'ec2_network_in_257a54.csv',
];
/** The NAB files a training run reads: all tuning files, or (`clean`) those not kept for validation. */
export const nabTrainingFiles = (split: 'all' | 'clean'): readonly string[] =>
  split === 'all' ? NAB_TUNING_FILES : NAB_TUNING_FILES.filter((f) => !NAB_VALIDATION_FILES.includes(f));

/** NAB's labelled anomaly windows of a file, [start, end] epoch ms: alarms inside them are not false. */
export function nabAnomalyWindows(file: string): [number, number][] {
  const labels = JSON.parse(readFileSync(join(SHARED_DATA, 'nab', 'labels.json'), 'utf8')) as {
    anomalyWindows: Record<string, [string, string][]>;
  };
  const utc = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');
  return (labels.anomalyWindows[file] ?? []).map(([a, b]) => [utc(a), utc(b)]);
}

const nabBackground = (f: string): RealBackground => ({
  source: `NAB ${f}`,
  frame: loadNabRaw(f),
  exclude: nabAnomalyWindows(f),
});

/**
 * Real benign backgrounds for choosing the alarm thresholds, read as a user would (SMD through SMD_ROLES):
 * the dev machines' train halves, which no training run reads (their test halves only score the 1-hour risk,
 * which needs no threshold), and the NAB tuning files the model was not trained on (`trainedNab`, from its
 * card). A model trained on every tuning file gets them all, in-sample. Never the held-out ones.
 */
export const validationBackgrounds = (trainedNab: readonly string[] = NAB_TUNING_FILES): RealBackground[] => [
  ...SMD_DEV_MACHINES.map((m) => ({
    source: `SMD ${m} (train half)`,
    frame: loadSmdRaw(m, 'train'),
    roles: SMD_ROLES,
  })),
  ...validationNab(trainedNab).map(nabBackground),
];

/** The NAB tuning files that validate a model trained on `trainedNab`: the unseen ones, else all (in-sample). */
export function validationNab(trainedNab: readonly string[]): readonly string[] {
  const unseen = NAB_TUNING_FILES.filter((f) => !trainedNab.includes(f));
  return unseen.length > 0 ? unseen : NAB_TUNING_FILES;
}

/** The NAB files the model behind `card` was trained on (none for a model without real data). */
export const trainedNabFiles = (card: { training: Record<string, unknown> }): readonly string[] =>
  (card.training.realData as { nabFiles?: string[] } | undefined)?.nabFiles ?? [];

/** The held-out real benign backgrounds (the evaluation's; no model choice reads them). */
export const heldOutBenign = (): RealBackground[] => [
  ...SMD_HELD_OUT_MACHINES.map((m) => ({
    source: `SMD ${m} (train half)`,
    frame: loadSmdRaw(m, 'train'),
    roles: SMD_ROLES,
  })),
  ...NAB_TEST_FILES.map(nabBackground),
];

/** Backgrounds by use: training, and held out (the evaluation's; no model choice reads them). */
export const trainingBackgrounds = (split: 'all' | 'clean' = 'all') => [
  ...SMD_TRAIN_MACHINES.map((m) => loadSmd(m, 'train')),
  ...nabFrames(nabTrainingFiles(split)),
];
export const heldOutBackgrounds = () => [
  ...SMD_HELD_OUT_MACHINES.map((m) => loadSmd(m, 'train')),
  ...nabFrames(NAB_TEST_FILES),
];

function injectableScenarios(frame: MetricFrame): FailureScenario[] {
  const out = new Set<FailureScenario>();
  for (const s of frame.series) {
    const c = seriesChannel(s.name, frame.meta.origin);
    for (const sc of (c && INJECTABLE[c]) || []) out.add(sc);
  }
  return [...out];
}

/**
 * SMD's values are min-max scaled per machine, so they are not shares of capacity: its memory sits at
 * 0.8–1.0 "used" on most machines, and a CPU's busiest minute reads 100 %. Read as shares, that teaches the
 * model that a nearly full memory is normal and leaves an injected leak no room to climb. This augmentation
 * keeps each share column's dynamics and moves it onto a level drawn per copy: used share = top − width·(1 − v),
 * top and width drawn from LEVELS, so memory and disk never reach full by themselves (CPU may: real hosts touch
 * 100 % in benign bursts, and the model must see that) and an injected failure rises
 * from a plausible level. NAB's series are real percentages and counts and are left alone.
 */
const LEVELS: Record<string, { top: [number, number]; width: [number, number] }> = {
  mem_used_ratio: { top: [0.4, 0.9], width: [0.05, 0.3] },
  cpu_utilization: { top: [0.2, 1], width: [0.2, 0.7] },
  disk_io_util: { top: [0.1, 0.8], width: [0.1, 0.8] },
};
const isSmd = (frame: MetricFrame) => /^machine-\d+-\d+\./.test(frame.meta.origin);

/** A copy of an SMD frame with its share columns re-levelled (see LEVELS); other frames as they are. */
export function relevel(frame: MetricFrame, rng: Rng): MetricFrame {
  if (!isSmd(frame)) return frame;
  return {
    ...frame,
    series: frame.series.map((s) => {
      const range = LEVELS[s.name];
      if (!range) return s;
      const top = rng.uniform(...range.top);
      const width = Math.min(top, rng.uniform(...range.width));
      return { ...s, values: s.values.map((v) => top - width * (1 - Math.min(1, Math.max(0, v)))) };
    }),
  };
}

/** A copy of [from, to) of a frame. */
function slice(frame: MetricFrame, from: number, to: number): MetricFrame {
  return {
    ...frame,
    series: frame.series.map((s) => {
      let a = 0;
      while (a < s.timestamps.length && s.timestamps[a] < from) a++;
      let b = a;
      while (b < s.timestamps.length && s.timestamps[b] < to) b++;
      return { ...s, timestamps: s.timestamps.slice(a, b), values: s.values.slice(a, b) };
    }),
  };
}

const HOUR = 3600e3;
const SLICE_HOURS = 30;

export interface InjectedCase {
  frame: MetricFrame;
  label: ScenarioLabel;
}

/**
 * `count` 30-hour slices of a real background, each with one failure the background can show injected:
 * the failure 12–28 h into the slice, its cause starting the scenario's lead time (LEAD_HOURS) before. SMD
 * slices are re-levelled first (relevel), so the failure rises from a plausible level.
 */
export function injectedCases(frame: MetricFrame, count: number, rng: Rng): InjectedCase[] {
  const scenarios = injectableScenarios(frame);
  const times = frame.series.flatMap((s) => [s.timestamps[0], s.timestamps.at(-1)!]);
  const start = Math.min(...times);
  const end = Math.max(...times);
  if (scenarios.length === 0 || end - start < SLICE_HOURS * HOUR) return [];
  const entity = frame.series[0].labels.instance;
  const out: InjectedCase[] = [];
  for (let i = 0; i < count; i++) {
    const from = start + rng.next() * (end - start - SLICE_HOURS * HOUR);
    const failure = from + rng.uniform(12, 28) * HOUR;
    const scenario = rng.pick(scenarios);
    const [lo, hi] = LEAD_HOURS[scenario];
    const onset = Math.max(from + 2 * HOUR, failure - rng.uniform(lo, hi) * HOUR);
    const injected = injectScenario(relevel(slice(frame, from, from + SLICE_HOURS * HOUR), rng), {
      scenario,
      instance: entity,
      onset,
      failure,
    });
    out.push(injected);
  }
  return out;
}

/**
 * Labelled tracks from real backgrounds: each background whole (benign) and `injected` slices of each with a
 * failure. SMD backgrounds are re-levelled (relevel), each copy on its own draw.
 */
export function realTracks(frames: MetricFrame[], injected: number, seed: number, ph: PHEngine | null): Track[] {
  const rng = createRng(seed * 7 + 3);
  const tracks: Track[] = [];
  frames.forEach((frame, i) => {
    for (const hf of extractFeatures(relevel(frame, rng), { ph })) tracks.push(labelTrack(hf, [], -1 - i));
    for (const c of injectedCases(frame, injected, rng))
      for (const hf of extractFeatures(c.frame, { ph })) tracks.push(labelTrack(hf, [c.label], -1 - i));
  });
  return tracks;
}
