// Ingestion speed and memory: wide CSVs of 20 MB and 200 MB imported through the streaming API, each run in
// its own Node process so its peak memory is its own. Compared with papaparse as the CSV tokenizer feeding
// the same table builder. BENCH_QUICK=1 skips the 200 MB file.
// Run: node bin/run-ts.js bench/index.ts ingest
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import type { MetricFrame } from '../src/lib/frame/types.ts';
import { assembleFrame, RejectLog } from '../src/lib/ingest/builder.ts';
import { CsvParser } from '../src/lib/ingest/csv.ts';
import { CsvTokenizer } from '../src/lib/ingest/csv-tokenizer.ts';
import { importStream } from '../src/lib/ingest/index.ts';
import { utcZone } from '../src/lib/ingest/time.ts';
import { writers } from '../src/lib/ingest/write.ts';
import { BenchTable, median } from './table.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const SERIES = 8;

/** Writes a wide CSV of about `bytes` bytes: epoch-ms time + 8 gauges with 3 decimals, 15 s apart. */
export async function writeWideCsv(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const header = ['timestamp', ...Array.from({ length: SERIES }, (_, j) => `node_load1{instance="host-${j}"}`)];
  let written = 0;
  let rows = 0;
  let t = 1_700_000_000_000;
  let x = 12345;
  const write = (s: string) =>
    new Promise<void>((res) => {
      written += s.length;
      if (out.write(s)) res();
      else out.once('drain', res);
    });
  await write(header.map((h) => `"${h.replace(/"/g, '""')}"`).join(',') + '\n');
  while (written < bytes) {
    const lines: string[] = [];
    for (let k = 0; k < 5000; k++) {
      const cells = [String(t)];
      for (let j = 0; j < SERIES; j++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        cells.push(((x % 100000) / 1000).toFixed(3));
      }
      lines.push(cells.join(','));
      t += 15_000;
      rows++;
    }
    await write(lines.join('\n') + '\n');
  }
  await new Promise<void>((res) => out.end(res));
  return rows;
}

function typedBytes(frame: MetricFrame): number {
  const seen = new Set<ArrayBufferLike>();
  let total = 0;
  for (const s of frame.series) {
    for (const a of [s.timestamps, s.values]) {
      if (!seen.has(a.buffer)) {
        seen.add(a.buffer);
        total += a.byteLength;
      }
    }
  }
  return total;
}

/** papaparse reads the stream; the rows go into the same wide-table builder AURA's tokenizer feeds. */
async function importWithPapa(file: string): Promise<MetricFrame> {
  const rejected = new RejectLog();
  const parser = new CsvParser(',', utcZone, rejected);
  let line = 0;
  await new Promise<void>((res, rej) => {
    const stream = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(
      Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: ',' }),
    );
    stream.on('data', (row: string[]) => parser.record(row, ++line));
    stream.on('end', res);
    stream.on('error', rej);
  });
  const r = parser.finish();
  return assembleFrame(r.parts, { origin: file, format: r.format, rejected, duplicates: r.duplicates });
}

/** Child mode: import one file, print time and peak memory as JSON. */
async function child(mode: string, file: string) {
  let peakArrayBuffers = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const frame =
    mode === 'papaparse'
      ? await importWithPapa(file)
      : await importStream(createReadStream(file, { highWaterMark: 1 << 20 }), {
          origin: file,
          totalBytes: statSync(file).size,
        });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  sample();
  clearInterval(timer);
  const points = frame.series.reduce((s, x) => s + x.timestamps.length, 0);
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs,
      rssBefore,
      maxRss: process.resourceUsage().maxRSS * 1024,
      peakArrayBuffers,
      peakHeap,
      typed: typedBytes(frame),
      points,
      series: frame.series.length,
      rejected: frame.meta.rejected.count,
    }) + '\n',
  );
}

interface ChildResult {
  ms: number;
  cpuMs: number;
  rssBefore: number;
  maxRss: number;
  peakArrayBuffers: number;
  peakHeap: number;
  typed: number;
  points: number;
  series: number;
  rejected: number;
}

async function runChild(mode: string, file: string): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repo, 'bin/run-ts.js'), join(here, 'ingest.bench.ts'), '--ingest-child', mode, file],
    { cwd: repo, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

const mb = (b: number) => (b / 2 ** 20).toFixed(0);

/** Tokenizer alone on text in memory: AURA's CsvTokenizer (1 MB chunks) vs Papa.parse, median CPU time of 7. */
function tokenizerTable(file: string) {
  const text = readFileSync(file, 'utf8');
  const table = new BenchTable(`CSV tokenizer only, ${mb(text.length)} MB in memory, in this process`, [
    'tokenizer',
    'runs',
    'median CPU ms',
    'MB per CPU s',
    'records',
  ]);
  // CPU time, not wall time: this machine is shared, and CPU time is what the parse itself costs.
  const time = (f: () => void) => {
    const runs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const c = process.cpuUsage();
      f();
      const d = process.cpuUsage(c);
      runs.push((d.user + d.system) / 1000);
    }
    return median(runs);
  };
  let rows = 0;
  const aura = time(() => {
    rows = 0;
    const tok = new CsvTokenizer(
      ',',
      () => rows++,
      () => {},
    );
    for (let i = 0; i < text.length; i += 1 << 20) tok.push(text.slice(i, i + (1 << 20)));
    tok.end();
  });
  const auraRows = rows;
  const papa = time(() => {
    rows = 0;
    Papa.parse<string[]>(text, { delimiter: ',', step: () => void rows++ });
  });
  const speed = (ms: number) => (text.length / 2 ** 20 / (ms / 1000)).toFixed(0);
  table.add('aura CsvTokenizer', 7, aura.toFixed(0), speed(aura), auraRows);
  table.add('papaparse (step)', 7, papa.toFixed(0), speed(papa), rows);
  table.print();
}

