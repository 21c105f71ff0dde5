// The app's built-in demo: 24 h of 15 s samples, 5 hosts × 10 metrics = 50 series. A memory leak on host-3
// heads for OOM 40 minutes after the last sample, a sawtooth disk fill on host-2 runs out 5 h after it,
// a CPU runaway on host-1 breached the latency SLO mid-morning; benign look-alikes: an afternoon traffic
// spike, a deploy restart, a nightly cron burst and a cache warm-up.
import { generateScenario, type SynthResult } from './generate.ts';

const HOUR = 3600e3;
export const DEMO_START = Date.UTC(2026, 0, 5);
export const DEMO_SEED = 7;

export function demoScenario(): SynthResult {
  const start = DEMO_START;
  const end = start + 24 * HOUR;
  return generateScenario({
    hosts: 5,
    hours: 24,
    stepSeconds: 15,
    seed: DEMO_SEED,
    start,
    metricSet: 'core',
    scenarios: [
      { scenario: 'cron_burst', onset: start + 2 * HOUR },
      { scenario: 'cpu_saturation', host: 'host-1', onset: start + 8.5 * HOUR, failure: start + 10.2 * HOUR },
      { scenario: 'deploy_restart', host: 'host-4', onset: start + 12.8 * HOUR },
      { scenario: 'cache_warmup', host: 'host-5', onset: start + 14 * HOUR },
      { scenario: 'traffic_spike', onset: start + 16.3 * HOUR },
      { scenario: 'memory_leak', host: 'host-3', onset: end - 8 * HOUR, failure: end + 40 * 60e3 },
      { scenario: 'disk_fill', host: 'host-2', onset: end - 9 * HOUR, failure: end + 5 * HOUR },
    ],
  });
}
