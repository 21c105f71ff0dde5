// The anomaly timeline end to end on the throughput target: 24 h of 15 s samples × 50 series
// (5,760 rows), window 60, stride 10, state cloud, H0+H1, W2 to the baseline. Prints the median of a
// few runs in-process and on the worker_threads pool (pool start-up measured separately).
import { availableParallelism } from 'node:os';
import type { AlignedFrame } from '../src/lib/frame/types.ts';
import { AnomalyTimeline, InProcessRunner, type WindowRunner } from '../src/lib/timeline/index.ts';
import { createNodeTopology } from '../src/node/topology.ts';
import { NodePool } from '../src/node/pool.ts';
import { BenchTable, median } from './table.ts';

function frame(rows: number, m: number, seed: number): AlignedFrame {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
  const t0 = Date.UTC(2026, 0, 5);
  const columns = Array.from({ length: m }, (_, j) =>
    Float64Array.from({ length: rows }, (_, i) => {
      const daily = Math.sin((2 * Math.PI * i) / 5760 + j);
      const cycle = j < 2 ? Math.sin((2 * Math.PI * i) / 20 - (j * Math.PI) / 2) : 0;
      return 50 + 10 * daily + 8 * cycle + 2 * gauss();
    }),
  );
  return {
    timestamps: Float64Array.from({ length: rows }, (_, i) => t0 + i * 15_000),
    stepMs: 15_000,
    columns,
    series: columns.map((_, j) => ({ name: 'metric', labels: { instance: `host-${j}` } })),
  };
}

async function time(runner: WindowRunner, f: AlignedFrame, runs: number) {
  const ms: number[] = [];
  const cpu: number[] = [];
  let windows = 0;
  let spans = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = await new AnomalyTimeline(runner, { cloud: 'state', maxDim: 1 }).update(f);
    const c = process.cpuUsage(c0);
    ms.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    windows = out.points.length + out.skipped.length;
    spans = out.anomalies.length;
  }
  return { median: median(ms), cpu: median(cpu), windows, spans };
}

export async function run(): Promise<void> {
  const f = frame(5760, 50, 42);
  const runs = 5;
  // CPU time (all threads of this process) is printed too: on a shared machine the wall clock also
  // counts time spent waiting for a core.
  const table = new BenchTable(
    `The anomaly timeline, AnomalyTimeline.update on 5,760 rows × 50 series (window 60, stride 10, state cloud, ` +
      `H0+H1, W2 to the baseline), after one warm-up run on 400 rows`,
    ['runner', 'windows', 'spans', 'runs', 'median wall ms', 'median CPU ms', 'windows/s (wall)'],
  );
  const inProcess = new InProcessRunner(await createNodeTopology());
  await time(inProcess, frame(400, 50, 1), 1); // warm-up: compile, JIT
  const a = await time(inProcess, f, runs);
  const t0 = performance.now();
  const pool = new NodePool(availableParallelism());
  await time(pool, frame(400, 50, 1), 1); // also waits for the workers to be up
  const startup = performance.now() - t0;
  const b = await time(pool, f, runs);
  await pool.close();
  for (const [name, r] of [
    ['in-process', a],
    [`worker_threads pool (${pool.concurrency})`, b],
  ] as const) {
    table.add(
      name,
      r.windows,
      r.spans,
      runs,
      r.median.toFixed(0),
      r.cpu.toFixed(0),
      ((1000 * r.windows) / r.median).toFixed(0),
    );
  }
  table.add(
    'pool start-up (workers, tsx, WebAssembly) + one warm-up run on 400 rows',
    '',
    '',
    1,
    startup.toFixed(0),
    '',
    '',
  );
  table.print();
}
