// Results without `__name__` (rate(), sums, ratios) are named by their query, and results of different
// queries stay different series (issue 11 item 10). The server here answers with Prometheus' own JSON
// through the client's `fetch` option; test/integration/prometheus-names.test.ts does the same against a
// real Prometheus.
import { describe, expect, it } from 'vitest';
import { seriesKey } from '../../src/lib/frame/types.ts';
import { PrometheusClient, queryName } from '../../src/lib/prometheus/index.ts';

const T = 28_333_333 * 60_000; // on the 1-min grid the client aligns ranges to

/** A query_range answer per query: the same `{instance="h1"}` labels for every query, values by query. */
function server(results: Record<string, { metric: Record<string, string>; base: number }[]>): typeof fetch {
  return async (_url, init) => {
    const form = new URLSearchParams(String(init?.body));
    const query = form.get('query')!;
    const start = Number(form.get('start')) * 1000;
    const end = Number(form.get('end')) * 1000;
    const step = Number(form.get('step')) * 1000;
    const result = (results[query] ?? []).map((r) => {
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += step) values.push([t / 1000, String(r.base + (t - T) / step)]);
      return { metric: r.metric, values };
    });
    return new Response(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
  };
}

describe('series names from Prometheus queries', () => {
  it('names results without __name__ by their query; two rate() queries stay two series (regression)', async () => {
    const h1 = { instance: 'h1' };
    const fetch = server({
      'rate(a_total[1m])': [{ metric: h1, base: 0 }],
      'rate(b_total[1m])': [{ metric: h1, base: 100 }],
    });
    const client = new PrometheusClient({ baseUrl: 'http://prom.test', fetch });
    const frame = await client.rangeFrame([{ query: 'rate(a_total[1m])' }, { query: 'rate(b_total[1m])' }], {
      start: T,
      end: T + 60_000 * 4,
      stepMs: 60_000,
    });
    expect(frame.series.map((s) => [seriesKey(s), Array.from(s.values)])).toEqual([
      ['rate(a_total[1m]){instance="h1"}', [0, 1, 2, 3, 4]],
      ['rate(b_total[1m]){instance="h1"}', [100, 101, 102, 103, 104]],
    ]);
    expect(frame.meta.duplicates).toBe(0);
  });

  it('keeps apart results of different queries with one name, and stitches each across chunks', async () => {
    const fetch = server({
      up: [{ metric: { __name__: 'up', instance: 'h1' }, base: 0 }],
      'up > -1': [{ metric: { __name__: 'up', instance: 'h1' }, base: 50 }],
    });
    const client = new PrometheusClient({ baseUrl: 'http://prom.test', fetch });
    const frame = await client.rangeFrame([{ query: 'up' }, { query: 'up > -1' }], {
      start: T,
      end: T + 60_000 * 9,
      stepMs: 60_000,
      maxPointsPerRequest: 3, // four requests per query
    });
    expect(frame.series.map((s) => [seriesKey(s), s.values.length, s.values[9]])).toEqual([
      ['up{instance="h1"}', 10, 9],
      ['up #2{instance="h1"}', 10, 59],
    ]);
    expect(frame.meta.duplicates).toBe(0);
  });

  it('an explicit name wins; a query on several lines becomes one', () => {
    expect(queryName({ query: 'x', name: 'node_cpu_busy_ratio' })).toBe('node_cpu_busy_ratio');
    expect(queryName({ query: ' sum by (instance) (\n  rate(x[5m])\n) ' })).toBe('sum by (instance) ( rate(x[5m]) )');
  });

  it('an instant query is named the same way', async () => {
    const fetch: typeof globalThis.fetch = async () =>
      new Response(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: { instance: 'h1' }, value: [T / 1000, '0.5'] }] },
        }),
      );
    const client = new PrometheusClient({ baseUrl: 'http://prom.test', fetch });
    const frame = await client.query('avg by (instance) (rate(c_total[5m]))');
    expect(seriesKey(frame.series[0])).toBe('avg by (instance) (rate(c_total[5m])){instance="h1"}');
  });
});
