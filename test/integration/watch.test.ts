// `aura watch` and `aura rules` against a real Prometheus: the exposition passes `promtool check metrics`,
// shards split entities exactly as Prometheus' own hashmod relabelling does and together equal the
// unsharded run, the server's health and readiness follow Prometheus going away and coming back, SIGTERM
// stops it cleanly; the committed rules are `aura rules` output and pass promtool's checks and unit tests.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashmod } from '../../src/lib/export/hashmod.ts';
import { renderExposition } from '../../src/lib/export/exposition.ts';
import { hasPrometheus, repoRoot } from '../helpers/env.ts';
import { freePort } from '../helpers/prometheus.ts';
import { fleet, startPrometheusWith, type Server } from './watch-fleet.ts';

const exec = promisify(execFile);
const aura = join(repoRoot, 'bin/aura.js');
const FAILING = ['host-3', 'host-7', 'host-20'];
const TARGETS = Array.from({ length: 24 }, (_, i) => `127.0.0.1:${20001 + i}`);

/** `promtool check metrics` reads stdin; resolves to its output, rejects with it on a failed check. */
function checkMetrics(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`promtool check metrics: ${out}`))));
    p.stdin.end(text);
  });
}

/** sample lines of one metric as `labels → value`. */
function samples(text: string, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{.*\})? (\S+)$/.exec(line);
    if (m && m[1] === metric) out.set(m[2] ?? '', Number(m[3]));
  }
  return out;
}

const run = hasPrometheus();

describe.runIf(run)('aura watch against Prometheus', () => {
  let prom: Server;
  const f = fleet({ hosts: 30, hours: 4, failing: FAILING, endAgoMs: 0 });
  const watchArgs = () => [
    aura,
    'watch',
    '--prometheus',
    prom.url,
    '--query',
    '{__name__=~"node_.+|http_.+"}',
    '--step',
    '1m',
    '--baseline',
    '4h',
    '--delay',
    '3m',
    '--workers',
    '1',
  ];
  const once = async (...extra: string[]) =>
    (await exec('node', [...watchArgs(), '--once', ...extra], { cwd: repoRoot, maxBuffer: 16 << 20 })).stdout;

  beforeAll(async () => {
    prom = await startPrometheusWith(
      () =>
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'scrape_configs:',
          // Targets that do not exist: their `up` series carries the shard Prometheus' hashmod gave them.
          '  - job_name: hashmod',
          '    static_configs:',
          `      - targets: [${TARGETS.map((t) => `'${t}'`).join(', ')}]`,
          '    relabel_configs:',
          '      - { source_labels: [__address__], modulus: 3, target_label: shard, action: hashmod }',
          '',
        ].join('\n'),
      f.openMetrics,
    );
  }, 120_000);
  afterAll(async () => {
    await prom?.dispose();
  });

  it('--once prints an exposition that promtool accepts, with the failing hosts flagged', async () => {
    const text = await once();
    await checkMetrics(text);
    const active = samples(text, 'aura_anomaly_active');
    expect(active.size).toBe(30);
    const entities = samples(text, 'aura_entities');
    expect([...entities.values()]).toEqual([30]);
    // Each failing host stands out: an active anomaly, or the model's 1 h risk at its alarm threshold.
    const risk = samples(text, 'aura_failure_risk');
    for (const host of FAILING) {
      const on = active.get(`{entity="${host}"}`) === 1;
      const r = risk.get(`{entity="${host}",horizon="1h"}`) ?? 0;
      const r6 = risk.get(`{entity="${host}",horizon="6h"}`) ?? 0;
      expect(on || r >= 0.5 || r6 >= 0.5, `${host}: active ${on}, risk 1h ${r}, 6h ${r6}`).toBe(true);
    }
    // Healthy hosts: few alarms (the model's budget is 0.1 false alarms per host-day).
    const healthyAlarms = [...risk].filter(
      ([k, v]) => k.includes('horizon="1h"') && v >= 0.5 && !FAILING.some((h) => k.includes(`"${h}"`)),
    );
    expect(healthyAlarms.length).toBeLessThanOrEqual(2);
  }, 120_000);

  it('hostile label values survive promtool check metrics', async () => {
    const hostile = ['a"b', 'line\nbreak', 'back\\slash', '\\"\n', 'ünï 🙂'];
    const text = renderExposition([
      {
        name: 'aura_anomaly_active',
        type: 'gauge',
        help: 'h',
        samples: hostile.map((entity, i) => ({ labels: { entity }, value: i % 2 })),
      },
    ]);
    await checkMetrics(text);
    expect(text.split('\n').filter((l) => l.startsWith('aura_anomaly_active{'))).toHaveLength(hostile.length);
  });

  it("hashmod is Prometheus' own: the same shard as a hashmod relabel config", async () => {
    let rows: { metric: Record<string, string> }[] = [];
    for (let i = 0; i < 50 && rows.length < TARGETS.length; i++) {
      const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('up{job="hashmod"}')}`);
      rows = ((await res.json()) as { data: { result: { metric: Record<string, string> }[] } }).data.result;
      if (rows.length < TARGETS.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows).toHaveLength(TARGETS.length);
    for (const r of rows) expect(hashmod(r.metric.instance, 3), r.metric.instance).toBe(Number(r.metric.shard));
    // Not a degenerate split: the targets land in all three shards.
    expect(new Set(rows.map((r) => r.metric.shard)).size).toBe(3);
  });

  it('three shards own disjoint entities whose union, with the same results, is the unsharded run', async () => {
    const whole = await once('--no-predict');
    const parts = await Promise.all([0, 1, 2].map((i) => once('--no-predict', '--shard', `${i}/3`)));
    const key = (t: string) => samples(t, 'aura_anomaly_score');
    const union = new Map<string, number>();
    for (const p of parts) {
      for (const [k, v] of key(p)) {
        expect(union.has(k), `${k} in two shards`).toBe(false);
        union.set(k, v);
      }
    }
    const all = key(whole);
    expect([...union.keys()].sort()).toEqual([...all.keys()].sort());
    // Each entity's timeline is its own: the score does not depend on which shard computed it.
    for (const [k, v] of all) expect(union.get(k)).toBeCloseTo(v, 9);
    const active = (t: string) => [...samples(t, 'aura_anomaly_active')].filter(([, v]) => v === 1).map(([k]) => k);
    expect(parts.flatMap(active).sort()).toEqual(active(whole).sort());
    for (const [i, p] of parts.entries())
      for (const k of key(p).keys()) expect(hashmod(/entity="([^"]+)"/.exec(k)![1], 3)).toBe(i);
  }, 180_000);

  it('serves /metrics, /healthz and /readyz; survives Prometheus going away; stops on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn('node', [...watchArgs(), '--no-predict', '--interval', '1s', '--listen', `127.0.0.1:${port}`], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => (log += d));
    const until = async (what: string, ok: () => Promise<boolean>, seconds: number) => {
      const deadline = Date.now() + seconds * 1000;
      while (!(await ok().catch(() => false))) {
        if (child.exitCode !== null) throw new Error(`aura watch exited (${child.exitCode}): ${log}`);
        if (Date.now() > deadline) throw new Error(`${what} not within ${seconds} s: ${log.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const status = async (path: string) => (await fetch(url + path)).status;
    try {
      await until('healthz', async () => (await status('/healthz')) === 200, 30);
      await until('ready', async () => (await status('/readyz')) === 200, 60);
      const text = await (await fetch(url + '/metrics')).text();
      await checkMetrics(text);
      expect(samples(text, 'aura_anomaly_active').size).toBe(30);

      await prom.stop();
      await until('not ready', async () => (await status('/readyz')) === 503, 30);
      expect(await status('/healthz')).toBe(200);
      const down = await (await fetch(url + '/metrics')).text();
      expect(samples(down, 'aura_prometheus_request_errors_total').get('{code="network"}')).toBeGreaterThan(0);
      // The last results stay served while Prometheus is away.
      expect(samples(down, 'aura_anomaly_active').size).toBe(30);

      await prom.start();
      await until('ready again', async () => (await status('/readyz')) === 200, 60);
      expect(log).toMatch(/poll failed .* retrying in/);
    } finally {
      if (prom) await prom.start().catch(() => {});
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
      expect(code).toBe(0);
    }
  }, 240_000);
});

