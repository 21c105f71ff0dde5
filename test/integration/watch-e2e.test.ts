// End to end, all on loopback: a promtool-backfilled fleet of 300 hosts, six failing at known times, read
// by three `aura watch` shards; Prometheus scrapes them and evaluates `aura rules`; Alertmanager delivers
// to a webhook here. One shard is killed and restarted mid-test: after re-reading its history it serves
// the same results, and every failing host's alert reaches the webhook exactly once (grouped by entity).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashmod } from '../../src/lib/export/hashmod.ts';
import { hasPrometheus, isCI, repoRoot } from '../helpers/env.ts';
import { freePort } from '../helpers/prometheus.ts';
import { fleet, startPrometheusWith, startServer, type Server } from './watch-fleet.ts';

const exec = promisify(execFile);
const aura = join(repoRoot, 'bin/aura.js');
const FAILING = ['host-17', 'host-58', 'host-101', 'host-166', 'host-230', 'host-289'];
const SHARDS = 3;

function hasAlertmanager(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v prometheus-alertmanager']);
    return true;
  } catch {
    const msg = 'SKIPPED: prometheus-alertmanager is missing (install Debian package `prometheus-alertmanager`)';
    if (isCI) throw new Error(`${msg}; it is mandatory when CI=true`);
    console.warn(msg);
    return false;
  }
}

interface Delivery {
  entity: string;
  alerts: string[];
}

const run = hasPrometheus() && hasAlertmanager();

