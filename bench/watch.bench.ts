// `aura watch` sizing: one shard (the built CLI, default workers) against a real Prometheus (Debian package)
// backfilled with promtool, at 50, 100 and 250 hosts × 10 metrics. Each fleet holds 7 days at a 5-min step
// up to T, then 15-s rows from T − 2 h to T + 10 min; both runs replay it with --delay = (launch − T), so
// "now" for the watcher starts at T and walks into the 15-s rows as wall time passes.
//   start-up: --step 5m --baseline 7d: spawn → /readyz 200, CPU seconds and peak RSS then.
//   steady:   --step 15s --interval 15s --baseline 2h: after ready, POLLS polls with one new row each;
//             poll-to-metrics from aura_poll_duration_seconds (_sum/_count deltas), CPU per poll from
//             /proc/<pid>/stat (utime + stime, all threads), RSS from /proc/<pid>/status (VmRSS, VmHWM), and
//             /metrics latency measured by scraping every 100 ms during those polls.
// Then least-squares slopes over the host counts: memory and CPU per entity, and the sizing they imply.
//   npm run bench -- watch          (AURA_BENCH_WATCH_HOSTS=50,100 to choose the fleet sizes)
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { generateScenario, toOpenMetrics } from '../src/lib/synth/index.ts';
import type { MetricFrame, Series } from '../src/lib/frame/types.ts';
import { repoRoot } from '../test/helpers/env.ts';
import { freePort } from '../test/helpers/prometheus.ts';
import { startPrometheusWith, type Server } from '../test/integration/watch-fleet.ts';
import { BenchTable, median, num } from './table.ts';

const exec = promisify(execFile);
const MIN = 60_000;
const HOUR = 60 * MIN;
const POLLS = 5;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Proc {
  cpuS: number;
  rssMiB: number;
  hwmMiB: number;
}

