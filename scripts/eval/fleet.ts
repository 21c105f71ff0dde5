// Fleet evaluation: the generated fleets (which scenarios, where, when) and the metrics the issue asks for.
// Every function is the plain definition; each has a hand-built case in test/unit/eval-fleet.test.ts.
import { createRng } from '../../src/lib/synth/rng.ts';
import {
  LEAD_HOURS,
  type FailureScenario,
  type ScenarioLabel,
  type ScenarioSpec,
} from '../../src/lib/synth/scenarios.ts';
import { overlaps, type Interval } from './metrics.ts';

const HOUR = 3_600_000;

/**
 * Failures mixed into the fleets. cascading_overload is left out: the generator moves the victim's traffic
 * to every other host and fails each of them (seed 1 at 100 hosts fails all 100), which is no longer a
 * fleet with a few failing hosts.
 */
export const FLEET_FAILURES: FailureScenario[] = [
  'memory_leak',
  'disk_fill',
  'cpu_saturation',
  'fd_exhaustion',
  'network_saturation',
];

export interface FleetPlan {
  scenarios: ScenarioSpec[];
  /** Failing hosts, 3–10. */
  failing: number;
}

/**
 * The scenarios of one fleet, drawn from `seed`: 3–10 failures of mixed kinds on distinct hosts, with onset
 * after the baseline (`afterMs` from the start) and failure at least 30 min before the end; one fleet-wide
 * traffic spike and one fleet-wide cron burst (instance '*'); a deploy restart on two hosts and a cache
 * warm-up on one (benign single-host look-alikes). `spike` scales the traffic spike's strength (the
 * generator's own draw, 0.5–0.9 of the traffic, times this) and `cron` the cron burst's: tuning fleets with
 * milder events, or none (0). They draw nothing from the seed, so a fleet without them is as before.
 */
export function fleetPlan(
  hosts: number,
  hours: number,
  seed: number,
  start: number,
  afterMs: number,
  spike?: number,
  cron?: number,
): FleetPlan {
  const rng = createRng(seed);
  const failing = rng.int(3, Math.min(10, Math.max(3, Math.floor(hosts / 10))));
  const order = Array.from({ length: hosts }, (_, i) => i);
  for (let i = hosts - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const end = start + hours * HOUR;
  const scenarios: ScenarioSpec[] = [];
  for (let k = 0; k < failing; k++) {
    const scenario = FLEET_FAILURES[(k + rng.int(0, 4)) % FLEET_FAILURES.length];
    const [lo, hi] = LEAD_HOURS[scenario];
    const lead = rng.uniform(lo, Math.min(hi, (end - 30 * 60_000 - start - afterMs) / HOUR)) * HOUR;
    const onset = rng.uniform(start + afterMs, end - 30 * 60_000 - lead);
    scenarios.push({ scenario, host: order[k], onset: Math.round(onset), failure: Math.round(onset + lead) });
  }
  const at = () => Math.round(rng.uniform(start + afterMs + HOUR, end - 3 * HOUR));
  scenarios.push(
    { scenario: 'traffic_spike', onset: at(), ...(spike === undefined ? {} : { strength: spike }) },
    { scenario: 'cron_burst', onset: at(), ...(cron === undefined ? {} : { strength: cron }) },
  );
  for (const [scenario, k] of [
    ['deploy_restart', failing],
    ['deploy_restart', failing + 1],
    ['cache_warmup', failing + 2],
  ] as const)
    scenarios.push({ scenario, host: order[k % hosts], onset: at() });
  return { scenarios, failing };
}

/** A host's alarm as an evaluation sees it: raised at `detectedAt`, held until `end`, with its peak concern. */
export interface HostSpan {
  detectedAt: number;
  end: number;
  /** Peak in units of the method's threshold (above 1 when flagged). */
  concern: number;
  /** What raised it, where a method has several sources (AURA: its own timeline, or its peers). */
  source?: string;
}

/** When ground truth explains an alarm: from the onset to the end, plus one window (the window still holds it). */
export function influence(label: ScenarioLabel, windowMs: number, failureHoldMs = HOUR): Interval {
  const end = label.kind === 'failure' ? label.failure! + failureHoldMs : (label.end ?? label.onset);
  return { start: label.onset, end: end + windowMs };
}

/**
 * Spans raised (detected) outside every interval of `explained`. Raised, not merely overlapping: at 1,000
 * hosts, dozens of hosts drifted for hours from mid-morning, and every such span overlapped the afternoon's
 * fleet-wide cron burst, so counting overlaps called them explained.
 */
export function unexplained(spans: HostSpan[], explained: Interval[]): HostSpan[] {
  return spans.filter((s) => !explained.some((e) => s.detectedAt >= e.start && s.detectedAt <= e.end));
}

/**
 * A host's rank among the fleet by concern, counted pessimistically: 1 + the hosts whose concern is at
 * least its own. A host nobody flagged ties with every other unflagged host and ranks behind them all.
 */
export function pessimisticRank(concern: Map<string, number>, host: string): number {
  const own = concern.get(host) ?? 0;
  let rank = 1;
  for (const [h, c] of concern) if (h !== host && c >= own) rank++;
  return rank;
}

/** Concern per host from spans raised at or before `t`: the largest peak (0 without one). */
export function concernAt(spans: Map<string, HostSpan[]>, hosts: string[], t: number): Map<string, number> {
  return new Map(
    hosts.map((h) => [h, Math.max(0, ...(spans.get(h) ?? []).filter((s) => s.detectedAt <= t).map((s) => s.concern))]),
  );
}

/**
 * Detection of one failure: the first span on its host raised between onset and failure. Delay in ms from
 * the onset; null when nothing was raised in time.
 */
export function detectionDelay(spans: HostSpan[], onset: number, failure: number): number | null {
  const at = spans.filter((s) => s.detectedAt >= onset && s.detectedAt <= failure).map((s) => s.detectedAt);
  return at.length ? Math.min(...at) - onset : null;
}

/** For each fleet-wide event, how many of `spans` overlap it. */
export function spansPerEvent(events: Interval[], spans: Interval[]): number[] {
  return events.map((e) => spans.filter((s) => overlaps(s, e)).length);
}
