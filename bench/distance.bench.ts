// Diagram distances: median milliseconds for W1, W2 (exact and auction, relative error 1%) and the
// exact bottleneck, on synthetic diagrams shaped like real H1 diagrams (mostly noise near the
// diagonal, a few long features), plus Ripser golden diagrams from ../shared when present.
// Run: node bin/run-ts.js bench/index.ts distance
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXACT_MAX_POINTS, type DiagramDistance } from '../src/lib/tda/distance.ts';
import { createNodeDistance } from '../src/node/engine.ts';
import type { Diagram } from '../src/lib/tda/types.ts';
import {
  bettiCurve,
  countAboveNoise,
  landscapes,
  linearGrid,
  maxPersistence,
  persistenceEntropy,
  totalPersistence,
} from '../src/lib/tda/summaries.ts';
import { BenchTable, median, num } from './table.ts';

const SIZES = [20, 100, 500, 2000];
const RELATIVE_ERROR = 0.01;

function generator(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

function noisyDiagram(rnd: () => number, size: number): Diagram {
  const births = new Float64Array(size);
  const deaths = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    births[i] = rnd() * 2;
    deaths[i] = births[i] + (rnd() < 0.05 ? 0.5 + rnd() : rnd() * rnd() * 0.2);
  }
  return { dim: 1, births, deaths };
}

interface Timing {
  /** median wall-clock ms */
  wall: number;
  /** median CPU ms of this process: steadier than wall time on a shared, busy machine */
  cpu: number;
  runs: number;
  value: number;
}

/** Medians of `task`: at least 3 runs, more while under ~1.5 s in total (at most 31). */
function measure(task: () => number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  let value = 0;
  let spent = 0;
  while (wall.length < 3 || (spent < 1500 && wall.length < 31)) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    value = task();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpuStart);
    wall.push(ms);
    cpu.push((used.user + used.system) / 1000);
    spent += ms;
  }
  return { wall: median(wall), cpu: median(cpu), runs: wall.length, value };
}

/** One table row: each cell is "median wall (median CPU) ×runs", ms. */
function row(dist: DiagramDistance, label: string, a: Diagram, b: Diagram): (string | number)[] {
  const cells: string[] = [label];
  const gaps: string[] = [];
  const cell = (t: Timing) => `${num(t.wall)} (${num(t.cpu)}) ×${t.runs}`;
  for (const p of [1, 2] as const) {
    const exact = measure(() => dist.wasserstein(a, b, p, { method: 'exact' }));
    const auction = measure(() => dist.wasserstein(a, b, p, { method: 'auction', relativeError: RELATIVE_ERROR }));
    cells.push(cell(exact), cell(auction));
    gaps.push(`${((auction.value / exact.value - 1) * 100).toFixed(3)}%`);
  }
  cells.push(cell(measure(() => dist.bottleneck(a, b))), ...gaps);
  return cells;
}

function golden(name: string, dim: number): Diagram | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = join(resolve(here, '../../shared'), 'bench', 'clouds', `${name}.golden.json`);
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as { diagrams: Record<string, [number, number | null][]> };
  const pairs = json.diagrams[String(dim)];
  return {
    dim,
    births: Float64Array.from(pairs.map(([b]) => b)),
    deaths: Float64Array.from(pairs.map(([, d]) => d ?? Infinity)),
  };
}

/** Summaries of one diagram, as the timeline computes them for every window (100-point grid). */
function summariesTable(): void {
  const table = new BenchTable(
    'Summaries of one diagram, in this process: median wall µs (median CPU µs) ×runs (3 to 31 runs, after 20 untimed ' +
      'calls); grid of 100 scales; landscapes: 5 levels',
    [
      'pairs',
      'Betti curve',
      'landscapes',
      'entropy',
      'total persistence (p=2)',
      'max persistence',
      'count above floor',
    ],
  );
  const rnd = generator(7);
  const grid = linearGrid(0, 3, 100);
  const us = (task: () => unknown) => {
    for (let warm = 0; warm < 20; warm++) task(); // let the JIT settle first
    const t = measure(() => (task(), 0));
    return `${num(t.wall * 1000)} (${num(t.cpu * 1000)}) ×${t.runs}`;
  };
  for (const size of [50, 500, 5000]) {
    const d = noisyDiagram(rnd, size);
    table.add(
      size,
      us(() => bettiCurve(d, grid)),
      us(() => landscapes(d, 5, grid)),
      us(() => persistenceEntropy(d)),
      us(() => totalPersistence(d, 2)),
      us(() => maxPersistence(d)),
      us(() => countAboveNoise(d, 0.1)),
    );
  }
  table.print();
}

export async function run(): Promise<void> {
  summariesTable();
  const dist = await createNodeDistance();
  const columns = ['W1 exact', 'W1 auction', 'W2 exact', 'W2 auction', 'bottleneck', 'W1 gap', 'W2 gap'];
  const caption =
    `cells: median wall ms (median CPU ms of this process) ×runs (3 to 31 runs); auction relative error ${RELATIVE_ERROR}; ` +
    `'auto' is exact up to ${EXACT_MAX_POINTS} points in total; gap = auction ÷ exact − 1 (the error made)`;
  const synthetic = new BenchTable(
    `Diagram distances on synthetic H1-like diagrams (mostly noise near the diagonal, a few long features); ${caption}`,
    ['points (each)', ...columns],
  );
  const rnd = generator(2024);
  for (const size of SIZES) synthetic.add(...row(dist, String(size), noisyDiagram(rnd, size), noisyDiagram(rnd, size)));
  synthetic.print();

  const pairs: [string, string, number][] = [
    ['gauss_200_8', 'torus_400', 1],
    ['gauss_1000_3', 'gauss_2000_10', 0],
    ['gauss_1000_3', 'gauss_2000_10', 1],
  ];
  const real = pairs.map(([x, y, dim]) => [golden(x, dim), golden(y, dim), `${x} vs ${y} H${dim}`] as const);
  if (real.some(([a, b]) => !a || !b)) {
    console.log('\nSKIPPED: Ripser golden diagrams (../shared/bench/clouds is missing)');
    return;
  }
  const table = new BenchTable(`Diagram distances on Ripser's golden diagrams (../shared/bench/clouds); ${caption}`, [
    'diagrams',
    ...columns,
  ]);
  for (const [a, b, label] of real) {
    table.add(...row(dist, `${label} (${a!.births.length} vs ${b!.births.length})`, a!, b!));
  }
  table.print();
}
