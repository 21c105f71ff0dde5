// Persistent-homology engine speed: the clouds of ../shared/bench/clouds/manifest.json (median of ≥ 3 runs
// after a warm-up, checked against Ripser 1.2.1's diagrams) beside Ripser's own figures, and the
// small-window path the app uses (60-point clouds in R^8, H0+H1). BENCH_QUICK=1 skips the slow rows.
//   node bin/run-ts.js bench/index.ts ph
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import type { PHEngine } from '../src/lib/tda/engine.ts';
import { createNodeEngine } from '../src/node/engine.ts';
import { parsePointsCsv } from '../src/lib/cloud/points-csv.ts';
import type { PHOptions } from '../src/lib/tda/types.ts';
import { diagramMismatch, diagramPairs, type Pair } from '../test/reference/diagrams.ts';
import { repoRoot, sharedDir } from '../test/helpers/env.ts';

interface ManifestEntry {
  name: string;
  maxDim: number;
  threshold: number | null;
  nativeRipserSeconds: number;
}

/** Ripser 1.2.1 measured on this project's machine: native (g++ -O3) and emscripten WASM in Node, seconds. */
const RIPSER: Record<string, { native: number; wasm: number }> = {
  gauss_200_8: { native: 0.32, wasm: 0.52 },
  gauss_1000_3: { native: 0.47, wasm: 0.73 },
  gauss_2000_10: { native: 3.2, wasm: 5.5 },
  o3_1024: { native: 0.13, wasm: 0.2 },
  torus_400: { native: 2.3, wasm: 3.7 },
};
const SLOW_SECONDS = 20; // rows whose manifest time exceeds this are skipped under BENCH_QUICK=1

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

interface Timing {
  wall: number[];
  cpu: number[];
}

/** Wall-clock and CPU seconds of each run after a warm-up; CPU time matters on a shared machine. */
function timeRuns(fn: () => void, runs: number): Timing {
  fn(); // warm-up
  const timing: Timing = { wall: [], cpu: [] };
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    timing.wall.push((performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(cpu0);
    timing.cpu.push((cpu.user + cpu.system) / 1e6);
  }
  return timing;
}

function goldenCheck(dir: string, name: string, pairs: Pair[][]): string {
  const golden = JSON.parse(readFileSync(join(dir, `${name}.golden.json`), 'utf8')) as {
    diagrams: Record<string, [number, number | null][]>;
  };
  for (let dim = 0; dim < pairs.length; dim++) {
    const expected = (golden.diagrams[String(dim)] ?? []).map(([b, d]): Pair => [b, d ?? Infinity]);
    const mismatch = diagramMismatch(pairs[dim], expected);
    if (mismatch) return `H${dim}: ${mismatch}`;
  }
  return 'ok';
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

function smallClouds(engine: PHEngine): string {
  const count = 2000;
  const n = 60;
  const d = 8;
  const next = gaussian(42);
  const clouds = Array.from({ length: count }, () => Float64Array.from({ length: n * d }, next));
  const opts: PHOptions = { maxDim: 1 };
  const timing = timeRuns(() => {
    for (const cloud of clouds) engine.computePoints(cloud, n, d, opts);
  }, 3);
  const wall = fmt(count / median(timing.wall), 0);
  const cpu = fmt(count / median(timing.cpu), 0);
  return `small windows: ${count} clouds of ${n} points in R^${d}, H0+H1, one core: ${wall} clouds/s wall, ${cpu} clouds/s CPU time (median of 3; target ≥ 2000)`;
}

export async function run(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  let dir = join(sharedDir, 'bench/clouds');
  if (!existsSync(join(dir, 'manifest.json'))) {
    console.log('../shared is absent: benchmarking the committed clouds in test/fixtures/clouds only');
    dir = join(repoRoot, 'test/fixtures/clouds');
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const engine = await createNodeEngine();
  const header = [
    'cloud',
    'n',
    'dim',
    'wall s',
    'cpu s',
    'runs',
    'peak MB',
    'Ripser native s',
    'Ripser wasm s',
    'wall ÷ native',
    'wall ÷ wasm',
    'cpu ÷ native',
    'golden',
  ];
  const rows: string[][] = [];
  const wallRatios: number[] = [];
  const cpuRatios: number[] = [];
  for (const entry of manifest) {
    if (!existsSync(join(dir, `${entry.name}.csv`))) continue;
    if (quick && entry.nativeRipserSeconds > SLOW_SECONDS) {
      rows.push([entry.name, '', `H${entry.maxDim}`, 'skipped (BENCH_QUICK=1)', ...Array<string>(9).fill('')]);
      continue;
    }
    const cloud = parsePointsCsv(readFileSync(join(dir, `${entry.name}.csv`), 'utf8'));
    const opts: PHOptions = { maxDim: entry.maxDim, threshold: entry.threshold ?? undefined };
    let result = engine.computePoints(cloud.points, cloud.n, cloud.d, opts);
    const runs = entry.nativeRipserSeconds > SLOW_SECONDS ? 3 : 5;
    const timing = timeRuns(() => {
      result = engine.computePoints(cloud.points, cloud.n, cloud.d, opts);
    }, runs);
    const wall = median(timing.wall);
    const cpu = median(timing.cpu);
    const ref = RIPSER[entry.name];
    if (ref) {
      wallRatios.push(wall / ref.native);
      cpuRatios.push(cpu / ref.native);
    }
    rows.push([
      entry.name,
      String(cloud.n),
      `H${entry.maxDim}${entry.threshold === null ? '' : ` ≤${entry.threshold}`}`,
      fmt(wall),
      fmt(cpu),
      String(runs),
      fmt(result.stats.peakBytes / 2 ** 20, 1),
      ref ? fmt(ref.native, 2) : '—',
      ref ? fmt(ref.wasm, 2) : '—',
      ref ? fmt(wall / ref.native, 2) : '—',
      ref ? fmt(wall / ref.wasm, 2) : '—',
      ref ? fmt(cpu / ref.native, 2) : '—',
      goldenCheck(dir, entry.name, diagramPairs(result)),
    ]);
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  const geomean = (xs: number[]) => Math.exp(xs.reduce((sum, x) => sum + Math.log(x), 0) / xs.length);
  if (wallRatios.length > 0) {
    console.log(
      `\ngeometric mean of time ÷ Ripser native over ${wallRatios.length} rows: ` +
        `${fmt(geomean(wallRatios), 2)} wall, ${fmt(geomean(cpuRatios), 2)} CPU time (target ≤ 1.2)`,
    );
  }
  console.log(
    `load average while running: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')} on ${cpus().length} cores`,
  );
  console.log(smallClouds(engine));
}