/** Every other format: the same 8 series written by the format's writer, streamed in 1 MB chunks, median CPU of 3. */
async function formatsTable() {
  const n = 60_000;
  const series = Array.from({ length: SERIES }, (_, j) => {
    const timestamps = new Float64Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      timestamps[i] = 1_700_000_000_000 + i * 15_000;
      values[i] = Math.round(Math.abs(Math.sin(i * 0.01 + j)) * 1e5) / 1000;
    }
    return { name: 'node_load1', labels: { instance: `host-${j}`, job: 'node' }, timestamps, values };
  });
  const frame: MetricFrame = {
    series,
    meta: { origin: 'bench', format: '', rejected: { count: 0, examples: [] }, duplicates: 0 },
  };
  const runs = 3;
  const table = new BenchTable(
    `Every format: importStream on the same ${SERIES} series × ${n} samples as each format's writer prints them, streamed from memory in 1 MB chunks, in this process`,
    ['format', 'MB', 'runs', 'median CPU ms', 'MB per CPU s', 'samples'],
  );
  for (const [format, write] of Object.entries(writers)) {
    const bytes = new TextEncoder().encode(write(frame));
    const cpuMs: number[] = [];
    let samples = 0;
    for (let k = 0; k < runs; k++) {
      const c = process.cpuUsage();
      const f = await importStream(
        (async function* () {
          for (let i = 0; i < bytes.length; i += 1 << 20) yield bytes.subarray(i, i + (1 << 20));
        })(),
        { totalBytes: bytes.length },
      );
      const d = process.cpuUsage(c);
      cpuMs.push((d.user + d.system) / 1000);
      samples = f.series.reduce((a, s) => a + s.timestamps.length, 0);
    }
    const ms = median(cpuMs);
    table.add(
      format,
      mb(bytes.length),
      runs,
      ms.toFixed(0),
      (bytes.length / 2 ** 20 / (ms / 1000)).toFixed(0),
      samples,
    );
  }
  table.print();
}

export async function run(): Promise<void> {
  await formatsTable();
  const sizes = process.env.BENCH_QUICK === '1' ? [20] : [20, 200];
  const table = new BenchTable(
    'Streaming import of a wide CSV, each run in its own child process (1 MB read chunks); medians over the ' +
      'runs, taken alternately per CSV reader (200 MB: one run each, long enough to be steady)',
    [
      'file',
      'CSV reader',
      'runs',
      'median wall s',
      'median CPU s',
      'MB per CPU s',
      'peak RSS MB',
      'RSS growth MB',
      'peak ArrayBuffers MB',
      'frame typed arrays MB',
      'samples',
    ],
    'llrrrrrrrrr',
  );
  for (const size of sizes) {
    const file = join(tmpdir(), `aura-ingest-bench-${process.pid}-${size}.csv`);
    try {
      const n = await writeWideCsv(file, size * 2 ** 20);
      const bytes = statSync(file).size;
      const runs = size <= 20 ? 3 : 1;
      const modes = ['aura', 'papaparse'];
      const results = new Map<string, ChildResult[]>(modes.map((m) => [m, []]));
      for (let k = 0; k < runs; k++) for (const mode of modes) results.get(mode)!.push(await runChild(mode, file));
      for (const [mode, rs] of results) {
        const m = (f: (r: ChildResult) => number) => median(rs.map(f));
        table.add(
          `${mb(bytes)} MB, ${n} rows × ${SERIES}`,
          mode,
          runs,
          (m((r) => r.ms) / 1000).toFixed(2),
          (m((r) => r.cpuMs) / 1000).toFixed(2),
          (bytes / 2 ** 20 / (m((r) => r.cpuMs) / 1000)).toFixed(0),
          mb(m((r) => r.maxRss)),
          mb(m((r) => r.maxRss - r.rssBefore)),
          mb(m((r) => r.peakArrayBuffers)),
          mb(rs[0].typed),
          rs[0].points,
        );
      }
      if (size === 20) tokenizerTable(file);
    } finally {
      rmSync(file, { force: true });
    }
  }
  table.print();
}

const at = process.argv.indexOf('--ingest-child');
if (at >= 0) await child(process.argv[at + 1], process.argv[at + 2]);
