// A fleet's report from its entities' timelines: the fleet timeline (at each window, the highest entity score
// and how many entities are flagged), fleet-wide events (many entities flagged at once: one span, not an
// alert storm), and each entity's summary ranked by concern.
import type { AnomalySpan, EntitySummary, FleetDetails, FleetSpan, TimelinePoint } from '../report/types.ts';
import type { TimelineOutput } from '../timeline/timeline.ts';
import type { PeerResult, PeerSpan } from './peers.ts';
import { MAD_TO_SD, mad, median } from '../cloud/stats.ts';

export interface EntityOutput {
  entity: string;
  out: TimelineOutput;
}

/**
 * Two rules make a fleet-wide event. The share rule: a window where at least this many entities, and this
 * share of them, are flagged at once opens one.
 */
export const FLEET_MIN_ENTITIES = 3;
export const FLEET_SHARE = 0.3;
/**
 * Once a fleet span has begun, it lasts while this share of the entities, or half of those raised with it if
 * that is fewer (at least FLEET_MIN_ENTITIES), are still flagged, counting only those raised with it. A
 * burst of a few minutes stays in every host's 60-min window for an hour after it:
 * on the 1,000-host tuning fleet (seed 13), 1,000 hosts flagged for 3 windows, then 27 % for 4 more, whose
 * spans were left as 270 single-host alarms under the 30 % rule alone.
 */
export const FLEET_HOLD_SHARE = 0.1;
/**
 * The coincidence rule, for events too mild to flag a fixed share (a traffic spike that lifts every host but
 * flags 8 of 100): entity spans raised within FLEET_RAISED_WINDOWS windows of one another are raised
 * together; a fleet-wide event opens when at least FLEET_MIN_RAISED entities are, and the fleet's
 * background rate of entity spans makes that many less likely than FLEET_FALSE_ALARM (Poisson tail; about
 * one false event in 19 years of 10-min windows, were spans independent). Scattered failures (3–10 hosts,
 * hours apart) stay their own. The background is the larger of the rate over the whole analysis and over
 * the FLEET_RECENT_WINDOWS before, both outside share-rule events and the windows tested, with one span
 * added so that a quiet start does not make every pair an event: at 1,000 hosts, slow drifts raised 3 spans
 * per window for hours at midday, three times the day's rate. Chosen on the tuning fleets of
 * scripts/eval-fleet.ts: seed 12's mild spike (6 of 100 hosts within 3 windows) has a chance of 3e-7, the
 * nearest chance coincidence (seed 13's midday drift, 12 of 1,000) 7e-5; windows of 2, 4 or 6 separated them
 * less well.
 */
export const FLEET_RAISED_WINDOWS = 3;
/**
 * Spans raised over up to this many windows are tried too, the smallest chance counting: in a busy fleet a
 * mild spike's hosts cross their thresholds one after another as it fills their windows (tuning fleet 52 with
 * the spike at 0.7 of its strength: 1, 5, 1 and 2 hosts in four windows, a chance of 7e-7; within any three it
 * stayed above 1e-6). Five windows caught nothing more on the tuning fleets of scripts/eval/fleet-mild.ts.
 */
export const FLEET_RAISED_WINDOWS_MAX = 4;
export const FLEET_MIN_RAISED = 5;
export const FLEET_FALSE_ALARM = 1e-6;
const FLEET_RECENT_WINDOWS = 12;
/**
 * The jump rule, for events that lift every host but flag almost none (traffic spikes that raised 0–2 host
 * spans of 100 on tuning seeds 14 and 16): the median entity score rises within one stride by FLEET_JUMP
 * times its usual stride-to-stride change (MAD_TO_SD × MAD over the analysis) and by at least an eighth of the
 * threshold, in a fleet of FLEET_JUMP_MIN_ENTITIES or more (a smaller fleet's median is one host's score).
 * The event lasts while the median stays above halfway up the jump. On the tuning fleets of
 * scripts/eval-fleet.ts (100 hosts: 11, 12, 14–19; 1,000: 13) every fleet-wide event's first jump was
 * 6.6–13.9 times the usual change, and every other change at most 5.1 times.
 */
