// Persistent-homology engine speed against Ripser 1.2.1, both measured here in the same run on the clouds
// of ../shared/bench/clouds/manifest.json (o3_1024 with threshold 1.4, maxDim 2, as the manifest says).
// Ripser is compiled from ../shared/bench/ripser (c++ -O3 -std=c++11 -DNDEBUG, as its Makefile) into the
// ignored .cache/ripser/. Per cloud, interleaved run by run so load changes hit all three alike:
//   - Ripser as a whole process, on the cloud's own CSV file;
//   - `aura ph` as a whole process on the same file (the dist-node/ bundle built first; Node start-up and
//     the WASM compile included);
//   - our engine called inside this process (no start-up), set against Ripser's whole-process time.
// Every row checks that both engines printed the same diagrams (all pairs, within Ripser's 6 printed
// digits), so the times are for the same work. Then the small-window path the app uses.
// BENCH_QUICK=1 skips the clouds that take more than a few seconds.
//   node bin/run-ts.js bench/index.ts ph
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PHEngine } from '../src/lib/tda/engine.ts';
import { createNodeEngine } from '../src/node/engine.ts';
import { parsePointsCsv } from '../src/lib/cloud/points-csv.ts';
import type { PHOptions } from '../src/lib/tda/types.ts';
import { diagramMismatch, diagramPairs, type Pair } from '../test/reference/diagrams.ts';
import { repoRoot, sharedDir } from '../test/helpers/env.ts';
import {
  buildRipser,
  parseAuraPhOutput,
  parseRipserOutput,
  ripserArgv,
  timeProcess,
  type ProcessRun,
} from './processes.ts';
import { BenchTable, median, num, timeRuns, type Runs } from './table.ts';

interface ManifestEntry {
  name: string;
  maxDim: number;
  threshold: number | null;
  /** Ripser's time where the manifest was made: only used to pick the slow rows, never printed */
  nativeRipserSeconds: number;
}

/** clouds this slow get 3 timed runs, not 5, and are skipped under BENCH_QUICK=1 */
const SLOW_SECONDS = 5;
/** bash's `time` counts whole milliseconds: the summary leaves out rows where Ripser took fewer than this */
const MEASURABLE_MS = 20;

/**
 * Which `aura` the bench times: the bundle built into dist-node/ (what an installed package runs), built
 * afresh here so it matches the sources, or the sources through tsx when that build fails.
 */
function auraCli(): { mode: 'built' | 'source'; label: string } {
  try {
    execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    return { mode: 'built', label: 'the dist-node/ bundle built just now, as an installed package runs it' };
  } catch (err) {
    const why = String((err as { stderr?: Buffer }).stderr ?? err)
      .trim()
      .split('\n')[0];
    return { mode: 'source', label: `the TypeScript sources through tsx (npm run build:cli failed: ${why})` };
  }
}

/** Null when `actual` equals `reference` in every dimension, else the first difference. */
function mismatch(actual: Pair[][], reference: Pair[][]): string | null {
  for (let dim = 0; dim < Math.max(actual.length, reference.length); dim++) {
    const why = diagramMismatch(actual[dim] ?? [], reference[dim] ?? []);
    if (why) return `H${dim}: ${why}`;
  }
  return null;
}

const pairCounts = (d: Pair[][]) => Array.from(d, (pairs) => pairs?.length ?? 0).join('/');
/** "wall (CPU)" medians in ms. */
const cell = (r: Runs) => `${num(median(r.wall))} (${num(median(r.cpu))})`;
/** "wall (CPU)" ratios of medians. */
const ratio = (a: Runs, b: Runs) => `${num(median(a.wall) / median(b.wall))} (${num(median(a.cpu) / median(b.cpu))})`;

function collect(runs: Runs, run: ProcessRun): void {
  runs.wall.push(run.wall);
  runs.cpu.push(run.cpu);
}