describe.runIf(run)('aura watch end to end: shards → Prometheus rules → Alertmanager → webhook', () => {
  // The failures are due 10 min after the data ends, their causes 2 h old: clearly failing whenever the shards
  // read (a failure due in 20 min with a 90-min cause was read as one by one run and not by the next).
  const f = fleet({ hosts: 300, hours: 3, failing: FAILING, endAgoMs: 0, seed: 21, leadMin: 120, afterMin: 10 });
  const deliveries: Delivery[] = [];
  let hook: HttpServer;
  let am: Server;
  let prom: Server;
  const shards: { port: number; child: ChildProcess | null; log: string }[] = [];

  const startShard = (i: number) => {
    const s = shards[i];
    s.log = '';
    const child = spawn(
      'node',
      [
        aura,
        'watch',
        '--prometheus',
        prom.url,
        '--query',
        '{__name__=~"node_.+|http_.+"}',
        '--step',
        '1m',
        '--baseline',
        '3h',
        '--delay',
        '3m',
        '--interval',
        '2s',
        '--workers',
        '1',
        '--shard',
        `${i}/${SHARDS}`,
        '--listen',
        `127.0.0.1:${s.port}`,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr!.on('data', (d) => (s.log = (s.log + d).slice(-3000)));
    s.child = child;
  };
  const metrics = async (i: number) => (await fetch(`http://127.0.0.1:${shards[i].port}/metrics`)).text();
  const ready = async (i: number) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${shards[i].port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      if (shards[i].child?.exitCode != null || Date.now() > deadline)
        throw new Error(`shard ${i} not ready: ${shards[i].log}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  beforeAll(async () => {
    const hookPort = await freePort();
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const doc = JSON.parse(body) as {
          groupLabels: { entity?: string };
          alerts: { labels: { alertname: string } }[];
        };
        deliveries.push({ entity: doc.groupLabels.entity ?? '', alerts: doc.alerts.map((a) => a.labels.alertname) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(hookPort, '127.0.0.1', r));
    am = await startServer({
      name: 'alertmanager',
      command: 'prometheus-alertmanager',
      readyPath: '/-/ready',
      prepare: (dir) =>
        writeFileSync(
          join(dir, 'am.yml'),
          [
            'route:',
            '  receiver: hook',
            '  group_by: [entity]',
            '  group_wait: 1s',
            '  group_interval: 1h',
            '  repeat_interval: 24h',
            'receivers:',
            '  - name: hook',
            '    webhook_configs:',
            `      - { url: 'http://127.0.0.1:${hookPort}/', send_resolved: false }`,
            '',
          ].join('\n'),
        ),
      args: (port, dir) => [
        `--config.file=${join(dir, 'am.yml')}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
    });
    for (let i = 0; i < SHARDS; i++) shards.push({ port: await freePort(), child: null, log: '' });
    const { stdout: rules } = await exec('node', [aura, 'rules', '--for', '5s', '--job', 'aura'], { cwd: repoRoot });
    prom = await startPrometheusWith((_port, dir) => {
      writeFileSync(join(dir, 'aura.rules.yml'), rules);
      return [
        'global: { scrape_interval: 3s, scrape_timeout: 3s, evaluation_interval: 1s }',
        'rule_files: [aura.rules.yml]',
        'alerting:',
        '  alertmanagers:',
        `    - static_configs: [{ targets: ['127.0.0.1:${am.port}'] }]`,
        'scrape_configs:',
        '  - job_name: aura',
        '    static_configs:',
        `      - targets: [${shards.map((s) => `'127.0.0.1:${s.port}'`).join(', ')}]`,
        '',
      ].join('\n');
    }, f.openMetrics);
    for (let i = 0; i < SHARDS; i++) startShard(i);
  }, 180_000);

  afterAll(async () => {
    for (const s of shards) s.child?.kill('SIGTERM');
    await prom?.dispose();
    await am?.dispose();
    await new Promise((r) => (hook ? hook.close(r) : r(null)));
  });

  it('every failing host alerts exactly once, through a shard restart', async () => {
    for (let i = 0; i < SHARDS; i++) await ready(i);
    // Kill shard 0 hard, then restart it: it re-reads its history and serves the same results.
    const before = await metrics(0);
    const killed = new Promise((r) => shards[0].child!.once('exit', r));
    shards[0].child!.kill('SIGKILL');
    await killed;
    startShard(0);
    await ready(0);
    const after = await metrics(0);
    const lines = (t: string, m: string) =>
      t
        .split('\n')
        .filter((l) => l.startsWith(`${m}{`))
        .sort();
    for (const m of ['aura_anomaly_active', 'aura_failure_scenario_info', 'aura_entities'])
      expect(lines(after, m), m).toEqual(lines(before, m));
    expect(lines(after, 'aura_anomaly_active').length).toBe(f.hosts.filter((h) => hashmod(h, SHARDS) === 0).length);

    // Wait for every failing host's notification, then a little longer for duplicates to show.
    const deadline = Date.now() + 120_000;
    while (!FAILING.every((h) => deliveries.some((d) => d.entity === h)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 1000));
    await new Promise((r) => setTimeout(r, 8000));
    const per = new Map<string, number>();
    for (const d of deliveries) per.set(d.entity, (per.get(d.entity) ?? 0) + 1);
    const healthy = [...per.keys()].filter((e) => !FAILING.includes(e));
    console.log(
      `e2e: ${deliveries.length} notifications; failing hosts alerted ${FAILING.filter((h) => per.has(h)).length}/${FAILING.length}; ` +
        `healthy hosts alerted ${healthy.length}/${300 - FAILING.length}; alerts: ${[...new Set(deliveries.flatMap((d) => d.alerts))].join(', ')}`,
    );
    const alerts = await (await fetch(`${prom.url}/api/v1/alerts`)).text();
    const missing = FAILING.filter((h) => !per.has(h));
    expect(missing, `no notification for ${missing.join(', ')}; Prometheus alerts: ${alerts.slice(0, 1500)}`).toEqual(
      [],
    );
    for (const h of FAILING) expect(per.get(h), `${h} notifications`).toBe(1);
    for (const [e, n] of per) expect(n, `${e} notifications`).toBe(1);
    // Few false alarms among the 294 healthy hosts.
    expect(healthy.length).toBeLessThanOrEqual(15);
  }, 300_000);
});
