// Seeded generator of node_exporter-like metrics for a small fleet, with labelled failures and benign
// look-alikes injected on top of daily/weekly traffic cycles. Every value is a pure function of the options.
//
// How it works: per host, a traffic driver (daily and weekly cycle × a shared and a private AR(1) noise) feeds
// every observable (CPU, load, memory, network, fds, latency, errors), so metrics move together as they do on
// real machines. Scenarios add effect curves (extra CPU, leaked bytes, log growth, …) before the observables
// are derived, so a failure's consequences (swap use, retransmits, SLO breach) follow from its cause.
import type { MetricFrame, Series } from '../frame/types.ts';
import { childRng, createRng, type Rng } from './rng.ts';
import {
  FAILURE_SCENARIOS,
  LEAD_HOURS,
  isFailureScenario,
  isScenarioName,
  type ScenarioLabel,
  type ScenarioName,
  type ScenarioSpec,
} from './scenarios.ts';

export type MetricSet = 'core' | 'full';

export interface SynthOptions {
  /** Number of hosts, named host-1 … host-N. Default 5. */
  hosts?: number;
  /** Span in hours. Default 24. */
  hours?: number;
  /** Scrape interval in seconds. Default 15. */
  stepSeconds?: number;
  seed?: number;
  /** First timestamp, epoch ms. Default 2026-01-05T00:00:00Z (a Monday). */
  start?: number;
  /** Scenarios to inject; names or detailed specs. Default: two failures and three benign events drawn from the seed. */
  scenarios?: (ScenarioName | ScenarioSpec)[];
  /** `core`: 10 metrics per host; `full`: 12 (adds swap and TCP retransmits). Default `full`. */
  metricSet?: MetricSet;
  /** Fraction of scrapes that are missing (whole scrape of one host), 0..0.5. Default 0. */
  dropRate?: number;
  /** Scrape timestamps are shifted by up to ± half of this, in seconds (must be < step). Default 0. */
  jitterSeconds?: number;
}

export interface SynthResult {
  frame: MetricFrame;
  labels: ScenarioLabel[];
}

/** The latency SLO the scenarios breach: p99 above this many seconds is a failure. */
export const LATENCY_SLO_SECONDS = 0.5;
const LINK_BYTES_PER_SECOND = 125e6; // 1 GbE
const FD_LIMIT = 32768;
const DEFAULT_START = Date.UTC(2026, 0, 5);
const HOUR = 3600e3;
const GIB = 1024 ** 3;

interface HostProfile {
  instance: string;
  ncpu: number;
  memTotal: number;
  swapTotal: number;
  fsSize: number;
  fsBaseFraction: number;
  baseRps: number;
  baseLatency: number;
  fdBase: number;
}

/** Additive (or multiplicative, for *Mult) effect curves one host accumulates from scenarios. */
interface Effects {
  traffic: Float64Array; // multiplier
  cpu: Float64Array; // extra busy fraction
  mem: Float64Array; // extra used bytes
  disk: Float64Array; // extra used bytes
  fd: Float64Array;
  net: Float64Array; // extra tx bytes/s
  io: Float64Array; // extra busy fraction of the disk
  err: Float64Array; // extra error ratio
  lat: Float64Array; // latency multiplier
  alive: Uint8Array;
}

interface Ctx {
  n: number;
  stepMs: number;
  start: number;
  hosts: HostProfile[];
  effects: Effects[];
  /** Requests per second relative to the host's base, before scenario effects on traffic. */
  relTraffic: Float64Array[];
  labels: ScenarioLabel[];
}

function resolveOptions(o: SynthOptions) {
  const hosts = o.hosts ?? 5;
  const hours = o.hours ?? 24;
  const stepSeconds = o.stepSeconds ?? 15;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > 1000)
    throw new Error(`hosts must be an integer 1..1000, got ${hosts}`);
  if (!(hours > 0) || hours > 24 * 366) throw new Error(`hours must be in (0, 8784], got ${hours}`);
  if (!(stepSeconds >= 1) || stepSeconds > 3600) throw new Error(`step must be 1..3600 seconds, got ${stepSeconds}`);
  const n = Math.floor((hours * 3600) / stepSeconds) + 1;
  if (n * hosts > 50_000_000)
    throw new Error(`hosts × samples = ${n * hosts} is too large; use fewer hosts, hours or a larger step`);
  const dropRate = o.dropRate ?? 0;
  if (!(dropRate >= 0 && dropRate <= 0.5)) throw new Error(`dropRate must be in [0, 0.5], got ${dropRate}`);
  const jitterSeconds = o.jitterSeconds ?? 0;
  if (!(jitterSeconds >= 0 && jitterSeconds < stepSeconds))
    throw new Error(`jitter must be in [0, step), got ${jitterSeconds}`);
  return {
    hosts,
    hours,
    stepSeconds,
    n,
    seed: o.seed ?? 1,
    start: o.start ?? DEFAULT_START,
    metricSet: o.metricSet ?? 'full',
    dropRate,
    jitterSeconds,
  };
}

