// `node bin/run-ts.js scripts/eval/fleet-mild.ts HOSTS SEED[:SPIKE] … [--refresh]`: why a fleet-wide event
// does or does not get one fleet span, on tuning fleets only (never a held-out seed of scripts/eval-fleet.ts).
// SPIKE scales the traffic spike's strength (scripts/eval/fleet.ts fleetPlan), for milder events than the
// generator's own. Each host's timeline over the whole day (what the final report of scripts/eval-fleet.ts
// combines) and the peer scores are cached under /tmp, so the fleet rules of src/lib/analysis/fleet.ts can
// be re-run on them in a second; --refresh recomputes them (after a timeline change).
//
// Per fleet-wide event it prints: the hosts whose spans were raised during it and when, how many hosts were
// flagged per window, the median host score per window with its step in units of the fleet's usual change,
// and the share of hosts whose score rose; then the fleet spans, which event each matches, and the strays.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { combineEntities, type EntityOutput } from '../../src/lib/analysis/fleet.ts';
import { groupEntities, subFrame } from '../../src/lib/analysis/entities.ts';
import { DEFAULT_PEER_OPTIONS, peerOutliers, type PeerResult } from '../../src/lib/analysis/peers.ts';
import { DEFAULT_SETTINGS, timelineOptionsOf } from '../../src/lib/analysis/settings.ts';
import { MAD_TO_SD, mad, median } from '../../src/lib/cloud/stats.ts';
import { forEachLimited } from '../../src/lib/limit.ts';
import type { ScenarioLabel } from '../../src/lib/synth/scenarios.ts';
import { AnomalyTimeline, DEFAULT_TIMELINE_OPTIONS } from '../../src/lib/timeline/index.ts';
import { NodePool } from '../../src/node/pool.ts';
import { HELD_OUT, makeFleet } from '../eval-fleet.ts';

const CACHE = '/tmp/aura-fleet-mild';
const WINDOW_MS = (DEFAULT_TIMELINE_OPTIONS.window - 1) * 60_000;

export interface MildCase {
  hosts: number;
  seed: number;
  spike?: number;
  cron?: number;
}

/** What combineEntities needs for one fleet, and its ground truth. */
export interface FleetTimelines {
  c: MildCase;
  outputs: EntityOutput[];
  peers: PeerResult | null;
  entities: string[];
  strideMs: number;
  labels: ScenarioLabel[];
}

/** Every host's timeline over the whole fleet (as Analysis computes them, baseline the first 4 h), cached. */
export async function fleetTimelines(pool: NodePool, c: MildCase, refresh = false): Promise<FleetTimelines> {
  if (HELD_OUT.some((h) => h.seed === c.seed)) throw new Error(`seed ${c.seed} is held out: tuning seeds only`);
  const file = `${CACHE}/${c.hosts}-${c.seed}-${c.spike ?? 'default'}${c.cron === undefined ? '' : `-cron${c.cron}`}.v8`;
  if (!refresh && existsSync(file)) return deserialize(readFileSync(file)) as FleetTimelines;
  const f = makeFleet(c);
  const aligned = f.alignment.frame;
  const groups = groupEntities(aligned, 'instance');
  const outputs: EntityOutput[] = new Array(groups.length);
  await forEachLimited(groups.length, 8, async (i) => {
    const tl = new AnomalyTimeline(pool, { ...timelineOptionsOf(DEFAULT_SETTINGS), baselineRows: f.baseRows });
    outputs[i] = { entity: groups[i].entity, out: await tl.update(subFrame(aligned, groups[i].columns)) };
  });
  const times = [...new Set(outputs.flatMap((o) => o.out.points.map((p) => p.t)))].sort((a, b) => a - b);
  const peers = peerOutliers(aligned, groups, 'instance', times, {
    ...DEFAULT_PEER_OPTIONS,
    baselineRows: f.baseRows,
  });
  const stride = outputs[0].out.settings.stride * aligned.stepMs;
  const r: FleetTimelines = {
    c,
    outputs,
    peers,
    entities: groups.map((g) => g.entity),
    strideMs: stride,
    labels: f.labels,
  };
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, serialize(r));
  return r;
}

export function combine(r: FleetTimelines) {
  return combineEntities(r.outputs, {
    label: 'instance',
    threshold: DEFAULT_SETTINGS.threshold,
    peers: r.peers,
    peerThreshold: DEFAULT_PEER_OPTIONS.threshold,
    entities: r.entities,
    strideMs: r.strideMs,
  });
}

/**
 * A fleet-wide event as the evaluation counts it: its onset to its end plus one window. An event injected at
 * strength 0 changed nothing: a fleet span there matches nothing.
 */
export function eventIntervals(labels: ScenarioLabel[], c: MildCase) {
  const none = (l: ScenarioLabel) => (l.scenario === 'traffic_spike' ? c.spike : c.cron) === 0;
  return labels
    .filter((l) => l.instance === '*' && !none(l))
    .map((l) => ({ label: l, start: l.onset, end: (l.end ?? l.onset) + WINDOW_MS }));
}

