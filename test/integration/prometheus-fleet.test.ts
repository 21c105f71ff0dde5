// Prometheus at fleet scale (issue 12 §4): 1,000 hosts × 10 node_exporter metrics × 6 h backfilled into the
// real Debian Prometheus with promtool, read back with the node_exporter presets. Each preset is one query
// across every instance (not one per host), a few requests run at once, and every host comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, nodeExporterPresets } from '../../src/lib/prometheus/index.ts';
import { generateScenario, toOpenMetrics } from '../../src/lib/synth/index.ts';
import { hasPrometheus } from '../helpers/env.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';

const HOSTS = 1000;
const HOURS = 6;
const STEP = 300_000; // 5 min: 72 samples per series, 720,000 in all
const DAY = 86_400_000;
/** Midnight three days ago: backfilled blocks must lie in the past. */
const T0 = Math.floor(Date.now() / DAY - 3) * DAY;

describe.skipIf(!hasPrometheus())('a 1,000-host fleet from a real Prometheus', () => {
  let prom: RunningPrometheus;

  beforeAll(async () => {
    const { frame } = generateScenario({
      hosts: HOSTS,
      hours: HOURS,
      stepSeconds: STEP / 1000,
      seed: 12,
      start: T0,
      metricSet: 'core',
      scenarios: [],
    });
    prom = await startPrometheus({ backfill: toOpenMetrics(frame), readyTimeoutS: 120 });
  }, 300_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it('reads every host with one query per metric, a bounded number at once', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const bodies: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      bodies.push(String(init?.body ?? ''));
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const client = new PrometheusClient({ baseUrl: prom.url, retries: 0, fetch: counting, timeoutMs: 120_000 });
    const presets = nodeExporterPresets({ stepMs: STEP, scrapeIntervalMs: STEP });
    const started = performance.now();
    const frame = await client.rangeFrame(presets, { start: T0 + 3600_000, end: T0 + HOURS * 3600_000, stepMs: STEP });
    const millis = performance.now() - started;
    const queries = bodies.filter((b) => b.includes('query='));
    console.log(
      `${HOSTS} hosts: ${frame.series.length} series from ${queries.length} requests in ${millis.toFixed(0)} ms ` +
        `(at most ${maxInFlight} at once)`,
    );
    // One request per preset (the range fits one chunk): a query per metric, never a query per host.
    expect(queries).toHaveLength(presets.length);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    const instances = new Set(frame.series.map((s) => s.labels.instance));
    expect(instances.size).toBe(HOSTS);
    // Every preset that the generated metrics feed answers for every host.
    const perName = new Map<string, Set<string>>();
    for (const s of frame.series) {
      const set = perName.get(s.name) ?? new Set<string>();
      set.add(s.labels.instance);
      perName.set(s.name, set);
    }
    expect(perName.size).toBeGreaterThanOrEqual(4); // cpu, memory, disk, load: what the generated metrics feed
    for (const [name, hosts] of perName) expect(hosts.size, name).toBe(HOSTS);
  }, 300_000);
});