function makeHost(i: number, rng: Rng): HostProfile {
  const memTotal = rng.pick([8, 16, 32]) * GIB;
  return {
    instance: `host-${i + 1}`,
    ncpu: rng.pick([4, 8, 16]),
    memTotal,
    swapTotal: memTotal / 4,
    fsSize: rng.pick([50, 100, 200]) * 1e9,
    fsBaseFraction: rng.uniform(0.3, 0.6),
    baseRps: rng.uniform(120, 320),
    baseLatency: rng.uniform(0.04, 0.08),
    fdBase: rng.uniform(600, 2000),
  };
}

function makeEffects(n: number): Effects {
  const f = () => new Float64Array(n);
  const traffic = new Float64Array(n).fill(1);
  const lat = new Float64Array(n).fill(1);
  return {
    traffic,
    cpu: f(),
    mem: f(),
    disk: f(),
    fd: f(),
    net: f(),
    io: f(),
    err: f(),
    lat,
    alive: new Uint8Array(n).fill(1),
  };
}

/** Traffic relative to base: daily cycle (peak 15:00 UTC), weekend dip, shared and private AR(1) noise. */
function trafficCurves(n: number, stepMs: number, start: number, hosts: number, rng: Rng): Float64Array[] {
  const phi = Math.exp(-stepMs / 900e3);
  const innov = Math.sqrt(1 - phi * phi);
  const shared = new Float64Array(n);
  let a = 0;
  for (let i = 0; i < n; i++) {
    a = phi * a + innov * 0.07 * rng.normal();
    shared[i] = a;
  }
  const out: Float64Array[] = [];
  for (let h = 0; h < hosts; h++) {
    const r = new Float64Array(n);
    const phase = rng.uniform(-0.5, 0.5); // hours: hosts in slightly different regions of the cycle
    let b = 0;
    for (let i = 0; i < n; i++) {
      const t = start + i * stepMs;
      const hourOfDay = ((t / HOUR) % 24) + phase;
      const day = new Date(t).getUTCDay();
      const weekly = day === 0 || day === 6 ? 0.7 : 1;
      const daily = 1 + 0.45 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24);
      b = phi * b + innov * 0.05 * rng.normal();
      r[i] = daily * weekly * Math.exp(shared[i] + b);
    }
    out.push(r);
  }
  return out;
}

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/** Index range [from, to) of samples whose time lies in [t0, t1), clipped to the span. */
function range(ctx: Ctx, t0: number, t1: number): [number, number] {
  const from = clamp(Math.ceil((t0 - ctx.start) / ctx.stepMs), 0, ctx.n);
  const to = clamp(Math.ceil((t1 - ctx.start) / ctx.stepMs), 0, ctx.n);
  return [from, to];
}

const timeAt = (ctx: Ctx, i: number) => ctx.start + i * ctx.stepMs;

/** A pulse: 0 before t0, ramps up over `rise`, holds, decays over `fall` after t1. */
function pulse(t: number, t0: number, t1: number, rise: number, fall: number): number {
  if (t < t0 || t > t1 + fall) return 0;
  if (t < t0 + rise) return (t - t0) / rise;
  if (t <= t1) return 1;
  return 1 - (t - t1) / fall;
}

function addPulse(
  ctx: Ctx,
  arr: Float64Array,
  amount: number,
  t0: number,
  t1: number,
  rise: number,
  fall: number,
  mult = false,
) {
  const [a, b] = range(ctx, t0, t1 + fall);
  for (let i = a; i < b; i++) {
    const p = pulse(timeAt(ctx, i), t0, t1, rise, fall);
    if (mult) arr[i] *= 1 + amount * p;
    else arr[i] += amount * p;
  }
}

