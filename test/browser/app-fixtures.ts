// Files the browser tests drop on the app, generated (never committed): a small fleet and a hostile header.
import { generateScenario, toWideCsv } from '../../src/lib/synth/index.ts';

/** `hosts` hosts (default 2), 6 hours at 30 s, host-2 leaking memory: a realistic small file an operator might drop. */
export function smallFleetCsv(hosts = 2): string {
  const start = Date.UTC(2026, 2, 2);
  const { frame } = generateScenario({
    hosts,
    hours: 6,
    stepSeconds: 30,
    seed: 11,
    start,
    metricSet: 'core',
    scenarios: [{ scenario: 'memory_leak', host: 'host-2', onset: start + 3 * 3600e3, failure: start + 6.5 * 3600e3 }],
  });
  return toWideCsv(frame);
}

/** A series name that is markup with a script in it. */
export const hostileHeader = '<img src=x onerror="alert(1);window.__pwned=1">';

/** One series under the hostile header: 600 minutes of a wave. */
export function hostileCsv(): string {
  const lines = [`timestamp,${hostileHeader}`];
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 600; i++) {
    lines.push(`${new Date(t0 + i * 60e3).toISOString()},${(Math.sin(i / 9) + 0.1 * Math.cos(i * 1.7)).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}
