// A what-if that would change nothing says so, and names the scenarios that would (issue 11 item 16):
// fd_exhaustion on a CPU-only file used to "inject" and then compare two identical copies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { importText } from '../../src/lib/ingest/index.ts';
import { injectScenario, nothingToInject, NothingToInjectError } from '../../src/lib/synth/inject.ts';
import { ALL_SCENARIOS, isFailureScenario } from '../../src/lib/synth/scenarios.ts';

const T0 = Date.UTC(2024, 0, 1);
const STEP = 60_000;
const ROWS = 600; // 10 h

/** A CSV of the given columns: counters (`_total`) rise, gauges wander around a level. */
function csv(columns: string[]): string {
  const lines = [['time', ...columns.map((c) => `"${c.replace(/"/g, '""')}"`)].join(',')];
  for (let i = 0; i < ROWS; i++) {
    const cells = columns.map((c, j) =>
      /_total/.test(c) ? String(100 * i + j) : String(50 + 10 * Math.sin(i / (7 + j)) + j),
    );
    lines.push([String(T0 + i * STEP), ...cells].join(','));
  }
  return lines.join('\n') + '\n';
}

const spec = { onset: T0 + 4 * 3600e3, failure: T0 + 7 * 3600e3 };
const changed = (before: MetricFrame, after: MetricFrame) =>
  after.series.some(
    (s, i) =>
      s.timestamps.length !== before.series[i].timestamps.length ||
      s.values.some((v, k) => !Object.is(v, before.series[i].values[k])),
  );

function nothing(frame: MetricFrame, scenario: (typeof ALL_SCENARIOS)[number], instance: string): string {
  try {
    injectScenario(frame, { scenario, instance, ...spec });
  } catch (e) {
    expect(e).toBeInstanceOf(NothingToInjectError);
    return (e as Error).message;
  }
  throw new Error(`${scenario} was injected`);
}

describe('a scenario that touches nothing', () => {
  it('fd_exhaustion on a CPU-only file: a clear error naming the scenarios that would act (regression)', () => {
    const frame = importText(csv(['node_cpu_seconds_total{mode="idle"}', 'node_cpu_seconds_total{mode="user"}']));
    const message = nothing(frame, 'fd_exhaustion', 'all');
    expect(message).toBe(
      "fd_exhaustion touches no series this file has for 'all': its series are cpu metrics. The copy would " +
        'equal your data; scenarios that would change this data: cpu_saturation, cascading_overload, ' +
        'traffic_spike, deploy_restart, cron_burst.',
    );
    // The form's check, before anything runs, says the same; and nothing for a scenario that acts.
    expect(nothingToInject(frame, { scenario: 'fd_exhaustion', instance: 'all', ...spec })).toBe(message);
    expect(nothingToInject(frame, { scenario: 'cpu_saturation', instance: 'all', ...spec })).toBeNull();
    // And those do change it.
    for (const sc of ['cpu_saturation', 'traffic_spike'] as const) {
      expect(changed(frame, injectScenario(frame, { scenario: sc, instance: 'all', ...spec }).frame)).toBe(true);
    }
  });

  it('a NAB-style `value` column takes its channel from the file name, as the model reads it', () => {
    const frame = importText(csv(['value']), { origin: 'ec2_cpu_utilization_5f5533.csv' });
    expect(changed(frame, injectScenario(frame, { scenario: 'cpu_saturation', instance: 'all', ...spec }).frame)).toBe(
      true,
    );
    expect(nothing(frame, 'memory_leak', 'all')).toContain('its series are cpu metrics');
  });

  it('series AURA does not recognise: says so, and that no scenario acts on them', () => {
    const frame = importText(csv(['widgets', 'gizmos']));
    expect(nothing(frame, 'disk_fill', 'all')).toContain(
      'none of its 2 series is a metric AURA recognises (CPU, load, memory, swap, disk',
    );
    expect(nothing(frame, 'disk_fill', 'all')).toContain('no scenario acts on these series');
  });

  it('property: each scenario either changes the host or names only scenarios that do', () => {
    const names = [
      'node_cpu_seconds_total{mode="idle"}',
      'node_memory_MemAvailable_bytes',
      'node_filesystem_avail_bytes',
      'node_filefd_allocated',
      'node_network_transmit_bytes_total',
      'http_request_duration_seconds',
      'node_load1',
      'widgets',
    ];
    fc.assert(
      fc.property(fc.subarray(names, { minLength: 1 }), fc.constantFrom(...ALL_SCENARIOS), (cols, scenario) => {
        const frame = importText(csv(cols));
        let message: string | null = null;
        try {
          const out = injectScenario(frame, { scenario, instance: 'all', ...spec }).frame;
          expect(changed(frame, out)).toBe(true);
        } catch (e) {
          if (!(e instanceof NothingToInjectError)) throw e;
          message = e.message;
        }
        if (message === null) return;
        const listed = /would change this data: (.*)\.$/.exec(message)?.[1].split(', ') ?? [];
        for (const sc of listed) {
          expect(
            changed(frame, injectScenario(frame, { scenario: sc as typeof scenario, instance: 'all', ...spec }).frame),
          ).toBe(true);
        }
        // And none it left out would have: the list is complete.
        for (const sc of ALL_SCENARIOS.filter((x) => x !== scenario && !listed.includes(x))) {
          expect(() => injectScenario(frame, { scenario: sc, instance: 'all', ...spec })).toThrow(NothingToInjectError);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('escapes control characters in the host name it quotes', () => {
    const frame: MetricFrame = importText(csv(['widgets']));
    const series: Series[] = frame.series.map((s) => ({ ...s, labels: { instance: 'h\u001b[31m' } }));
    const message = nothing({ ...frame, series }, 'disk_fill', 'h\u001b[31m');
    expect(message).toContain("for 'h\\x1b[31m'");
    expect(() => injectScenario(frame, { scenario: 'disk_fill', instance: 'x\u0007', ...spec })).toThrow(
      "no series for 'x\\x07'",
    );
    expect(isFailureScenario('disk_fill')).toBe(true);
  });
});