/** Traffic at index i relative to base, including traffic effects (spikes, cascades). */
const relAt = (ctx: Ctx, h: number, i: number) => {
  const j = clamp(i, 0, ctx.n - 1);
  return ctx.relTraffic[h][j] * ctx.effects[h].traffic[j];
};

/** After a failure, the fault persists for `hold` ms with consequences, then an operator or restart clears it. */
function aftermath(ctx: Ctx, h: number, failure: number, hold: number, err: number, latMult: number) {
  const e = ctx.effects[h];
  addPulse(ctx, e.err, err, failure, failure + hold, 30e3, 120e3);
  addPulse(ctx, e.lat, latMult - 1, failure, failure + hold, 30e3, 120e3, true);
}

/** Extra CPU so that utilisation reaches `target` at time `failure`, ramping from onset with a convex curve. */
function cpuRamp(ctx: Ctx, h: number, onset: number, failure: number, target: number, hold: number) {
  const e = ctx.effects[h];
  const fi = clamp(Math.round((failure - ctx.start) / ctx.stepMs), 0, ctx.n - 1);
  const need = target - (0.04 + 0.26 * relAt(ctx, h, fi));
  const [a, b] = range(ctx, onset, failure + hold);
  for (let i = a; i < b; i++) {
    const t = timeAt(ctx, i);
    const p = t >= failure ? 1 : (t - onset) / (failure - onset);
    e.cpu[i] += Math.max(0, need) * Math.pow(p, 1.5);
  }
}

type Applier = (ctx: Ctx, h: number, onset: number, failure: number, rng: Rng, strength: number) => void;

const FAILURES: Record<string, Applier> = {
  memory_leak(ctx, h, onset, failure, rng) {
    const host = ctx.hosts[h];
    const e = ctx.effects[h];
    const fi = clamp(Math.round((failure - ctx.start) / ctx.stepMs), 0, ctx.n - 1);
    const leak = host.memTotal * (1 - 0.3 - 0.06 * relAt(ctx, h, fi) - 0.012);
    const k = rng.uniform(1, 1.4);
    const [a, b] = range(ctx, onset, failure);
    for (let i = a; i < b; i++) e.mem[i] += leak * Math.pow((timeAt(ctx, i) - onset) / (failure - onset), k);
    // OOM kill: memory comes back at once, the service errors while it restarts.
    aftermath(ctx, h, failure, rng.uniform(1, 4) * 60e3, 0.08, 3);
  },
  disk_fill(ctx, h, onset, failure, rng) {
    const host = ctx.hosts[h];
    const e = ctx.effects[h];
    const free = host.fsSize * (1 - host.fsBaseFraction) * 0.995;
    const saw = free * rng.uniform(0.1, 0.3); // bytes freed by each log rotation
    const period = rng.uniform(0.75, 3) * HOUR;
    const lead = failure - onset;
    const trend = (free - saw) / lead;
    // Phase chosen so the last rotation cycle peaks right at the failure.
    const phase = (period - (lead % period)) % period;
    const cleanup = failure + rng.uniform(10, 30) * 60e3;
    const [a, b] = range(ctx, onset, cleanup);
    for (let i = a; i < b; i++) {
      const dt = timeAt(ctx, i) - onset;
      if (dt >= lead) {
        e.disk[i] += free;
        continue;
      }
      const cycle = ((dt + phase) % period) / period;
      const warm = Math.min(1, dt / period);
      e.disk[i] += trend * dt + saw * cycle * warm;
    }
    e.disk.subarray(a, b).forEach((_, j) => {
      if (e.disk[a + j] > free) e.disk[a + j] = free;
    });
    aftermath(ctx, h, failure, cleanup - failure, 0.15, 1.5);
  },
  cpu_saturation(ctx, h, onset, failure, rng) {
    const hold = rng.uniform(10, 25) * 60e3;
    cpuRamp(ctx, h, onset, failure, 0.9, hold);
    aftermath(ctx, h, failure, hold, 0.02, 1);
  },
  fd_exhaustion(ctx, h, onset, failure, rng) {
    const host = ctx.hosts[h];
    const e = ctx.effects[h];
    const fi = clamp(Math.round((failure - ctx.start) / ctx.stepMs), 0, ctx.n - 1);
    const need = FD_LIMIT - host.fdBase - 3 * host.baseRps * relAt(ctx, h, fi);
    const hold = rng.uniform(5, 15) * 60e3;
    const k = rng.uniform(1, 1.5);
    const [a, b] = range(ctx, onset, failure + hold);
    for (let i = a; i < b; i++) {
      const t = timeAt(ctx, i);
      e.fd[i] += need * (t >= failure ? 1 : Math.pow((t - onset) / (failure - onset), k));
    }
    aftermath(ctx, h, failure, hold, 0.25, 2.5);
  },
  network_saturation(ctx, h, onset, failure, rng) {
    const host = ctx.hosts[h];
    const e = ctx.effects[h];
    const fi = clamp(Math.round((failure - ctx.start) / ctx.stepMs), 0, ctx.n - 1);
    const need = 0.985 * LINK_BYTES_PER_SECOND - 45e3 * host.baseRps * relAt(ctx, h, fi);
    const hold = rng.uniform(10, 30) * 60e3;
    const [a, b] = range(ctx, onset, failure + hold);
    for (let i = a; i < b; i++) {
      const t = timeAt(ctx, i);
      e.net[i] += need * (t >= failure ? 1 : Math.pow((t - onset) / (failure - onset), 1.2));
    }
    aftermath(ctx, h, failure, hold, 0.03, 1);
  },
  cascading_overload(ctx, h, onset, failure, rng) {
    // The victim saturates and dies; its traffic moves to the survivors, which saturate in turn.
    cpuRamp(ctx, h, onset, failure, 0.95, 0);
    const [dead] = range(ctx, failure, failure);
    ctx.effects[h].alive.fill(0, dead);
    const others = ctx.hosts.map((_, j) => j).filter((j) => j !== h);
    if (others.length === 0) return;
    const share = ctx.hosts.length / others.length;
    for (const j of others) {
      const e = ctx.effects[j];
      for (let i = dead; i < ctx.n; i++) e.traffic[i] *= share;
      const failJ = failure + rng.uniform(20, 90) * 60e3;
      const hold = rng.uniform(10, 25) * 60e3;
      cpuRamp(ctx, j, failure, failJ, 0.9, hold);
      aftermath(ctx, j, failJ, hold, 0.04, 1);
      ctx.labels.push({
        scenario: 'cascading_overload',
        kind: 'failure',
        instance: ctx.hosts[j].instance,
        onset: failure,
        failure: failJ,
      });
    }
  },
};