export const FLEET_JUMP = 6;
/**
 * A smaller jump counts when the stride before it was calm (its change under FLEET_CALM times the usual): a
 * step out of a still level, where the day's ramp rises stride after stride. On the tuning fleets of
 * scripts/eval/fleet-mild.ts (100 hosts: 11, 12, 14–19, and 51–58 with the spike at full, 0.7 and 0.5 of its
 * strength) mild spikes jumped 4.9–5.8 times the usual change; off events, after a calm stride, one change
 * reached 5.1 (seed 11, 07:19) and the rest at most 4.8 (all in the morning ramp, after a rising stride, or
 * the 6.2–6.7 of seed 53 at 22:59 that the plain rule takes already).
 */
export const FLEET_CALM_JUMP = 4.5;
const FLEET_CALM = 2.5;
const FLEET_JUMP_MIN_ENTITIES = 10;
/** Fleet-wide windows a fleet span needs, and the gap (in windows) merged inside one. */
const FLEET_MIN_WINDOWS = 2;
const FLEET_MERGE_GAP = 2;
/**
 * Entities are also ranked by their highest peer score over this many recent windows (about an hour at the
 * default stride), below 1 when under the peer threshold: a host drifting from its peers ranks above the
 * pack before it is flagged (chosen on the tuning fleets of scripts/eval-fleet.ts).
 */
export const RECENT_PEER_WINDOWS = 6;
/**
 * An entity's own anomaly counts in its concern at peak / threshold up to 1, and a quarter of the excess above:
 * its own timeline says that it changed, its peers say how unusual that is. At 1,000 hosts a tenth of the
 * fleet's own timelines flagged slow benign drifts at 2–2.5× their threshold for hours and outranked failing
 * hosts that stood far from their peers (chosen on the tuning fleets of scripts/eval-fleet.ts: 1,000 hosts
 * seed 13 went from 4/5 to 5/5 ranked in the top 10, seeds 11 and 12 at 100 hosts stayed 10/10).
 */
export const OWN_EXCESS_WEIGHT = 0.25;

export function ownConcern(peakOverThreshold: number): number {
  return peakOverThreshold <= 1 ? peakOverThreshold : 1 + OWN_EXCESS_WEIGHT * (peakOverThreshold - 1);
}

/**
 * In a fleet with peers, an entity's own span is reported only once the entity also stands this far from its
 * peers (peer score; a typical host scores about 1), from a few windows before the span was raised to its
 * end; it is raised then. Without it the change is one the entity shares with its fleet: the day's traffic
 * against a night-time baseline, a disk growing as every disk does. On the tuning fleets of
 * scripts/eval-fleet.ts (seeds 11, 12 at 100 hosts, 13 at 1,000), every own span counted false peaked at a
 * peer score of at most 2.3 and every failing host's own span at 5.7 or more.
 */
export const PEER_CORROBORATION = 3;

/** When an own span is corroborated by the entity's peer scores (null: never). */
function apartFrom(s: AnomalySpan, scores: Float64Array, times: number[], strideMs: number): number | null {
  const raised = s.detectedAt ?? s.end;
  const from = raised - RECENT_PEER_WINDOWS * strideMs;
  for (let w = 0; w < times.length && times[w] <= s.end; w++)
    if (times[w] >= from && scores[w] >= PEER_CORROBORATION) return Math.max(raised, times[w]);
  return null;
}

/** At most this many notes per fleet report; the rest are counted. */
const MAX_NOTES = 30;

export const FLEET_AGGREGATION =
  `fleet score = the highest entity score at each window; a fleet-wide event begins when at least ` +
  `${FLEET_MIN_ENTITIES} entities and ${FLEET_SHARE * 100} % of them are flagged at once, or when ` +
  `${FLEET_MIN_RAISED} or more raise spans within ${FLEET_RAISED_WINDOWS}–${FLEET_RAISED_WINDOWS_MAX} windows and the ` +
  `fleet's background rate of entity spans gives that a chance under ${FLEET_FALSE_ALARM}, or when the median entity ` +
  `score jumps ${FLEET_JUMP} times its usual change in one stride (${FLEET_CALM_JUMP} after a calm stride), past the ` +
  `baseline; it lasts while ${FLEET_HOLD_SHARE * 100} % ` +
  `of the entities, or half of those raised with it if fewer, are still flagged among those raised with it, ` +
  `or the median stays halfway up its jump`;

