// Against the real Debian Prometheus: rate() drops `__name__`, so two counters of one host answered with the
// same label set `{instance="h1"}` and one of the two series was cut (issue 11 item 10). Now each result is
// named by its query and both come back sample for sample.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriesKey } from '../../src/lib/frame/types.ts';
import { PrometheusClient } from '../../src/lib/prometheus/index.ts';
import { hasPrometheus } from '../helpers/env.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';

const DAY = 86_400_000;
const STEP = 15_000;
const N = 120; // 30 min at 15 s
/** Midnight five days ago: backfilled blocks must lie in the past. */
const T0 = Math.floor(Date.now() / DAY - 5) * DAY;

function backfill(): string {
  const out = ['# TYPE a counter', '# TYPE b counter'];
  for (let i = 0; i < N; i++) {
    const t = (T0 + i * STEP) / 1000;
    out.push(`a_total{instance="h1"} ${2 * 15 * i} ${t}`); // 2 per second
    out.push(`b_total{instance="h1"} ${7 * 15 * i} ${t}`); // 7 per second
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}

describe.skipIf(!hasPrometheus())('series names from a real Prometheus', () => {
  let prom: RunningPrometheus;
  let client: PrometheusClient;

  beforeAll(async () => {
    prom = await startPrometheus({ backfill: backfill() });
    client = new PrometheusClient({ baseUrl: prom.url, retries: 0 });
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('two rate() queries with the same labels stay two series, named by their queries', async () => {
    const range = { start: T0 + 5 * 60_000, end: T0 + 25 * 60_000, stepMs: 60_000 };
    const frame = await client.rangeFrame(
      [{ query: 'rate(a_total[2m])' }, { query: 'rate(b_total[2m])' }, { query: 'rate(a_total[2m])' }],
      range,
    );
    const keys = frame.series.map(seriesKey);
    expect(keys).toEqual([
      'rate(a_total[2m]){instance="h1"}',
      'rate(b_total[2m]){instance="h1"}',
      'rate(a_total[2m]) #2{instance="h1"}',
    ]);
    const rates = frame.series.map((s) => [s.values.length, Math.min(...s.values), Math.max(...s.values)]);
    expect(rates[0]).toEqual([21, 2, 2]);
    expect(rates[1]).toEqual([21, 7, 7]);
    expect(rates[2]).toEqual(rates[0]);
    expect(frame.meta.duplicates).toBe(0);
  });
});