/** Benign events: the host (or fleet) misbehaves for a while, then recovers by itself. Return the end time. */
const BENIGN: Record<string, (ctx: Ctx, hosts: number[], t: number, rng: Rng, strength: number) => number> = {
  traffic_spike(ctx, hosts, t, rng, s) {
    const hold = rng.uniform(10, 40) * 60e3;
    const amount = rng.uniform(0.5, 0.9) * s;
    for (const h of hosts)
      addPulse(ctx, ctx.effects[h].traffic, amount, t, t + hold, 120e3, rng.uniform(5, 10) * 60e3, true);
    return t + hold + 10 * 60e3;
  },
  deploy_restart(ctx, hosts, t, rng) {
    for (const h of hosts) {
      const host = ctx.hosts[h];
      const e = ctx.effects[h];
      const step = host.memTotal * rng.uniform(-0.04, 0.04); // the new version uses a little more or less
      const refill = rng.uniform(5, 15) * 60e3;
      const [a] = range(ctx, t, t);
      for (let i = a; i < ctx.n; i++) {
        const dt = timeAt(ctx, i) - t;
        e.mem[i] += step - host.memTotal * 0.15 * Math.exp(-dt / (refill / 3));
        e.fd[i] -= 3 * host.baseRps * 0.6 * Math.exp(-dt / (refill / 3));
      }
      addPulse(ctx, e.cpu, 0.3, t, t + 90e3, 10e3, 60e3);
      addPulse(ctx, e.err, 0.03, t, t + 40e3, 5e3, 30e3);
      addPulse(ctx, e.lat, 0.6, t, t + 120e3, 10e3, 120e3, true);
    }
    return t + 15 * 60e3;
  },
  cron_burst(ctx, hosts, t, rng, s) {
    const hold = rng.uniform(5, 15) * 60e3;
    for (const h of hosts) {
      const e = ctx.effects[h];
      addPulse(ctx, e.io, 0.5 * s, t, t + hold, 30e3, 60e3);
      addPulse(ctx, e.cpu, 0.22 * s, t, t + hold, 30e3, 60e3);
      addPulse(ctx, e.net, 25e6 * s, t, t + hold, 30e3, 60e3);
      // Temporary files: grow during the job, deleted at the end.
      const [a, b] = range(ctx, t, t + hold);
      const tmp = ctx.hosts[h].fsSize * 0.03 * s;
      for (let i = a; i < b; i++) e.disk[i] += (tmp * (timeAt(ctx, i) - t)) / hold;
    }
    return t + hold + 60e3;
  },
  cache_warmup(ctx, hosts, t, rng, s) {
    const tau = rng.uniform(15, 50) * 60e3;
    for (const h of hosts) {
      const e = ctx.effects[h];
      const size = ctx.hosts[h].memTotal * rng.uniform(0.12, 0.25) * s;
      const [a] = range(ctx, t, t);
      for (let i = a; i < ctx.n; i++) {
        const dt = timeAt(ctx, i) - t;
        e.mem[i] += size * (1 - Math.exp(-dt / tau));
        e.lat[i] *= 1 + 0.5 * Math.exp(-dt / tau);
      }
    }
    return t + 4 * tau;
  },
};

