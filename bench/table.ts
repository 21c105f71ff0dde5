// Shared by every bench module: medians of repeated runs, and tables whose header says what machine state
// the figures were taken in (cores and load average), so a figure can be judged, not just read.
import { availableParallelism, loadavg } from 'node:os';

/** Median; the mean of the two middle values for an even count. NaN for no values. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Runs {
  /** wall-clock milliseconds of each timed run */
  wall: number[];
  /** CPU milliseconds of this process (all its threads) in each timed run: steadier on a shared machine */
  cpu: number[];
}

/** Times `fn` `runs` times after `warmup` untimed calls (JIT, caches). */
export async function timeRuns(fn: () => unknown, runs: number, warmup = 1): Promise<Runs> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: Runs = { wall: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    out.wall.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    out.cpu.push((cpu.user + cpu.system) / 1000);
  }
  return out;
}

/** A number with about three significant digits ("—" when not finite). */
export function num(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toFixed(3);
}

/** "median wall (median CPU)" of some runs, in `unit` (ms or s). */
export function wallCpu(r: Runs, unit: 'ms' | 's' = 'ms'): string {
  const k = unit === 's' ? 1000 : 1;
  return `${num(median(r.wall) / k)} (${num(median(r.cpu) / k)})`;
}

const loads = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

/**
 * A Markdown table. Create it before measuring: its header then gives the load average when measuring
 * began and when the table was printed, with the core count, so a busy machine shows in the figures.
 */
export class BenchTable {
  private readonly rows: string[][] = [];
  private readonly loadAtStart = loads();

  /** `align`: one letter per column, 'l' or 'r' (default: the first column left, the others right). */
  constructor(
    private readonly title: string,
    private readonly header: string[],
    private readonly align?: string,
  ) {}

  add(...cells: (string | number)[]): void {
    if (cells.length !== this.header.length)
      throw new Error(`bench row has ${cells.length} cells, the table ${this.header.length}`);
    this.rows.push(cells.map(String));
  }

  print(): void {
    console.log(`\n${this.title}`);
    console.log(
      `${availableParallelism()} cores (os.availableParallelism()); load average (1 / 5 / 15 min) ` +
        `${this.loadAtStart} when measuring began, ${loads()} at the end\n`,
    );
    const widths = this.header.map((h, c) => Math.max(h.length, 3, ...this.rows.map((r) => r[c].length)));
    const right = (c: number) => (this.align ? this.align[c] === 'r' : c > 0);
    const line = (cells: string[]) =>
      '| ' + cells.map((x, c) => (right(c) ? x.padStart(widths[c]) : x.padEnd(widths[c]))).join(' | ') + ' |';
    console.log(line(this.header));
    console.log('|' + widths.map((w, c) => (right(c) ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|');
    for (const row of this.rows) console.log(line(row));
  }
}
