// A fleet for live mode against a real Prometheus, shared by test/browser/live-fleet.test.ts and
// bench/live-fleet.bench.ts: an exporter serves `hosts` hosts × 10 metrics, Prometheus scrapes it every
// second, and 12 h of the same series ending 48 h ago are backfilled with promtool as the baseline history.
// `connectFleet` connects the app's form to it (queries summed by host, 1 min of live window, a 72 h baseline).
import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { freePort, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';

export const METRICS = ['cpu', 'memory', 'disk', 'net_rx', 'net_tx', 'load', 'fds', 'latency', 'errors', 'iops'];
const HOUR = 3_600_000;
const HISTORY_HOURS = 12;
const HISTORY_STEP = 300_000;

/** Host h's metric k at time t (ms): a daily-ish wave per host and metric, and some noise. */
function value(h: number, k: number, t: number): number {
  return 100 * (k + 1) + 10 * Math.sin(t / 600_000 + h + k) + 3 * Math.sin(t / 7_000 + 2 * h) + Math.random();
}

function exposition(hosts: number, t: number): string {
  const lines: string[] = [];
  METRICS.forEach((m, k) => {
    lines.push(`# TYPE aura_fleet_${m} gauge`);
    for (let h = 0; h < hosts; h++) lines.push(`aura_fleet_${m}{host="host-${h}"} ${value(h, k, t).toFixed(3)}`);
  });
  return lines.join('\n') + '\n';
}

/** The history: 12 h from 60 h ago at 5 min (backfilled blocks must lie in the past). */
function history(hosts: number): string {
  const t0 = Math.floor((Date.now() - 60 * HOUR) / HOUR) * HOUR;
  const lines: string[] = [];
  METRICS.forEach((m, k) => {
    lines.push(`# TYPE aura_fleet_${m} gauge`);
    for (let h = 0; h < hosts; h++)
      for (let t = t0; t < t0 + HISTORY_HOURS * HOUR; t += HISTORY_STEP)
        lines.push(`aura_fleet_${m}{host="host-${h}"} ${value(h, k, t).toFixed(3)} ${t / 1000}`);
  });
  return lines.join('\n') + '\n# EOF\n';
}

export interface FleetSource {
  prom: RunningPrometheus;
  stop(): Promise<void>;
}

/** The exporter and a Prometheus scraping it, with the history backfilled. */
export async function startFleetSource(hosts: number): Promise<FleetSource> {
  const port = await freePort();
  const exporter = createServer((_, res) => res.end(exposition(hosts, Date.now())));
  await new Promise<void>((r) => exporter.listen(port, '127.0.0.1', r));
  try {
    const prom = await startPrometheus({
      backfill: history(hosts),
      targets: [`127.0.0.1:${port}`],
      readyTimeoutS: 300,
    });
    return {
      prom,
      async stop() {
        await prom.stop();
        await new Promise((r) => exporter.close(r));
      },
    };
  } catch (e) {
    exporter.close();
    throw e;
  }
}

/** Fills the live form for the fleet and presses Connect. */
export async function connectFleet(page: Page, promUrl: string): Promise<void> {
  const form = page.locator('section.live');
  await form.locator('input[type=url]').fill(promUrl);
  await form.getByLabel('My PromQL queries').check();
  await form
    .getByLabel('PromQL queries, one per line')
    .fill(METRICS.map((m) => `sum by (host) (aura_fleet_${m})`).join('\n'));
  await form.getByLabel('History (min)').fill('1');
  await form.getByLabel('Scrape interval (s)').fill('1');
  await form.getByLabel('Baseline history (h)').fill('72');
  await form.getByRole('button', { name: 'Connect' }).click();
}
