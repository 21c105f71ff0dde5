// The deployment files: `kubectl kustomize deploy/k8s` renders the shard StatefulSet (N = replicas), and
// every query of the Grafana dashboard (panels, annotations, the entity variable) runs on a real Prometheus.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPrometheus, isCI, repoRoot } from '../helpers/env.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';

const exec = promisify(execFile);

function hasKubectl(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v kubectl']);
    return true;
  } catch {
    const msg = 'SKIPPED: kubectl is missing (install Debian package `kubernetes-client`)';
    if (isCI) throw new Error(`${msg}; it is mandatory when CI=true`);
    console.warn(msg);
    return false;
  }
}

describe.runIf(hasKubectl())('deploy/k8s', () => {
  it('renders; the shard count equals the replica count; probes use /readyz and /healthz', async () => {
    const { stdout } = await exec('kubectl', ['kustomize', join(repoRoot, 'deploy/k8s')]);
    const docs = stdout.split(/^---$/m);
    const sts = docs.find((d) => /kind: StatefulSet/.test(d))!;
    expect(sts).toBeDefined();
    const replicas = Number(/replicas: (\d+)/.exec(sts)![1]);
    const shards = Number(/name: SHARDS\s+value: "(\d+)"/.exec(sts)![1]);
    expect(shards).toBe(replicas);
    expect(sts).toContain('--shard "${POD_NAME##*-}/$SHARDS"');
    expect(sts).toMatch(/path: \/readyz/);
    expect(sts).toMatch(/path: \/healthz/);
    expect(stdout).toMatch(/kind: Service\n[\s\S]*clusterIP: None/);
    expect(stdout).toContain('namespace: aura');
  });
});

describe.runIf(hasPrometheus())('deploy/grafana/aura.json', () => {
  let prom: RunningPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus();
  }, 90_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it('every panel, annotation and variable query runs without error', async () => {
    const dash = JSON.parse(readFileSync(join(repoRoot, 'deploy/grafana/aura.json'), 'utf8'));
    const exprs: string[] = [];
    for (const p of dash.panels) for (const t of p.targets) exprs.push(t.expr);
    for (const a of dash.annotations.list) if (a.expr) exprs.push(a.expr);
    expect(exprs.length).toBeGreaterThan(10);
    // Grafana's substitutions: the entity variable's "All" value and the rate interval.
    const grafana = (e: string) => e.replaceAll('$entity', '.*').replaceAll('$__rate_interval', '1m');
    for (const e of exprs) {
      const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(grafana(e))}`);
      const body = (await res.json()) as { status: string; error?: string };
      expect(body.status, `${e}: ${body.error}`).toBe('success');
    }
    // label_values(metric, label) is /api/v1/label/<label>/values?match[]=metric.
    const v = dash.templating.list.find((t: { name: string }) => t.name === 'entity');
    const [, metric, label] = /^label_values\((\w+), (\w+)\)$/.exec(v.query.query)!;
    const res = await fetch(`${prom.url}/api/v1/label/${label}/values?match[]=${metric}`);
    expect(((await res.json()) as { status: string }).status).toBe('success');
  });
});