/** Fleet spans per fleet-wide event (overlapping it), and fleet spans overlapping none. */
export function matchSpans(r: FleetTimelines, spans: { start: number; end: number }[]) {
  const events = eventIntervals(r.labels, r.c);
  const hits = (e: { start: number; end: number }, s: { start: number; end: number }) =>
    s.start <= e.end && e.start <= s.end;
  return {
    perEvent: events.map((e) => spans.filter((s) => hits(e, s)).length),
    stray: spans.filter((s) => !events.some((e) => hits(e, s))),
  };
}

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

function describe(r: FleetTimelines): void {
  const { outputs } = r;
  const times = [...new Set(outputs.flatMap((o) => o.out.points.map((p) => p.t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const score = outputs.map((o) => {
    const s = new Float64Array(times.length).fill(NaN);
    for (const p of o.out.points) s[index.get(p.t)!] = p.score;
    return s;
  });
  const level = times.map((_, i) => median(score.map((s) => s[i]).filter(Number.isFinite)));
  const steps = level.map((m, i) => (i > 0 ? m - level[i - 1] : NaN)).filter(Number.isFinite);
  const usual = MAD_TO_SD * mad(steps);
  const raised = times.map(() => [] as string[]);
  for (const o of outputs)
    for (const s of o.out.anomalies) {
      const i = index.get(s.detectedAt ?? s.end);
      if (i !== undefined) raised[i].push(o.entity);
    }
  const perWindow = raised.map((x) => x.length);
  console.log(
    `  background: ${perWindow.reduce((a, b) => a + b, 0)} host spans over ${times.length} windows; ` +
      `median score's usual stride change ${usual.toFixed(3)}`,
  );
  for (const e of eventIntervals(r.labels, r.c)) {
    const from = times.findIndex((t) => t >= e.label.onset - 30 * 60_000);
    let to = times.findIndex((t) => t > e.end + 30 * 60_000);
    if (to < 0) to = times.length;
    console.log(`  ${e.label.scenario} ${hhmm(e.label.onset)}–${hhmm(e.label.end ?? e.label.onset)}:`);
    const before = Math.max(0, times.findIndex((t) => t >= e.label.onset) - 1);
    for (let i = from; i < to; i++) {
      const flagged = outputs.filter((o) => o.out.points.some((p) => p.t === times[i] && p.anomalous)).length;
      const rose = score.filter((s) => s[i] > s[before]).length;
      const up = score.filter((s) => s[i] - s[before] >= DEFAULT_SETTINGS.threshold / 8).length;
      const step = i > 0 ? (level[i] - level[i - 1]) / usual : NaN;
      console.log(
        `    ${hhmm(times[i])} median ${level[i].toFixed(2)} step ${step.toFixed(1)}× flagged ${flagged} raised ${raised[i].length}` +
          ` rose ${rose} up≥${(DEFAULT_SETTINGS.threshold / 8).toFixed(1)} ${up}`,
      );
    }
  }
}

if (process.argv[1]?.endsWith('fleet-mild.ts')) {
  const args = process.argv.slice(2);
  const refresh = args.includes('--refresh');
  const [hosts, ...rest] = args.filter((a) => !a.startsWith('--'));
  if (!hosts || !rest.length) {
    console.error('usage: node bin/run-ts.js scripts/eval/fleet-mild.ts HOSTS SEED[:SPIKE] … [--refresh]');
    process.exit(2);
  }
  const pool = new NodePool();
  let events = 0;
  let single = 0;
  let stray = 0;
  try {
    for (const arg of rest) {
      const [seed, spike, cron] = arg.split(':').map((x) => (x === '' ? undefined : Number(x)));
      const c: MildCase = {
        hosts: Number(hosts),
        seed: seed!,
        ...(spike === undefined ? {} : { spike }),
        ...(cron === undefined ? {} : { cron }),
      };
      const cpu0 = process.cpuUsage();
      const r = await fleetTimelines(pool, c, refresh);
      const cpu = process.cpuUsage(cpu0);
      console.log(
        `\n${c.hosts} hosts, seed ${c.seed}, spike ${c.spike ?? 'default'}, cron ${c.cron ?? 'default'} (${((cpu.user + cpu.system) / 1e6).toFixed(0)} CPU s here)`,
      );
      describe(r);
      const combined = combine(r);
      const m = matchSpans(r, combined.fleet.spans);
      for (const s of combined.fleet.spans)
        console.log(
          `  fleet span ${hhmm(s.start)} detected ${hhmm(s.detectedAt)} – ${hhmm(s.end)}, ${s.entities.length} entities`,
        );
      for (const n of combined.timeline.notes.filter((x) => x.startsWith('fleet-wide'))) console.log(`  ${n}`);
      console.log(`  fleet spans per event: ${m.perEvent.join(', ')}; stray: ${m.stray.length}`);
      events += m.perEvent.length;
      single += m.perEvent.filter((k) => k === 1).length;
      stray += m.stray.length;
    }
  } finally {
    await pool.close();
  }
  console.log(`\nevents with exactly one fleet span: ${single}/${events}; stray fleet spans: ${stray}`);
}
