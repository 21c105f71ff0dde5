// Starts a real Prometheus (Debian package) for tests: free loopback port, temporary data directory,
// CORS open, scraping itself every second; optional OpenMetrics backfill written with promtool BEFORE start.
// Gate tests with hasPrometheus() from ./env.ts.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RunningPrometheus {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  dataDir: string;
  /** SIGTERM, wait for exit, remove the temporary directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * OpenMetrics text (timestamps in seconds, ending with `# EOF`) backfilled into blocks before start.
   * Blocks must lie in the past: use timestamps days ago.
   */
  backfill?: string;
  /** Seconds to wait for /-/ready. Default 60. */
  readyTimeoutS?: number;
  /** Extra command-line flags, e.g. `--query.max-samples=1`. */
  args?: string[];
  /** More `host:port` targets to scrape every second (job `targets`), e.g. a test's own exporter. */
  targets?: string[];
}

/** A port nobody listens on right now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(opts: StartOptions = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'aura-prometheus-'));
  const dataDir = join(dir, 'data');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  let child: ChildProcess | null = null;
  try {
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: prometheus',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${port}']`,
        ...(opts.targets?.length
          ? [
              '  - job_name: targets',
              '    static_configs:',
              `      - targets: [${opts.targets.map((t) => `'${t}'`).join(', ')}]`,
            ]
          : []),
        '',
      ].join('\n'),
    );
    if (opts.backfill !== undefined) {
      const file = join(dir, 'backfill.om');
      writeFileSync(file, opts.backfill.endsWith('\n') ? opts.backfill : opts.backfill + '\n');
      try {
        await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { cwd: dir });
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(
          `promtool could not backfill: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' ')}`,
        );
      }
    }
    let log = '';
    child = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.cors.origin=.*',
        '--storage.tsdb.retention.time=100y',
        '--log.level=warn',
        ...(opts.args ?? []),
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-4000);
    });
    let exited: number | null | undefined;
    child.on('exit', (code) => (exited = code));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + (opts.readyTimeoutS ?? 60) * 1000;
    for (;;) {
      if (exited !== undefined) throw new Error(`prometheus exited with code ${exited}: ${log.trim().slice(-800)}`);
      try {
        const res = await fetch(`${url}/-/ready`);
        if (res.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline)
        throw new Error(`prometheus not ready after ${opts.readyTimeoutS ?? 60}s: ${log.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const proc = child;
    return {
      url,
      port,
      dataDir,
      stop: async () => {
        await stopProcess(proc);
        cleanup();
      },
    };
  } catch (err) {
    if (child) await stopProcess(child);
    cleanup();
    throw err;
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