function hostIndex(ctx: Ctx, host: number | string | undefined, fallback: number): number {
  if (host === undefined) return fallback;
  const idx = typeof host === 'number' ? host : ctx.hosts.findIndex((p) => p.instance === host);
  if (!Number.isInteger(idx) || idx < 0 || idx >= ctx.hosts.length) {
    throw new Error(`scenario host '${host}' does not exist; hosts are host-1 … host-${ctx.hosts.length}`);
  }
  return idx;
}

function defaultScenarios(rng: Rng, hosts: number): ScenarioSpec[] {
  const failures = FAILURE_SCENARIOS.filter((s) => hosts >= 3 || s !== 'cascading_overload');
  const first = rng.pick(failures);
  let second = rng.pick(failures);
  while (second === first) second = rng.pick(failures);
  const picks: ScenarioSpec[] = [{ scenario: first }];
  if (hosts >= 2) picks.push({ scenario: second });
  picks.push(
    { scenario: 'traffic_spike' },
    { scenario: 'cron_burst' },
    { scenario: rng.pick(['deploy_restart', 'cache_warmup'] as const) },
  );
  return picks;
}

function applyScenarios(ctx: Ctx, specs: ScenarioSpec[], rng: Rng, spanMs: number) {
  // Failures go to distinct hosts while there are free ones.
  const order = ctx.hosts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let nextHost = 0;
  const end = ctx.start + spanMs;
  for (const spec of specs) {
    if (!isScenarioName(spec.scenario)) throw new Error(`unknown scenario '${String(spec.scenario)}'`);
    const strength = spec.strength ?? 1;
    if (isFailureScenario(spec.scenario)) {
      const h = hostIndex(ctx, spec.host, order[nextHost++ % order.length]);
      const [lo, hi] = LEAD_HOURS[spec.scenario];
      const lead = rng.uniform(lo, hi) * HOUR;
      let failure =
        spec.failure ?? (spec.onset !== undefined ? spec.onset + lead : ctx.start + rng.uniform(0.35, 1.25) * spanMs);
      let onset = spec.onset ?? failure - lead;
      if (!(failure > onset)) throw new Error(`scenario ${spec.scenario}: failure must come after onset`);
      failure = Math.round(failure);
      onset = Math.round(onset);
      ctx.labels.push({ scenario: spec.scenario, kind: 'failure', instance: ctx.hosts[h].instance, onset, failure });
      FAILURES[spec.scenario](ctx, h, onset, failure, rng, strength);
    } else {
      const fleetWide = spec.scenario === 'traffic_spike' || spec.scenario === 'cron_burst';
      const hosts =
        spec.host !== undefined || !fleetWide
          ? [hostIndex(ctx, spec.host, rng.int(0, ctx.hosts.length - 1))]
          : ctx.hosts.map((_, i) => i);
      const instance = hosts.length === 1 ? ctx.hosts[hosts[0]].instance : '*';
      const first = Math.round(spec.onset ?? ctx.start + rng.uniform(0.05, 0.9) * spanMs);
      // Cron jobs recur daily at the same time of day.
      const times = [first];
      if (spec.scenario === 'cron_burst') {
        for (let t = first - 24 * HOUR; t >= ctx.start - HOUR; t -= 24 * HOUR) times.unshift(t);
        for (let t = first + 24 * HOUR; t < end; t += 24 * HOUR) times.push(t);
      }
      for (const t of times) {
        const until = BENIGN[spec.scenario](ctx, hosts, t, rng, strength);
        ctx.labels.push({ scenario: spec.scenario, kind: 'benign', instance, onset: t, end: Math.round(until) });
      }
    }
  }
}

