// The fleet the watch tests backfill into a real Prometheus: generated node_exporter-like hosts, a few of
// them failing at known times near the end, shifted so the data ends just before the test starts (the
// watch reads "now"). OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
import { generateScenario, toOpenMetrics, type ScenarioLabel } from '../../src/lib/synth/index.ts';

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