describe.runIf(run)('aura rules', () => {
  const rulesDir = join(repoRoot, 'deploy/rules');
  it('the committed rule file is what `aura rules` prints, and promtool checks it', async () => {
    const { stdout } = await exec('node', [aura, 'rules'], { cwd: repoRoot });
    expect(stdout).toBe(readFileSync(join(rulesDir, 'aura.rules.yml'), 'utf8'));
    const { stdout: check } = await exec('promtool', ['check', 'rules', join(rulesDir, 'aura.rules.yml')]);
    expect(check).toMatch(/SUCCESS: 9 rules found/);
  });

  it('the promtool unit tests (input series → expected alerts) pass', async () => {
    const { stdout } = await exec('promtool', ['test', 'rules', 'aura.rules.test.yml'], { cwd: rulesDir });
    expect(stdout).toMatch(/SUCCESS/);
  });

  it('--format prometheusrule is a PrometheusRule manifest whose rules promtool accepts', async () => {
    const { stdout } = await exec('node', [aura, 'rules', '--format', 'prometheusrule', '--for', '1m'], {
      cwd: repoRoot,
    });
    expect(stdout).toMatch(/^apiVersion: monitoring.coreos.com\/v1\nkind: PrometheusRule\n/);
    // The spec is a rule file indented by two: promtool checks it as one.
    const body = stdout.split('\nspec:\n')[1].replace(/^ {2}/gm, '');
    const tmp = join(mkdtempSync(join(tmpdir(), 'aura-rules-')), 'prometheusrule.yml');
    writeFileSync(tmp, body);
    const { stdout: ok } = await exec('promtool', ['check', 'rules', tmp]);
    expect(ok).toMatch(/SUCCESS: 9 rules found/);
  });

  it('bad options say what to write', async () => {
    const err = await exec('node', [aura, 'rules', '--for', 'ten'], { cwd: repoRoot }).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/--for must be a Prometheus duration/);
    const w = await exec('node', [aura, 'watch', '--prometheus', 'http://127.0.0.1:1', '--shard', '3/3', '--once'], {
      cwd: repoRoot,
    }).catch((e) => e);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/I must be from 0 to N-1/);
    const down = await exec('node', [aura, 'watch', '--prometheus', 'http://127.0.0.1:1', '--once', '--no-predict'], {
      cwd: repoRoot,
    }).catch((e) => e);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/Could not reach Prometheus at http:\/\/127.0.0.1:1/);
  });
});