interface MetricDef {
  name: string;
  labels: Record<string, string>;
  kind: 'counter' | 'gauge';
  full?: boolean;
}

/** The metrics each host exposes, in emission order; `full` ones only in the full set. */
export const HOST_METRICS: readonly MetricDef[] = [
  { name: 'node_cpu_seconds_total', labels: { mode: 'idle' }, kind: 'counter' },
  { name: 'node_load1', labels: {}, kind: 'gauge' },
  { name: 'node_memory_MemAvailable_bytes', labels: {}, kind: 'gauge' },
  { name: 'node_memory_SwapFree_bytes', labels: {}, kind: 'gauge', full: true },
  {
    name: 'node_filesystem_avail_bytes',
    labels: { mountpoint: '/', device: '/dev/sda1', fstype: 'ext4' },
    kind: 'gauge',
  },
  { name: 'node_disk_io_time_seconds_total', labels: { device: 'sda' }, kind: 'counter' },
  { name: 'node_network_receive_bytes_total', labels: { device: 'eth0' }, kind: 'counter' },
  { name: 'node_network_transmit_bytes_total', labels: { device: 'eth0' }, kind: 'counter' },
  { name: 'node_netstat_Tcp_RetransSegs', labels: {}, kind: 'counter', full: true },
  { name: 'node_filefd_allocated', labels: {}, kind: 'gauge' },
  { name: 'http_request_duration_seconds_p99', labels: {}, kind: 'gauge' },
  { name: 'http_requests_error_ratio', labels: {}, kind: 'gauge' },
];

/** Derives every observable of one host from its traffic and effects. Returns columns in HOST_METRICS order. */
function observe(ctx: Ctx, h: number, rng: Rng): Float64Array[] {
  const { n, stepMs } = ctx;
  const host = ctx.hosts[h];
  const e = ctx.effects[h];
  const dt = stepMs / 1000;
  const cols = HOST_METRICS.map(() => new Float64Array(n));
  let idle = host.ncpu * rng.uniform(2e5, 2e6);
  let io = rng.uniform(1e4, 1e5);
  let rx = rng.uniform(1e11, 1e12);
  let tx = rng.uniform(1e11, 1e12);
  let retrans = rng.uniform(1e4, 1e6);
  let load = host.ncpu * 0.2;
  let swapUsed = host.swapTotal * 0.03;
  const loadAlpha = 1 - Math.exp(-dt / 60);
  const growthPerMs = (host.fsSize * 0.002) / (24 * HOUR); // slow organic growth, 0.2 %/day
  for (let i = 0; i < n; i++) {
    const rel = ctx.relTraffic[h][i] * e.traffic[i];
    const rps = host.baseRps * rel;
    const util = clamp(0.04 + 0.26 * rel + e.cpu[i] + 0.012 * rng.normal(), 0.005, 1);
    idle += host.ncpu * (1 - util) * dt;
    const queue = util > 0.85 ? host.ncpu * (util - 0.85) * 12 : 0;
    load += loadAlpha * (host.ncpu * util + queue - load);
    const memUsed = host.memTotal * (0.3 + 0.06 * rel + 0.003 * rng.normal()) + e.mem[i];
    const memAvail = Math.max(host.memTotal * (0.004 + 0.002 * rng.next()), host.memTotal - memUsed);
    // Swap fills under memory pressure and drains slowly afterwards.
    const pressure = Math.max(0, 0.1 * host.memTotal - memAvail);
    swapUsed = clamp(swapUsed + pressure * 0.01 * (dt / 15) - swapUsed * 1e-5 * dt, 0, host.swapTotal);
    const diskUsed = host.fsSize * host.fsBaseFraction + growthPerMs * i * stepMs + e.disk[i] + 2e6 * rng.normal();
    const fsAvail = clamp(host.fsSize - diskUsed, 0, host.fsSize);
    io += clamp(0.01 + 0.05 * rel + e.io[i] + 0.004 * rng.normal(), 0, 1) * dt;
    const txRate = clamp(
      45e3 * rps * (1 + 0.03 * rng.normal()) + e.net[i],
      0,
      LINK_BYTES_PER_SECOND * (0.99 + 0.005 * rng.next()),
    );
    const rxRate = 15e3 * rps * (1 + 0.03 * rng.normal()) + 0.15 * e.net[i];
    tx += txRate * dt;
    rx += rxRate * dt;
    const netUtil = txRate / LINK_BYTES_PER_SECOND;
    const congestion = Math.max(0, netUtil - 0.85);
    retrans += Math.max(0, 0.4 + 0.004 * rps + 2500 * congestion * congestion + 0.2 * rng.normal()) * dt;
    const fds = host.fdBase + 3 * rps + e.fd[i] + 8 * rng.normal();
    const latency =
      (host.baseLatency / (1 - Math.min(util, 0.97))) *
      (1 + (6 * congestion) / 0.15) *
      e.lat[i] *
      Math.exp(0.07 * rng.normal());
    const overSlo = Math.max(0, latency / LATENCY_SLO_SECONDS - 1);
    const errors = clamp(0.001 * Math.exp(0.3 * rng.normal()) + e.err[i] + 0.02 * overSlo, 0, 1);
    const row = [
      idle,
      load,
      memAvail,
      host.swapTotal - swapUsed,
      fsAvail,
      io,
      rx,
      tx,
      retrans,
      Math.max(0, Math.min(fds, FD_LIMIT)),
      latency,
      errors,
    ];
    for (let m = 0; m < row.length; m++) cols[m][i] = row[m];
  }
  return cols;
}