export interface Combined {
  timeline: TimelineOutput;
  fleet: FleetDetails;
  entities: EntitySummary[];
}

export interface CombineOptions {
  label: string | null;
  threshold: number;
  peers: PeerResult | null;
  peerThreshold: number;
  /** Every entity, in order (the outputs' own when each has a timeline). */
  entities: string[];
  /**
   * Set when the whole fleet was analysed as one cloud (each entity has a single series): a span belongs to
   * the entity of the series that drove it most.
   */
  entityOfSeries?: Map<string, string>;
  /** Window ends are snapped to this grid, so entities whose windows start a few samples apart line up. */
  strideMs: number;
}

export function combineEntities(outputs: EntityOutput[], o: CombineOptions): Combined {
  const n = o.entities.length;
  const first = outputs[0].out;
  const t0 = Math.min(...outputs.map((x) => x.out.points[0]?.t ?? Infinity));
  const snap = (t: number) =>
    Number.isFinite(t0) && o.strideMs > 0 ? t0 + Math.round((t - t0) / o.strideMs) * o.strideMs : t;
  const byTime = new Map<number, { best: TimelinePoint; entity: string; flagged: string[] }>();
  for (const { entity, out } of outputs) {
    for (const p of out.points) {
      const t = snap(p.t);
      const at = byTime.get(t);
      if (!at) byTime.set(t, { best: p, entity, flagged: p.anomalous ? [entity] : [] });
      else {
        if (p.score > at.best.score || !Number.isFinite(at.best.score)) {
          at.best = p;
          at.entity = entity;
        }
        if (p.anomalous && !at.flagged.includes(entity)) at.flagged.push(entity);
      }
    }
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const joint = o.entityOfSeries !== undefined;
  const points: TimelinePoint[] = times.map((t) => {
    const at = byTime.get(t)!;
    if (joint || outputs.length === 1) return { ...at.best, t };
    return { ...at.best, t, anomalous: at.flagged.length > 0, entity: at.entity, flagged: at.flagged.length };
  });
  const events = joint ? [] : fleetEvents(times, byTime, outputs, n, snap, o.strideMs, o.threshold);
  const spans = events.map((e) => e.span);
  const inFleet = (s: AnomalySpan) => events.some((e) => partOf(s, e.span, o.strideMs, e.from));
  const anomalies: AnomalySpan[] = [];
  const peerIndex = new Map(o.entities.map((e, i) => [e, i]));
  let shared = 0;
  for (const { entity, out } of outputs) {
    const peerScores = joint ? undefined : o.peers?.scores[peerIndex.get(entity) ?? -1];
    for (const s of out.anomalies) {
      if (inFleet(s)) continue;
      if (joint) {
        anomalies.push({ ...s, entity: o.entityOfSeries!.get(s.series[0]) ?? entity });
        continue;
      }
      const at = peerScores ? apartFrom(s, peerScores, o.peers!.times, o.strideMs) : (s.detectedAt ?? s.end);
      if (at === null) shared++;
      else if (n > 1) anomalies.push({ ...s, detectedAt: at, entity });
      else anomalies.push(s);
    }
  }
  anomalies.sort((a, b) => a.start - b.start || b.peak - a.peak);

  const pending = outputs.filter((o) => o.out.pending);
  const notes: string[] = events.map((e) => e.why);
  // When every entity waits for the same reason, that reason is the report's pending line.
  if (pending.length < n) for (const o of pending) notes.push(`${o.entity}: ${o.out.pending}`);
  for (const o of outputs) for (const note of o.out.notes ?? []) notes.push(`${o.entity}: ${note}`);
  if (shared)
    notes.splice(
      events.length,
      0,
      `${shared} entity spans left out: the entity changed with its peers (its peer score stayed under ${PEER_CORROBORATION})`,
    );
  const shown = notes.slice(0, MAX_NOTES);
  if (notes.length > MAX_NOTES) shown.push(`… and ${notes.length - MAX_NOTES} more notes about single entities`);

  const timeline: TimelineOutput = {
    settings: first.settings,
    points,
    anomalies,
    skipped: outputs.flatMap((o) => o.out.skipped.map((s) => ({ t: s.t, reason: `${o.entity}: ${s.reason}` }))),
    baseline: outputs.find((o) => o.out.baseline)?.out.baseline ?? null,
    embedding: outputs.length === 1 ? first.embedding : null,
    landmarked: outputs.reduce((a, o) => a + o.out.landmarked, 0),
    pending: pending.length === n ? first.pending : null,
    notes: shown,
  };
  const last = new Map(outputs.map(({ entity, out }) => [entity, out.points[out.points.length - 1]]));
  const traces = joint || n === 1 ? null : scoreTraces(times, outputs, o, snap);
  const entities = o.entities.map((entity, e) => {
    const s = summarise(
      entity,
      n === 1 ? anomalies : anomalies.filter((s) => s.entity === entity),
      o.peers?.spans[e] ?? [],
      o,
      recentMax(o.peers?.scores[e]),
      times[times.length - 1] ?? 0,
    );
    const p = last.get(entity);
    const trace = traces?.get(entity);
    const withTrace = trace ? { ...s, trace } : s;
    return p ? { ...withTrace, latest: { t: p.t, score: p.score, anomalous: p.anomalous } } : withTrace;
  });
  let aggregation = FLEET_AGGREGATION;
  if (n === 1) aggregation = 'one entity: the fleet timeline is its timeline';
  else if (joint)
    aggregation = 'each entity has one series: the fleet is analysed as one cloud, spans named by their top series';
  return {
    timeline,
    fleet: { label: o.label, entities: n, aggregation, spans, peerThreshold: o.peers ? o.peerThreshold : null },
    entities: rankEntities(entities),
  };
}

/**
 * An entity span belongs to a fleet span when at least half of the time it was raised (detection to end, each
 * window counting one stride) lies in the fleet span's raised time, from `from` (by default its detection;
 * for a coincidence-rule event, the first of the windows whose spans made it) to its end. Onsets are left
 * out: a span's onset is a window before its detection, and a fleet span's onset reaches back further, so
 * comparing them swallowed a failing host's own span that merely began near a fleet-wide event.
 */
export function partOf(s: AnomalySpan, f: FleetSpan, strideMs: number, from = f.detectedAt): boolean {
  const raised = s.detectedAt ?? s.end;
  const to = s.end + strideMs;
  return overlap(raised, to, from, f.end + strideMs) >= 0.5 * Math.max(1, to - raised);
}

/**
 * P(X ≥ k) for X ~ Poisson(lambda): the chance of k or more spans in a stretch where lambda are expected.
 * Summed upwards from k in logs, so it stays exact far in the tail (k of hundreds, results of 1e-300).
 */
export function poissonTail(lambda: number, k: number): number {
  if (k <= 0) return 1;
  if (!(lambda > 0)) return 0;
  let logTerm = -lambda + k * Math.log(lambda);
  for (let j = 2; j <= k; j++) logTerm -= Math.log(j);
  let sum = 0;
  for (let j = k; j < k + 10_000; j++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (j > lambda && term < sum * 1e-12) break;
    logTerm += Math.log(lambda) - Math.log(j + 1);
  }
  return Math.min(1, sum);
}

/** A fleet span, the first window whose entity spans it holds, and why it was made (a report note). */
export interface FleetEvent {
  span: FleetSpan;
  from: number;
  why: string;
}

type ByTime = Map<number, { flagged: string[]; best: TimelinePoint }>;

/** Which windows the share rule opens (wide) and holds (hold), from the flagged counts alone. */
function shareRuns(times: number[], byTime: ByTime, n: number): { wide: boolean[]; inRun: boolean[] } {
  const wide = Math.max(FLEET_MIN_ENTITIES, Math.ceil(FLEET_SHARE * n));
  const hold = Math.max(FLEET_MIN_ENTITIES, Math.ceil(FLEET_HOLD_SHARE * n));
  const count = times.map((t) => byTime.get(t)!.flagged.length);
  const inRun = times.map(() => false);
  let open = false;
  count.forEach((c, i) => {
    open = c >= (open ? hold : wide);
    inRun[i] = open;
  });
  return { wide: count.map((c) => c >= wide), inRun };
}

interface Coincidence {
  /** Distinct entities whose spans were raised in the group of windows ending here. */
  raised: string[];
  first: number;
  expected: number;
  rate: number;
  /** The windows counted (FLEET_RAISED_WINDOWS to FLEET_RAISED_WINDOWS_MAX). */
  windows: number;
  chance: number;
}

/**
 * The coincidence rule at each window: the entities whose spans were raised in the FLEET_RAISED_WINDOWS
 * ending there, against the fleet's background rate (see FLEET_FALSE_ALARM); null where it does not fire.
 */
function coincidences(times: number[], raisedAt: string[][], quiet: boolean[], n: number): (Coincidence | null)[] {
  const count = raisedAt.map((r, i) => (quiet[i] ? r.length : 0));
  let total = 0;
  let windows = 0;
  count.forEach((c, i) => {
    total += c;
    if (quiet[i]) windows++;
  });
  return times.map((_, i) => {
    if (n < FLEET_MIN_RAISED) return null;
    let best: Coincidence | null = null;
    for (let C = FLEET_RAISED_WINDOWS; C <= FLEET_RAISED_WINDOWS_MAX; C++) {
      const c = coincidence(i, C, raisedAt, count, quiet, total, windows);
      if (c && (!best || c.chance < best.chance)) best = c;
    }
    return best && best.chance <= FLEET_FALSE_ALARM ? best : null;
  });
}

/** The entities raised in the C windows ending at window i, and the chance of that many (null: too few). */
function coincidence(
  i: number,
  C: number,
  raisedAt: string[][],
  count: number[],
  quiet: boolean[],
  total: number,
  windows: number,
): Coincidence | null {
  const group = new Set<string>();
  let first = i;
  let own = 0;
  let ownWindows = 0;
  for (let w = Math.max(0, i - C + 1); w <= i; w++) {
    if (raisedAt[w].length && first === i) first = Math.min(first, w);
    for (const e of raisedAt[w]) group.add(e);
    own += count[w];
    if (quiet[w]) ownWindows++;
  }
  if (group.size < FLEET_MIN_RAISED) return null;
  let rate = (total - own + 1) / Math.max(1, windows - ownWindows);
  let recent = 0;
  let recentWindows = 0;
  for (let w = Math.max(0, i - C - FLEET_RECENT_WINDOWS + 1); w <= i - C; w++)
    if (quiet[w]) {
      recent += count[w];
      recentWindows++;
    }
  if (recentWindows >= FLEET_RECENT_WINDOWS / 2) rate = Math.max(rate, recent / recentWindows);
  const expected = rate * C;
  return { raised: [...group], first, expected, rate, windows: C, chance: poissonTail(expected, group.size) };
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 16) + 'Z';

/**
 * Fleet-wide events: runs of windows opened by the share rule or the coincidence rule, held while
 * FLEET_HOLD_SHARE of the entities or half of those raised with the event (at least FLEET_MIN_ENTITIES) are
 * still flagged, with gaps of up to FLEET_MERGE_GAP windows merged.
 */
function fleetEvents(
  times: number[],
  byTime: ByTime,
  outputs: EntityOutput[],
  n: number,
  snap: (t: number) => number,
  strideMs: number,
  threshold: number,
): FleetEvent[] {
  if (outputs.length < FLEET_MIN_ENTITIES) return [];
  const index = new Map(times.map((t, i) => [t, i]));
  const raisedAt: string[][] = times.map(() => []);
  for (const { entity, out } of outputs)
    for (const s of out.anomalies) {
      const i = index.get(snap(s.detectedAt ?? s.end));
      if (i !== undefined && !raisedAt[i].includes(entity)) raisedAt[i].push(entity);
    }
  const share = shareRuns(times, byTime, n);
  const found = coincidences(
    times,
    raisedAt,
    share.inRun.map((x) => !x),
    n,
  );
  const hold = Math.max(FLEET_MIN_ENTITIES, Math.ceil(FLEET_HOLD_SHARE * n));
  const { median: level, jumps } = medianJumps(times, outputs, index, snap, n, threshold);
  const runs: Run[] = [];
  let last = -Infinity;
  times.forEach((t, i) => {
    const c = found[i];
    const jump = jumps[i];
    const opens = share.wide[i] || c !== null || jump !== null;
    let run = runs[runs.length - 1];
    const from = c ? c.first : i;
    const open = run !== undefined && from - last <= FLEET_MERGE_GAP + 1;
    if (!opens && !(open && (holds(run, byTime.get(t)!.flagged) || level[i] >= run.level))) return;
    if (!open) {
      run = {
        from,
        detected: i,
        to: i,
        raising: i,
        members: new Set(),
        coincidence: share.wide[i] ? null : c,
        jump: share.wide[i] || c ? null : jump,
        level: Infinity,
      };
      runs.push(run);
    }
    if (jump) run.level = Math.min(run.level, (jump.before + jump.after) / 2);
    run.to = i;
    if (opens) {
      run.raising = Math.max(run.raising, i + FLEET_RAISED_WINDOWS - 1);
      for (const e of c?.raised ?? []) run.members.add(e);
      for (let w = Math.max(0, i - FLEET_MERGE_GAP); w < i; w++) for (const e of raisedAt[w]) run.members.add(e);
    }
    if (i <= run.raising) for (const e of raisedAt[i]) run.members.add(e);
    last = i;
  });
  // An event lasts while its own entities are still flagged, not whoever else is: by afternoon a tenth of a
  // fleet can be flagged by the day's slow drift, which held a 30-min spike's fleet span open for 3 hours.
  function holds(run: Run, flagged: string[]): boolean {
    let still = 0;
    for (const e of flagged) if (run.members.has(e)) still++;
    return still >= Math.max(FLEET_MIN_ENTITIES, Math.min(hold, Math.ceil(run.members.size / 2)));
  }
  return runs
    .filter((r) => r.to - r.from + 1 >= FLEET_MIN_WINDOWS)
    .map((r) => describeRun(r, times, byTime, outputs, n, strideMs));
}

/** A run of fleet-wide windows: from its first, detected at, to its last; the entities raised with it. */
interface Run {
  from: number;
  detected: number;
  to: number;
  /** Until this window, entities raising spans join the event (members); later ones are their own. */
  raising: number;
  members: Set<string>;
  /** Set when the coincidence rule opened it. */
  coincidence: Coincidence | null;
  /** Set when the jump rule opened it. */
  jump: Jump | null;
  /** It also lasts while the median entity score stays at or above this (halfway up its jumps). */
  level: number;
}

/** A rise of the median entity score within one stride, `z` times the fleet's usual stride-to-stride change. */
interface Jump {
  before: number;
  after: number;
  z: number;
  /** Taken by the calm rule (FLEET_CALM_JUMP). */
  calm: boolean;
}

/** The median entity score at each window, and where it jumps (see FLEET_JUMP; null elsewhere). */
function medianJumps(
  times: number[],
  outputs: EntityOutput[],
  index: Map<number, number>,
  snap: (t: number) => number,
  n: number,
  threshold: number,
): { median: number[]; jumps: (Jump | null)[] } {
  // Not inside the baseline: normal operation by the user's choice, and at 1,000 hosts (tuning fleet 59) its
  // first hour's scores jumped 6.6 times the usual change.
  const baselineEnd = Math.max(-Infinity, ...outputs.map((o) => o.out.baseline?.end ?? -Infinity));
  const scores: number[][] = times.map(() => []);
  for (const { out } of outputs)
    for (const p of out.points) {
      const i = index.get(snap(p.t));
      if (i !== undefined && Number.isFinite(p.score)) scores[i].push(p.score);
    }
  const level = scores.map((xs) => (xs.length ? median(xs) : NaN));
  const steps = level.map((m, i) => (i > 0 ? m - level[i - 1] : NaN));
  const finite = steps.filter(Number.isFinite);
  const none = { median: level, jumps: times.map(() => null) };
  if (n < FLEET_JUMP_MIN_ENTITIES || finite.length < 6) return none;
  const usual = MAD_TO_SD * mad(finite);
  if (!(usual > 0)) return none;
  const z = steps.map((d) => d / usual);
  return {
    median: level,
    jumps: steps.map((d, i) => {
      if (!(d >= threshold / 8) || times[i] <= baselineEnd) return null;
      const calm = i > 1 && z[i - 1] < FLEET_CALM;
      return z[i] >= FLEET_JUMP || (calm && z[i] >= FLEET_CALM_JUMP)
        ? { before: level[i - 1], after: level[i], z: z[i], calm: z[i] < FLEET_JUMP }
        : null;
    }),
  };
}

function describeRun(
  r: Run,
  times: number[],
  byTime: ByTime,
  outputs: EntityOutput[],
  n: number,
  strideMs: number,
): FleetEvent {
  const count = new Map<string, number>();
  let peak = -Infinity;
  // Entities already flagged before the event began are not its entities: their spans are their own.
  const before = new Set(r.from > 0 ? byTime.get(times[r.from - 1])!.flagged : []);
  for (let i = r.from; i <= r.to; i++) {
    const at = byTime.get(times[i])!;
    peak = Math.max(peak, at.best.score);
    for (const e of at.flagged) if (!before.has(e)) count.set(e, (count.get(e) ?? 0) + 1);
  }
  const start = times[r.from];
  const end = times[r.to];
  // The entity spans raised with the event (from a merge gap before it to its end): their usual onset and
  // series describe it. Any span merely overlapping would do at 10 hosts; at 1,000 some long span always
  // does, and the earliest of them put the onset hours back.
  const raised = outputs.flatMap(({ out }) =>
    out.anomalies.filter((s) => {
      const at = s.detectedAt ?? s.end;
      return at >= start - FLEET_MERGE_GAP * strideMs && at <= end;
    }),
  );
  const drivers = new Map<string, number>();
  for (const s of raised) {
    for (const key of s.series.slice(0, 3)) {
      const generic = key.replace(/\{.*\}$/, '');
      drivers.set(generic, (drivers.get(generic) ?? 0) + 1);
    }
  }
  const onset = raised.length ? Math.min(start, median(raised.map((s) => s.start))) : start;
  const span: FleetSpan = {
    start: onset,
    detectedAt: times[r.detected],
    end,
    peak,
    entities: [...count].sort((a, b) => b[1] - a[1]).map(([e]) => e),
    series: [...drivers]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k]) => k),
  };
  const c = r.coincidence;
  const j = r.jump;
  const reason = j
    ? `the median entity score rose from ${j.before.toFixed(2)} to ${j.after.toFixed(2)} within one stride at ` +
      `${iso(span.detectedAt)}, ${j.z.toFixed(1)} times the fleet's usual change ` +
      (j.calm ? `(at least ${FLEET_CALM_JUMP} after a calm stride)` : `(at least ${FLEET_JUMP})`)
    : c
      ? `${c.raised.length} entities raised spans within ${c.windows} windows (by ${iso(span.detectedAt)}), ` +
        `where the fleet's background rate of ${c.rate.toPrecision(2)} spans per window predicts ${c.expected.toPrecision(2)}: ` +
        `a chance of ${c.chance.toExponential(0)}, under ${FLEET_FALSE_ALARM}`
      : `${byTime.get(span.detectedAt)!.flagged.length} of ${n} entities flagged at once at ${iso(span.detectedAt)}, ` +
        `at least ${FLEET_SHARE * 100} %`;
  const why = `fleet-wide event ${iso(onset)} to ${iso(end)}, ${span.entities.length} entities flagged in it: ${reason}`;
  return { span, from: start, why };
}