function procOf(pid: number): Proc {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime (fields 14, 15)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { cpuS, rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

/** The 5-min week up to T and the 15-s rows around T, per series in one block (OpenMetrics wants that). */
async function writeFleet(file: string, hosts: number, t: number): Promise<number> {
  const gen = (start: number, hours: number, stepSeconds: number) =>
    generateScenario({ hosts, hours, stepSeconds, seed: 3, start, metricSet: 'core', scenarios: [] }).frame;
  const week = gen(t - 168 * HOUR, 168 - 2 - 1 / 12, 300); // ends before the 15-s rows start
  const recent = gen(t - 2 * HOUR, 2 + 10 / 60, 15);
  const key = (s: Series) => s.name + JSON.stringify(s.labels);
  const late = new Map(recent.series.map((s) => [key(s), s]));
  const joined = week.series.map((s): Series => {
    const r = late.get(key(s))!;
    const cat = (a: Float64Array, b: Float64Array) => {
      const out = new Float64Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    };
    return { ...s, timestamps: cat(s.timestamps, r.timestamps), values: cat(s.values, r.values) };
  });
  const out = createWriteStream(file);
  const names = [...new Set(joined.map((s) => s.name))];
  let samples = 0;
  for (const name of names) {
    const series = joined.filter((s) => s.name === name);
    samples += series.reduce((n, s) => n + s.timestamps.length, 0);
    const frame: MetricFrame = { ...week, series };
    const text = toOpenMetrics(frame).replace(/# EOF\n$/, '');
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.write('# EOF\n');
  await new Promise<void>((r) => out.end(() => r()));
  return samples;
}

interface Watch {
  child: ChildProcess;
  url: string;
  log: () => string;
  stop(): Promise<void>;
}

async function startWatch(prom: string, t: number, args: string[]): Promise<Watch> {
  const port = await freePort();
  const delayS = Math.ceil((Date.now() - t) / 1000);
  const child = spawn(
    'node',
    [
      'bin/aura.js',
      'watch',
      '--prometheus',
      prom,
      '--query',
      '{__name__=~"node_.+|http_.+"}',
      '--delay',
      `${delayS}s`,
      '--listen',
      `127.0.0.1:${port}`,
      ...args,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AURA_CLI: 'built' } },
  );
  let log = '';
  child.stderr!.on('data', (d) => (log = (log + d).slice(-3000)));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function untilReady(w: Watch, limitS: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (w.child.exitCode !== null) throw new Error(`aura watch exited (${w.child.exitCode}): ${w.log()}`);
    if (Date.now() - t0 > limitS * 1000) throw new Error(`aura watch not ready in ${limitS} s: ${w.log()}`);
    const ok = await fetch(w.url + '/readyz').then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sampleOf = (text: string, metric: string) => Number(new RegExp(`^${metric} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

interface Row {
  hosts: number;
  samples: number;
  startupS: number;
  startupCpuS: number;
  startupHwm: number;
  startupRss: number;
  pollS: number;
  pollCpuS: number;
  rss: number;
  hwm: number;
  scrapeP50: number;
  scrapeMax: number;
}

async function measure(hosts: number): Promise<Row> {
  const t = Math.floor((Date.now() - 30 * MIN) / (5 * MIN)) * 5 * MIN;
  const prom: Server = await startPrometheusWith(
    () => ['global: { scrape_interval: 1m }', 'scrape_configs: []', ''].join('\n'),
    undefined,
  );
  // Backfill after a first start (the helper's backfill holds the whole text in memory): stop, write, start.
  await prom.stop();
  const samples = await writeFleet(join(prom.dir, 'backfill.om'), hosts, t);
  await exec('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', 'backfill.om', 'data'], {
    cwd: prom.dir,
    maxBuffer: 64 << 20,
  });
  await prom.start();
  try {
    // Start-up: a week at 5 min.
    const a = await startWatch(prom.url, t, ['--step', '5m', '--interval', '15s', '--baseline', '7d']);
    let startupS: number, s0: Proc, s1: Proc;
    try {
      startupS = await untilReady(a, 600);
      s0 = procOf(a.child.pid!);
      await new Promise((r) => setTimeout(r, 20_000)); // one more poll (no new 5-min row): the RSS it settles at
      s1 = procOf(a.child.pid!);
    } finally {
      await a.stop();
    }
    // Steady state: 15-s rows, one new per poll.
    const b = await startWatch(prom.url, t, ['--step', '15s', '--interval', '15s', '--baseline', '2h']);
    try {
      await untilReady(b, 600);
      const scrape = async () => {
        const t0 = performance.now();
        const text = await (await fetch(b.url + '/metrics')).text();
        return { text, ms: performance.now() - t0 };
      };
      // Wait for the poll after start-up, then measure from there.
      const first = await scrape();
      const count0 = sampleOf(first.text, 'aura_poll_duration_seconds_count');
      let m = first;
      while (sampleOf(m.text, 'aura_poll_duration_seconds_count') === count0) {
        await new Promise((r) => setTimeout(r, 200));
        m = await scrape();
      }
      const p0 = procOf(b.child.pid!);
      const c0 = sampleOf(m.text, 'aura_poll_duration_seconds_count');
      const sum0 = sampleOf(m.text, 'aura_poll_duration_seconds_sum');
      const latencies: number[] = [];
      while (sampleOf(m.text, 'aura_poll_duration_seconds_count') < c0 + POLLS) {
        await new Promise((r) => setTimeout(r, 100));
        m = await scrape();
        latencies.push(m.ms);
        if (b.child.exitCode !== null) throw new Error(`aura watch exited: ${b.log()}`);
      }
      const p1 = procOf(b.child.pid!);
      const polls = sampleOf(m.text, 'aura_poll_duration_seconds_count') - c0;
      return {
        hosts,
        samples,
        startupS,
        startupCpuS: s0.cpuS,
        startupHwm: s0.hwmMiB,
        startupRss: s1.rssMiB,
        pollS: (sampleOf(m.text, 'aura_poll_duration_seconds_sum') - sum0) / polls,
        pollCpuS: (p1.cpuS - p0.cpuS) / polls,
        rss: p1.rssMiB,
        hwm: p1.hwmMiB,
        scrapeP50: median(latencies),
        scrapeMax: Math.max(...latencies),
      };
    } finally {
      await b.stop();
    }
  } finally {
    await prom.dispose();
  }
}

/** Least-squares slope and intercept of y on x. */
function fit(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}

export async function run(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: repoRoot, stdio: 'ignore' });
  const sizes = (process.env.AURA_BENCH_WATCH_HOSTS ?? '50,100,250').split(',').map(Number);
  const table = new BenchTable(
    `aura watch, one shard (built CLI, default --workers), hosts × 10 metrics; steady = mean of ${POLLS} polls`,
    [
      'hosts',
      'backfilled samples',
      'start-up 7d@5m: s to ready (CPU s)',
      'peak RSS MiB',
      'RSS after MiB',
      'poll 15s@2h: s (CPU s)',
      'RSS MiB (peak)',
      '/metrics ms p50 / max',
    ],
  );
  const rows: Row[] = [];
  for (const hosts of sizes) {
    const r = await measure(hosts);
    rows.push(r);
    table.add(
      hosts,
      r.samples,
      `${num(r.startupS)} (${num(r.startupCpuS)})`,
      num(r.startupHwm),
      num(r.startupRss),
      `${num(r.pollS)} (${num(r.pollCpuS)})`,
      `${num(r.rss)} (${num(r.hwm)})`,
      `${num(r.scrapeP50)} / ${num(r.scrapeMax)}`,
    );
  }
  table.print();
  if (rows.length < 2) return;
  const xs = rows.map((r) => r.hosts);
  const mem = fit(
    xs,
    rows.map((r) => r.startupRss),
  );
  const peak = fit(
    xs,
    rows.map((r) => r.startupHwm),
  );
  const cpu = fit(
    xs,
    rows.map((r) => r.pollCpuS),
  );
  const perCpu = (intervalS: number) => Math.floor((intervalS - Math.max(0, cpu.intercept)) / cpu.slope);
  console.log(
    `\nper entity (least squares over ${xs.join(', ')} hosts): ` +
      `RSS ${num(mem.slope)} MiB (+ ${num(mem.intercept)} MiB fixed) after a 7d@5m start-up, ` +
      `peak ${num(peak.slope)} MiB (+ ${num(peak.intercept)}); ` +
      `CPU ${num(cpu.slope * 1000)} ms per poll (+ ${num(cpu.intercept * 1000)} ms fixed) at 15s@2h`,
  );
  console.log(
    `entities one CPU keeps up with (CPU per poll = interval): ${perCpu(15)} at a 15 s poll, ` +
      `${perCpu(60)} at a 60 s poll (same work per poll assumed: one new row)`,
  );
}
