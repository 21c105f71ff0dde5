// Persistent-homology engine speed: the clouds of ../shared/bench/clouds/manifest.json (median of ≥ 3 runs
// after a warm-up, checked against Ripser 1.2.1's diagrams) beside Ripser's own figures, and the
// small-window path the app uses (60-point clouds in R^8, H0+H1). BENCH_QUICK=1 skips the slow rows.
//   node bin/run-ts.js bench/index.ts ph
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeEngine, type PHEngine } from '../src/lib/tda/engine.ts';
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

function timeRuns(fn: () => void, runs: number): number[] {
  fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  return times;
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
  const times = timeRuns(() => {
    for (const cloud of clouds) engine.computePoints(cloud, n, d, opts);
  }, 3);
  const perSecond = count / median(times);
  return `small windows: ${count} clouds of ${n} points in R^${d}, H0+H1: ${fmt(perSecond, 0)} clouds/s (median of 3, one core; target ≥ 2000)`;
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
    'median s',
    'runs',
    'peak MB',
    'Ripser native',
    'Ripser wasm',
    '÷ native',
    '÷ wasm',
    'golden',
  ];
  const rows: string[][] = [];
  const ratios: number[] = [];
  for (const entry of manifest) {
    if (!existsSync(join(dir, `${entry.name}.csv`))) continue;
    if (quick && entry.nativeRipserSeconds > SLOW_SECONDS) {
      rows.push([entry.name, '', `H${entry.maxDim}`, 'skipped (BENCH_QUICK=1)', '', '', '', '', '', '', '']);
      continue;
    }
    const cloud = parsePointsCsv(readFileSync(join(dir, `${entry.name}.csv`), 'utf8'));
    const opts: PHOptions = { maxDim: entry.maxDim, threshold: entry.threshold ?? undefined };
    let result = engine.computePoints(cloud.points, cloud.n, cloud.d, opts);
    const runs = entry.nativeRipserSeconds > SLOW_SECONDS ? 3 : 5;
    const times = timeRuns(() => {
      result = engine.computePoints(cloud.points, cloud.n, cloud.d, opts);
    }, runs);
    const seconds = median(times);
    const ref = RIPSER[entry.name];
    if (ref) ratios.push(seconds / ref.native);
    rows.push([
      entry.name,
      String(cloud.n),
      `H${entry.maxDim}${entry.threshold === null ? '' : ` ≤${entry.threshold}`}`,
      fmt(seconds),
      String(runs),
      fmt(result.stats.peakBytes / 2 ** 20, 1),
      ref ? fmt(ref.native, 2) : '—',
      ref ? fmt(ref.wasm, 2) : '—',
      ref ? fmt(seconds / ref.native, 2) : '—',
      ref ? fmt(seconds / ref.wasm, 2) : '—',
      goldenCheck(dir, entry.name, diagramPairs(result)),
    ]);
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  if (ratios.length > 0) {
    const geomean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
    console.log(
      `\ngeometric mean of time ÷ Ripser native over ${ratios.length} rows: ${fmt(geomean, 2)} (target ≤ 1.2)`,
    );
  }
  console.log(smallClouds(engine));
}
