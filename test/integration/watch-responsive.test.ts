// `aura watch` answers scrapes while its start-up analysis runs: with the topology in the main thread
// (--workers 1, the worst case), /metrics and /healthz answer between window batches, so a scrape sees the
// windows counter part-way (more than 0, not yet ready) at two different values. A process whose event loop
// were blocked for the whole analysis could only be seen before it (0 windows) or after it (ready).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPrometheus, repoRoot } from '../helpers/env.ts';
import { freePort } from '../helpers/prometheus.ts';
import { fleet, startPrometheusWith, type Server } from './watch-fleet.ts';

/** The value of an unlabelled sample, or NaN when absent. */
function sample(text: string, metric: string): number {
  const m = new RegExp(`^${metric} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

describe.runIf(hasPrometheus())('aura watch during a long analysis', () => {
  let prom: Server;
  // 40 hosts × 24 h at 1 min: the first poll computes thousands of windows.
  const f = fleet({ hosts: 40, hours: 24, failing: ['host-5'], endAgoMs: 0, seed: 5 });

  beforeAll(async () => {
    prom = await startPrometheusWith(
      () => ['global: { scrape_interval: 1m }', 'scrape_configs: []', ''].join('\n'),
      f.openMetrics,
    );
  }, 180_000);
  afterAll(async () => prom?.dispose());

  it('/metrics and /healthz answer part-way through the start-up analysis', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const args = ['--query', '{__name__=~"node_.+|http_.+"}', '--step', '1m', '--baseline', '24h', '--delay', '3m'];
    const child = spawn(
      'node',
      [
        join(repoRoot, 'bin/aura.js'),
        'watch',
        '--prometheus',
        prom.url,
        ...args,
        '--workers',
        '1',
        '--no-predict',
        '--listen',
        `127.0.0.1:${port}`,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AURA_CLI: 'source' } },
    );
    let log = '';
    child.stderr.on('data', (d) => (log += d));
    const midway = new Set<number>();
    let healthyMidway = 0;
    let ready = false;
    try {
      const deadline = Date.now() + 150_000;
      while (!ready) {
        if (child.exitCode !== null) throw new Error(`aura watch exited (${child.exitCode}): ${log}`);
        if (Date.now() > deadline) throw new Error(`not ready within 150 s: ${log.slice(-1500)}`);
        const text = await fetch(url + '/metrics').then(
          (r) => r.text(),
          () => '',
        );
        const windows = sample(text, 'aura_windows_total');
        ready = sample(text, 'aura_ready') === 1;
        if (!ready && windows > 0) {
          midway.add(windows);
          if ((await fetch(url + '/healthz')).status === 200) healthyMidway++;
        }
        if (!text) await new Promise((r) => setTimeout(r, 100));
      }
      expect(midway.size, `windows counts seen before ready: ${[...midway].join(', ')}`).toBeGreaterThanOrEqual(2);
      expect(healthyMidway).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  }, 240_000);
});