/** Deterministic standard normals (mulberry32 + Box–Muller). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

async function smallClouds(engine: PHEngine): Promise<void> {
  const count = 2000;
  const n = 60;
  const d = 8;
  const runs = 3;
  const table = new BenchTable(
    `Small windows as the app computes them: ${count} clouds of ${n} points in R^${d}, H0+H1, one core, in this process; median of ${runs} runs after a warm-up (issue 12 target: ≥ 8,000 clouds/s)`,
    ['measured', 'runs', 'median wall s', 'median CPU s', 'clouds/s (wall)', 'clouds/s (CPU)'],
  );
  const next = gaussian(42);
  const clouds = Array.from({ length: count }, () => Float64Array.from({ length: n * d }, next));
  const opts: PHOptions = { maxDim: 1 };
  const t = await timeRuns(() => {
    for (const cloud of clouds) engine.computePoints(cloud, n, d, opts);
  }, runs);
  const wall = median(t.wall) / 1000;
  const cpu = median(t.cpu) / 1000;
  table.add(`${count} × computePoints`, runs, num(wall), num(cpu), (count / wall).toFixed(0), (count / cpu).toFixed(0));
  table.print();
}

export async function run(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  let dir = join(sharedDir, 'bench/clouds');
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.log('../shared is absent: benchmarking the committed clouds in test/fixtures/clouds only');
    dir = join(repoRoot, 'test/fixtures/clouds');
  }
  const ripser = buildRipser();
  console.log('skipped' in ripser ? ripser.skipped : `Ripser 1.2.1: ${ripser.built}`);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const engine = await createNodeEngine();
  const cli = auraCli();
  const table = new BenchTable(
    'Vietoris–Rips persistence, AURA vs Ripser 1.2.1 (native, c++ -O3), both measured in this run. ' +
      'Cells: median wall ms (median CPU ms) over the runs, after one untimed warm-up of each; ' +
      'ratios: AURA ÷ Ripser of those medians, wall (CPU); below 1 = AURA faster. ' +
      '"process" = the whole command on the CSV file (start-up included); ' +
      `\`aura ph\` is ${cli.label}; ` +
      '"in-process" = our engine called in this Node process, set against Ripser\'s whole process.',
    [
      'cloud',
      'n × d',
      'dims',
      'pairs H0/H1/…',
      'same diagrams',
      'runs',
      'Ripser process',
      'aura ph process',
      'aura ph ÷ Ripser',
      'AURA in-process',
      'in-process ÷ Ripser',
      'peak MB',
    ],
    'llllrrrrrrrr',
  );
  // CPU-time ratios to Ripser of the rows where both diagrams agreed, for the summary line.
  const summary = { process: [] as number[], inProcess: [] as number[] };
  for (const entry of manifest) {
    const file = join(dir, `${entry.name}.csv`);
    if (!existsSync(file)) continue;
    const slow = entry.nativeRipserSeconds > SLOW_SECONDS;
    const cloud = parsePointsCsv(readFileSync(file, 'utf8'));
    const dims = `H0–H${entry.maxDim}${entry.threshold === null ? '' : ` ≤ ${entry.threshold}`}`;
    if (quick && slow) {
      table.add(
        entry.name,
        `${cloud.n} × ${cloud.d}`,
        dims,
        '',
        'skipped (BENCH_QUICK=1)',
        ...Array<string>(7).fill(''),
      );
      continue;
    }
    const runs = slow ? 3 : 5;
    const opts: PHOptions = { maxDim: entry.maxDim, threshold: entry.threshold ?? undefined };
    const auraArgv = ['env', `AURA_CLI=${cli.mode}`, process.execPath, join(repoRoot, 'bin/aura.js')];
    auraArgv.push('ph', file, '--max-dim', String(entry.maxDim));
    if (entry.threshold !== null) auraArgv.push('--threshold', String(entry.threshold));
    const argvRipser = 'binary' in ripser ? ripserArgv(ripser.binary, file, entry.maxDim, entry.threshold) : null;

    // Warm-ups, whose outputs are the ones compared.
    let result = engine.computePoints(cloud.points, cloud.n, cloud.d, opts);
    const ours = diagramPairs(result);
    const checks: string[] = [];
    let reference: Pair[][] | null = null;
    let ripserError = '';
    if (argvRipser) {
      try {
        reference = parseRipserOutput(timeProcess(argvRipser).stdout);
      } catch (err) {
        ripserError = `Ripser failed: ${(err as Error).message}`;
      }
    }
    let auraError = '';
    try {
      const printed = parseAuraPhOutput(timeProcess(auraArgv).stdout);
      const why = mismatch(printed, reference ?? ours);
      if (why) checks.push(`aura ph ${why}`);
    } catch (err) {
      auraError = `aura ph failed: ${(err as Error).message}`;
    }
    if (reference) {
      const why = mismatch(ours, reference);
      if (why) checks.push(`engine ${why}`);
    }

    const timed = { ripser: { wall: [], cpu: [] } as Runs, aura: { wall: [], cpu: [] } as Runs };
    const inProcess: Runs = { wall: [], cpu: [] };
    for (let r = 0; r < runs; r++) {
      if (argvRipser && !ripserError) collect(timed.ripser, timeProcess(argvRipser));
      if (!auraError) collect(timed.aura, timeProcess(auraArgv));
      const t = await timeRuns(() => (result = engine.computePoints(cloud.points, cloud.n, cloud.d, opts)), 1, 0);
      inProcess.wall.push(t.wall[0]);
      inProcess.cpu.push(t.cpu[0]);
    }
    const haveRipser = timed.ripser.wall.length > 0;
    const haveAura = timed.aura.wall.length > 0;
    const ripserCpu = haveRipser ? median(timed.ripser.cpu) : 0;
    if (ripserCpu >= MEASURABLE_MS && checks.length === 0) {
      summary.inProcess.push(median(inProcess.cpu) / ripserCpu);
      if (haveAura) summary.process.push(median(timed.aura.cpu) / ripserCpu);
    }
    table.add(
      entry.name,
      `${cloud.n} × ${cloud.d}`,
      dims,
      pairCounts(reference ?? ours),
      [ripserError, auraError, ...checks].filter(Boolean).join('; ') ||
        (reference ? 'yes, all pairs' : 'not checked (no Ripser)'),
      runs,
      haveRipser ? cell(timed.ripser) : '—',
      haveAura ? cell(timed.aura) : '—',
      haveRipser && haveAura ? ratio(timed.aura, timed.ripser) : '—',
      cell(inProcess),
      haveRipser ? ratio(inProcess, timed.ripser) : '—',
      num(result.stats.peakBytes / 2 ** 20),
    );
  }
  table.print();
  const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  if (summary.inProcess.length > 0) {
    console.log(
      `\nGeometric mean of AURA ÷ Ripser CPU time over the ${summary.inProcess.length} rows above with equal diagrams and Ripser CPU ≥ ${MEASURABLE_MS} ms: ` +
        `${num(geomean(summary.inProcess))} in-process` +
        (summary.process.length ? `, ${num(geomean(summary.process))} as \`aura ph\` processes` : '') +
        ' (below 1 = AURA faster).',
    );
  }
  await smallClouds(engine);
}