/**
 * Per entity, its concern at each window of the fleet timeline (`times`), in the units of its rank score: the
 * larger of its own score / threshold (through ownConcern) and its peer score / peer threshold; null where it
 * has neither. Rounded
 * to 2 decimals, so a 1,000-host fleet's report stays small; the app draws them as a heatmap.
 */
function scoreTraces(
  times: number[],
  outputs: EntityOutput[],
  o: CombineOptions,
  snap: (t: number) => number,
): Map<string, (number | null)[]> {
  const column = new Map(times.map((t, i) => [t, i]));
  const peerIndex = new Map(o.entities.map((e, i) => [e, i]));
  const peerColumn = (o.peers?.times ?? []).map((t) => column.get(snap(t)));
  const round = (v: number) => Math.round(v * 100) / 100;
  const out = new Map<string, (number | null)[]>();
  for (const { entity, out: tl } of outputs) {
    const trace: (number | null)[] = new Array(times.length).fill(null);
    for (const p of tl.points) {
      const i = column.get(snap(p.t));
      if (i !== undefined && Number.isFinite(p.score))
        trace[i] = Math.max(trace[i] ?? 0, ownConcern(p.score / o.threshold));
    }
    const scores = o.peers?.scores[peerIndex.get(entity) ?? -1];
    if (scores)
      scores.forEach((v, w) => {
        const i = peerColumn[w];
        if (i !== undefined && Number.isFinite(v)) trace[i] = Math.max(trace[i] ?? 0, v / o.peerThreshold);
      });
    out.set(
      entity,
      trace.map((v) => (v === null ? null : round(v))),
    );
  }
  return out;
}

