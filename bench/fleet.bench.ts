// Fleets at scale (issue 12 §5): generated fleets of 100 and 1,000 hosts × 10 node_exporter metrics × 24 h
// at 1 min (1,000 hosts: 14.4 M points), with the eval's scenario mix (scripts/eval/fleet.ts fleetPlan).
//   - `aura analyze --json` as a whole process on the built CLI (dist-node/, rebuilt first): wall time and
//     peak RSS from /usr/bin/time -v. Targets for 1,000 hosts: ≤ 20 s on 2 cores, ≤ 1.5 GB.
//     AURA_BENCH_BEFORE=DIR (another checkout, e.g. `git worktree add /tmp/old COMMIT`, with its CLI built
//     by `npm run build:cli` and its engine by `npm run build:wasm`) times that CLI on the same files, runs
//     alternating, and says whether the two reports are byte for byte the same.
//   - Live: Analysis.timeline on the worker pool, a first call on all but the last strides, then one new
//     stride of rows for every host at a time (target ≤ 1 s for 1,000 hosts).
//   node bin/run-ts.js bench/index.ts fleet
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test/helpers/env.ts';
import { alignFrame, type AlignResult } from '../src/lib/cloud/align.ts';
import { Analysis, DEFAULT_SETTINGS } from '../src/lib/analysis/index.ts';
import { formatFrame, generateScenario } from '../src/lib/synth/index.ts';
import { NodePool } from '../src/node/pool.ts';
import { fleetPlan } from '../scripts/eval/fleet.ts';
import { BenchTable, median, num } from './table.ts';

const START = Date.UTC(2026, 0, 5);
const HOURS = 24;
const SIZES = [100, 1000];
/** Live updates timed per size (after the first call). */
const LIVE_UPDATES = 3;

function fleet(hosts: number) {
  const plan = fleetPlan(hosts, HOURS, 7, START, 4 * 3_600_000);
  return generateScenario({
    hosts,
    hours: HOURS,
    stepSeconds: 60,
    seed: 7,
    start: START,
    metricSet: 'core',
    scenarios: plan.scenarios,
  });
}

/** `aura analyze FILE --json` under /usr/bin/time -v in checkout `root`: wall s, CPU s, peak RSS MB, the report. */
function cliRun(file: string, root = repoRoot): { wall: number; cpu: number; rssMb: number; report: string } {
  const r = spawnSync('/usr/bin/time', ['-v', 'node', 'bin/aura.js', 'analyze', file, '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, AURA_CLI: 'built' },
  });
  if (r.status !== 0) throw new Error(`aura analyze failed in ${root}: ${r.stderr.split('\n')[0]}`);
  const field = (label: string) => {
    const line = r.stderr.split('\n').find((l) => l.trim().startsWith(`${label}: `));
    if (!line) throw new Error(`/usr/bin/time -v printed no '${label}'`);
    return line.trim().slice(label.length + 2);
  };
  // h:mm:ss or m:ss.ss
  const wall = field('Elapsed (wall clock) time (h:mm:ss or m:ss)')
    .split(':')
    .reduce((acc, x) => acc * 60 + Number(x), 0);
  return {
    wall,
    cpu: Number(field('User time (seconds)')) + Number(field('System time (seconds)')),
    rssMb: Number(field('Maximum resident set size (kbytes)')) / 1024,
    report: r.stdout,
  };
}

/** The other checkout to compare with (AURA_BENCH_BEFORE), checked, and its commit. */
function before(): { root: string; commit: string } | null {
  const root = process.env.AURA_BENCH_BEFORE;
  if (!root) return null;
  if (!existsSync(join(root, 'dist-node', 'aura.js')))
    throw new Error(`AURA_BENCH_BEFORE=${root}: no dist-node/aura.js there; run \`npm run build:cli\` in it first`);
  return { root, commit: version(root) };
}

/** A checkout's commit, and whether its tracked files differ from it (a build of work in progress). */
function version(root: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  const changed = git('status', '--porcelain', '--untracked-files=no') !== '';
  return `${git('rev-parse', '--short', 'HEAD')}${changed ? ' + changes' : ''}`;
}

function cut(a: AlignResult, rows: number): AlignResult {
  return {
    ...a,
    frame: {
      ...a.frame,
      timestamps: a.frame.timestamps.subarray(0, rows),
      columns: a.frame.columns.map((c) => c.subarray(0, rows)),
    },
  };
}

export async function run(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: repoRoot, stdio: 'ignore' });
  const base = before();
  const head = version(repoRoot);
  const cli = new BenchTable(
    'Fleet analysis as a whole process: `aura analyze FILE --json` on the built CLI, 24 h at 1 min × 10 metrics per host; one run each (the 1,000-host run takes minutes on a loaded machine)' +
      (base ? `; the CLI of ${base.root} (${base.commit}) run first on the same file, then this checkout's` : ''),
    ['hosts', 'CLI', 'points', 'CSV MB', 'wall s', 'CPU s (user + sys)', 'peak RSS MB', 'report'],
    'lllrrrrl',
  );
  const live = new BenchTable(
    `Live fleet update: Analysis.timeline on a worker pool (${availableParallelism()} workers), first call on all but the last ${LIVE_UPDATES} strides, then one stride (${DEFAULT_SETTINGS.stride} rows) for every host per call; median of ${LIVE_UPDATES}`,
    ['hosts', 'first call s', 'one stride: median wall ms', 'median CPU ms (main thread)', 'process peak RSS MB'],
  );
  const dir = mkdtempSync(join(tmpdir(), 'aura-fleet-bench-'));
  try {
    for (const hosts of SIZES) {
      const { frame } = fleet(hosts);
      const points = frame.series.reduce((a, s) => a + s.values.length, 0);
      const file = join(dir, `fleet-${hosts}.csv`);
      const csv = formatFrame(frame, 'wide-csv');
      writeFileSync(file, csv);
      const row = (who: string, c: ReturnType<typeof cliRun>, report: string) =>
        cli.add(
          hosts,
          who,
          points.toLocaleString('en'),
          num(csv.length / 1e6),
          num(c.wall),
          num(c.cpu),
          num(c.rssMb),
          report,
        );
      const old = base ? cliRun(file, base.root) : null;
      const c = cliRun(file);
      if (base && old) row(base.commit, old, '');
      row(`${head} (this checkout)`, c, old ? (old.report === c.report ? 'same as before' : 'DIFFERS') : '');

      const alignment = alignFrame(frame);
      const rows = alignment.frame.timestamps.length;
      const stride = DEFAULT_SETTINGS.stride;
      const pool = new NodePool();
      try {
        const analysis = new Analysis(pool, {}, { baseline: { to: START + 4 * 3_600_000 } });
        let peak = process.memoryUsage().rss;
        const t0 = performance.now();
        await analysis.timeline(frame, { aligned: cut(alignment, rows - LIVE_UPDATES * stride) });
        const first = (performance.now() - t0) / 1000;
        const wall: number[] = [];
        const cpu: number[] = [];
        for (let k = LIVE_UPDATES - 1; k >= 0; k--) {
          const c0 = process.cpuUsage();
          const t1 = performance.now();
          await analysis.timeline(frame, { aligned: cut(alignment, rows - k * stride) });
          wall.push(performance.now() - t1);
          const dc = process.cpuUsage(c0);
          cpu.push((dc.user + dc.system) / 1000);
          peak = Math.max(peak, process.memoryUsage().rss);
        }
        live.add(hosts, num(first), num(median(wall)), num(median(cpu)), num(peak / 2 ** 20));
      } finally {
        await pool.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  cli.print();
  live.print();
}
