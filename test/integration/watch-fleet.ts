// The fleet the watch tests backfill into a real Prometheus: generated node_exporter-like hosts, a few of
// them failing at known times near the end, shifted so the data ends just before the test starts (the
// watch reads "now"). OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateScenario, toOpenMetrics, type ScenarioLabel } from '../../src/lib/synth/index.ts';
import { freePort } from '../helpers/prometheus.ts';

const exec = promisify(execFile);

export interface Fleet {
  openMetrics: string;
  hosts: string[];
  failing: ScenarioLabel[];
  end: number;
}

const MIN = 60_000;

/**
 * `hosts` hosts × 10 metrics at a 1-min step over `hours`, ending `endAgoMs` before now. The failing hosts
 * get a failure whose cause starts `leadMin` before the end and which fails `afterMin` after it.
 */
export function fleet(opts: {
  hosts: number;
  hours: number;
  failing: string[];
  seed?: number;
  leadMin?: number;
  afterMin?: number;
  endAgoMs?: number;
}): Fleet {
  const step = MIN;
  const end = Math.floor((Date.now() - (opts.endAgoMs ?? 60_000)) / step) * step;
  const start = end - opts.hours * 3600_000;
  const lead = (opts.leadMin ?? 90) * MIN;
  const after = (opts.afterMin ?? 20) * MIN;
  const kinds = ['memory_leak', 'cpu_saturation', 'fd_exhaustion'] as const;
  const { frame, labels } = generateScenario({
    hosts: opts.hosts,
    hours: opts.hours,
    stepSeconds: step / 1000,
    seed: opts.seed ?? 14,
    start,
    metricSet: 'core',
    scenarios: opts.failing.map((host, i) => ({
      scenario: kinds[i % kinds.length],
      host,
      onset: end - lead,
      failure: end + after,
    })),
  });
  return {
    openMetrics: toOpenMetrics(frame),
    hosts: Array.from({ length: opts.hosts }, (_, i) => `host-${i + 1}`),
    failing: labels.filter((l) => l.kind === 'failure'),
    end,
  };
}

export interface Server {
  url: string;
  port: number;
  dir: string;
  /** SIGTERM and wait; the data stays for start(). */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  start(): Promise<void>;
  /** stop() and remove the directory. */
  dispose(): Promise<void>;
}

/**
 * A process on a fixed loopback port that can be stopped and started again (Prometheus going away and
 * coming back), ready when `readyPath` answers 200.
 */
export async function startServer(o: {
  name: string;
  command: string;
  args: (port: number, dir: string) => string[];
  readyPath: string;
  prepare?: (dir: string, port: number) => Promise<void> | void;
  readyTimeoutS?: number;
}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), `aura-${o.name}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';
  const start = async () => {
    log = '';
    const proc = spawn(o.command, o.args(port, dir), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    const deadline = Date.now() + (o.readyTimeoutS ?? 60) * 1000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${o.name} exited with ${proc.exitCode}: ${log.slice(-800)}`);
      try {
        if ((await fetch(url + o.readyPath)).ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${o.name} not ready: ${log.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stop = async () => {
    const c = child as ChildProcess | null;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    });
  };
  try {
    await o.prepare?.(dir, port);
    await start();
  } catch (err) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    port,
    dir,
    stop,
    start,
    dispose: async () => (await stop(), rmSync(dir, { recursive: true, force: true })),
  };
}

/** Prometheus with its own config (`config(port, dir)`), optionally backfilled with promtool first. */
export function startPrometheusWith(config: (port: number, dir: string) => string, backfill?: string): Promise<Server> {
  return startServer({
    name: 'prometheus',
    command: 'prometheus',
    readyPath: '/-/ready',
    prepare: async (dir, port) => {
      writeFileSync(join(dir, 'prometheus.yml'), config(port, dir));
      mkdirSync(join(dir, 'data'), { recursive: true });
      if (backfill === undefined) return;
      writeFileSync(join(dir, 'backfill.om'), backfill);
      await exec('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', 'backfill.om', 'data'], {
        cwd: dir,
        maxBuffer: 64 << 20,
      });
    },
    args: (port, dir) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      '--log.level=warn',
    ],
  });
}