/** Generates a labelled synthetic fleet. Deterministic: the same options give the same frame and labels. */
export function generateScenario(options: SynthOptions = {}): SynthResult {
  const o = resolveOptions(options);
  const stepMs = o.stepSeconds * 1000;
  const rng = createRng(o.seed);
  const hosts = Array.from({ length: o.hosts }, (_, i) => makeHost(i, rng));
  const ctx: Ctx = {
    n: o.n,
    stepMs,
    start: o.start,
    hosts,
    effects: hosts.map(() => makeEffects(o.n)),
    relTraffic: trafficCurves(o.n, stepMs, o.start, o.hosts, childRng(o.seed, 1)),
    labels: [],
  };
  const specs = (options.scenarios ?? defaultScenarios(childRng(o.seed, 2), o.hosts)).map((s) =>
    typeof s === 'string' ? { scenario: s } : s,
  );
  applyScenarios(ctx, specs, childRng(o.seed, 3), o.hours * HOUR);
  ctx.labels.sort((a, b) => a.onset - b.onset || a.instance.localeCompare(b.instance));

  const series: Series[] = [];
  const scrapeRng = childRng(o.seed, 4);
  for (let h = 0; h < o.hosts; h++) {
    const cols = observe(ctx, h, childRng(o.seed, 100 + h));
    // Which scrapes of this host arrived, and when.
    const keep: number[] = [];
    const stamps: number[] = [];
    for (let i = 0; i < o.n; i++) {
      const dropped = o.dropRate > 0 && scrapeRng.next() < o.dropRate;
      const jitter = o.jitterSeconds > 0 ? Math.round((scrapeRng.next() - 0.5) * o.jitterSeconds * 1000) : 0;
      if (!ctx.effects[h].alive[i] || dropped) continue;
      keep.push(i);
      stamps.push(o.start + i * stepMs + jitter);
    }
    const timestamps = Float64Array.from(stamps);
    HOST_METRICS.forEach((def, m) => {
      if (def.full && o.metricSet === 'core') return;
      const values = new Float64Array(keep.length);
      for (let k = 0; k < keep.length; k++) values[k] = cols[m][keep[k]];
      series.push({
        name: def.name,
        labels: { instance: hosts[h].instance, ...def.labels },
        timestamps: timestamps.slice(),
        values,
        kind: def.kind,
      });
    });
  }
  return {
    frame: {
      series,
      meta: { origin: `synth:${o.seed}`, format: 'synth', rejected: { count: 0, examples: [] }, duplicates: 0 },
    },
    labels: ctx.labels,
  };
}