function recentMax(scores: Float64Array | undefined): number {
  let best = 0;
  if (scores)
    for (let w = Math.max(0, scores.length - RECENT_PEER_WINDOWS); w < scores.length; w++)
      best = Math.max(best, scores[w]);
  return best;
}

/**
 * Concern is about now (the end of the data): a span counts at its peak while it lasts and halves every
 * CONCERN_HALF_LIFE after it ends, so a host that misbehaved hours ago and recovered does not outrank one
 * that is misbehaving now. The spans themselves are all listed.
 */
export const CONCERN_HALF_LIFE = 3_600_000;

function decayed(peak: number, end: number, now: number): number {
  return peak * 0.5 ** (Math.max(0, now - end) / CONCERN_HALF_LIFE);
}

function summarise(
  entity: string,
  own: AnomalySpan[],
  outliers: PeerSpan[],
  o: CombineOptions,
  recentPeer: number,
  now: number,
): EntitySummary {
  const lastOut = outliers[outliers.length - 1];
  const peak = Math.max(0, ...own.map((s) => decayed(s.peak, s.end, now)));
  const outPeak = Math.max(0, ...outliers.map((s) => decayed(s.peak, s.end, now)));
  return {
    entity,
    rank: 0,
    score: Math.max(ownConcern(peak / o.threshold), outPeak / o.peerThreshold, recentPeer / o.peerThreshold),
    anomalies: own.map((s) => ({
      start: s.start,
      end: s.end,
      detectedAt: s.detectedAt ?? s.end,
      peak: s.peak,
      series: s.series,
    })),
    outlier: lastOut ? { score: lastOut.peak, since: lastOut.start, until: lastOut.end } : null,
    risk: null,
    scenario: null,
  };
}

/** Sorted by concern, highest first (ties by name), ranks 1…n. */
export function rankEntities(entities: EntitySummary[]): EntitySummary[] {
  return [...entities]
    .sort((a, b) => b.score - a.score || a.entity.localeCompare(b.entity))
    .map((x, i) => ({ ...x, rank: i + 1 }));
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}
