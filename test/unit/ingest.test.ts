import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importBytes,
  importStream,
  importText,
  IngestError,
  parseTime,
  zoneResolver,
} from '../../src/lib/ingest/index.ts';
import type { MetricFrame, Series } from '../../src/lib/frame/types.ts';
import { seriesKey } from '../../src/lib/frame/types.ts';
import { repoRoot } from '../helpers/env.ts';

const fixture = (name: string) => readFileSync(resolve(repoRoot, 'test/fixtures/ingest', name));
const load = (name: string, opts = {}) => importBytes(fixture(name), { origin: name, ...opts });

function byKey(frame: MetricFrame): Record<string, Series> {
  return Object.fromEntries(frame.series.map((s) => [seriesKey(s), s]));
}
const arr = (a: Float64Array) => Array.from(a);
const T0 = Date.UTC(2024, 0, 1);

describe('wide CSV', () => {
  it('sorts rows, keeps the last duplicate, skips empty cells, rejects bad rows with line numbers', () => {
    const f = load('wide.csv');
    expect(f.meta.format).toBe('wide-csv');
    const s = byKey(f);
    expect(arr(s.cpu.timestamps)).toEqual([0, 1, 2, 3].map((m) => T0 + m * 60_000));
    expect(arr(s.cpu.values)).toEqual([1.5, 2, Infinity, 3]);
    expect(arr(s.mem.timestamps)).toEqual([0, 2, 3].map((m) => T0 + m * 60_000));
    expect(arr(s.mem.values)).toEqual([10, 11, 13]);
    expect(f.meta.duplicates).toBe(2);
    expect(f.meta.rejected.count).toBe(3);
    expect(f.meta.rejected.examples.map((e) => e.line)).toEqual([7, 8, 9]);
    expect(f.meta.rejected.examples[0].reason).toContain("'oops'");
    expect(f.meta.rejected.examples[1].reason).toContain('expected 3 fields');
  });

  it('reads Grafana exports: sep= line, semicolons, decimal commas, CRLF, several frames, labels in headers', () => {
    const f = load('grafana.csv');
    const s = byKey(f);
    expect(Object.keys(s).sort()).toEqual([
      'node_load1{instance="a:9100",job="node"}',
      'node_load1{instance="b:9100",job="node"}',
      'up{instance="<script>alert(1)</script>"}',
    ]);
    expect(arr(s['node_load1{instance="a:9100",job="node"}'].values)).toEqual([0.5, 0.75, 1]);
    expect(arr(s['node_load1{instance="b:9100",job="node"}'].values)).toEqual([1.25, 1.5]);
    // Header markup is data: kept verbatim as a label value.
    expect(arr(s['up{instance="<script>alert(1)</script>"}'].timestamps)).toEqual([T0, T0 + 15_000]);
    expect(f.meta.rejected.count).toBe(0);
  });

  it('reads UTF-16LE with BOM and tabs', () => {
    const s = byKey(load('grafana-utf16.csv'));
    expect(arr(s['cpu{instance="a"}'].values)).toEqual([1, 2]);
  });

  it('reads UTF-8 with BOM and a headerless file', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('time,v\n1704067200,1\n')]);
    expect(importBytes(bom).series[0].name).toBe('v');
    const f = importText('1704067200,1\n1704067260,2\n');
    expect(f.series[0].name).toBe('value');
    expect(arr(f.series[0].timestamps)).toEqual([T0, T0 + 60_000]);
  });

  it('reads NaN/Inf spellings and treats null as missing', () => {
    const f = importText('ts,a\n1,nan\n2,+Inf\n3,-inf\n4,null\n5,Infinity\n');
    expect(arr(f.series[0].values)).toEqual([NaN, Infinity, -Infinity, Infinity]);
  });

  it('explains a file with nothing usable', () => {
    expect(() => importText('time,a\nyesterday,1\n')).toThrow(IngestError);
    expect(() => importText('time,a\nyesterday,1\n')).toThrow(/line 2: timestamp 'yesterday'/);
    expect(() => importText('')).toThrow(/empty/);
    expect(() => importText('time,a\n')).toThrow(/nothing usable/);
  });

  it('hints at formatted exports', () => {
    const f = importText('time,a\n1704067200,45 %\n1704067260,1\n');
    expect(f.meta.rejected.examples[0].reason).toMatch(/Formatted data/);
  });

  it('reports an unterminated quote and carries on', () => {
    const f = importText('time,a\n1704067200,"1\n1704067260,2\n');
    expect(f.meta.rejected.examples[0]).toEqual({ line: 2, reason: expect.stringContaining('unterminated quote') });
    expect(arr(f.series[0].values)).toEqual([2]);
  });

  it('keeps quoted newlines and counts lines across them', () => {
    const f = importText('time,"a\nb"\n1704067200,1\n1704067260,x\n');
    expect(f.series[0].name).toBe('a\nb');
    expect(f.meta.rejected.examples[0].line).toBe(4);
  });
});

describe('long CSV', () => {
  it('reads name{labels} metrics', () => {
    const f = load('long.csv');
    expect(f.meta.format).toBe('long-csv');
    const s = byKey(f);
    expect(arr(s['node_load1{instance="a"}'].values)).toEqual([0.5, 0.7, -Infinity]);
    expect(arr(s['node_load1{instance="b"}'].timestamps)).toEqual([T0]);
    expect(f.meta.rejected.examples).toEqual([{ line: 7, reason: "value 'bad' in column 'value' is not a number" }]);
  });

  it('reads label columns and marks _total-less counters by name only', () => {
    const f = load('long-labels.csv');
    const s = byKey(f);
    expect(arr(s['node_cpu_seconds_total{instance="a",mode="idle"}'].values)).toEqual([100, 160]);
    expect(s['node_cpu_seconds_total{instance="a",mode="user"}'].kind).toBe('counter');
    expect(f.meta.rejected.examples[0].line).toBe(6);
  });

  it('reads label-only long tables (time, host, value)', () => {
    const f = importText('timestamp,host,value\n1704067200,a,1\n1704067200,b,2\n');
    expect(Object.keys(byKey(f)).sort()).toEqual(['value{host="a"}', 'value{host="b"}']);
  });
});

describe('InfluxDB annotated CSV', () => {
  it('reads several tables, tags as labels, booleans as 0/1', () => {
    const f = load('influx.csv');
    expect(f.meta.format).toBe('influx-csv');
    const s = byKey(f);
    expect(arr(s['cpu_usage_user{host="web-1"}'].values)).toEqual([12.5, 13]);
    expect(arr(s['cpu_usage_user{host="web-2"}'].values)).toEqual([40.25]);
    expect(arr(s['system_up{host="web-1"}'].timestamps)).toEqual([T0 + 500, T0 + 10_500]);
    expect(arr(s['system_up{host="web-1"}'].values)).toEqual([1, 0]);
  });
});

describe('InfluxDB 1.x CLI CSV', () => {
  it('reads name,tags,time and one column per field (ns times)', () => {
    const f = load('influx1.csv');
    expect(f.meta.format).toBe('influx1-csv');
    const s = byKey(f);
    expect(arr(s['cpu_usage_idle{cpu="cpu-total",host="web-1"}'].values)).toEqual([97.5, 97]);
    expect(arr(s['cpu_usage_user{cpu="cpu-total",host="web-1"}'].timestamps)).toEqual([T0]);
    expect(arr(s['cpu_usage_user{cpu="cpu-total",host="web-2"}'].values)).toEqual([7]);
    expect(f.meta.rejected.examples).toEqual([
      { line: 5, reason: "value 'oops' in column 'usage_idle' is not a number" },
    ]);
  });
});

describe('Prometheus API JSON', () => {
  it('reads a matrix with NaN/Inf strings; unnamed series keep their labels', () => {
    const f = load('prom-matrix.json');
    expect(f.meta.format).toBe('prom-json');
    const s = byKey(f);
    expect(arr(s['up{instance="a:9100",job="node"}'].timestamps)).toEqual([T0, T0 + 15_000, T0 + 30_500]);
    expect(arr(s['{instance="b:9100"}'].values)).toEqual([NaN, Infinity, -Infinity]);
    expect(f.meta.rejected.examples[0]).toEqual({ line: 11, reason: expect.stringContaining('"x"') });
  });

  it('reads a vector', () => {
    const s = byKey(load('prom-vector.json'));
    expect(arr(s['node_load1{instance="b"}'].timestamps)).toEqual([T0 + 123]);
    expect(arr(s['node_load1{instance="b"}'].values)).toEqual([1.5]);
  });

  it('turns a saved error response into a clear error', () => {
    expect(() => importText('{"status":"error","errorType":"bad_data","error":"parse error"}')).toThrow(
      /bad_data: parse error/,
    );
  });
});

describe('exposition formats', () => {
  it('reads text exposition (ms), TYPE counters, labels with spaces and braces', () => {
    const f = load('exposition.prom');
    expect(f.meta.format).toBe('prom-text');
    const s = byKey(f);
    const ok = s['http_requests_total{code="200",method="post"}'];
    expect(arr(ok.timestamps)).toEqual([T0, T0 + 15_000]);
    expect(ok.kind).toBe('counter');
    expect(s['temperature{room="a b, c}"}'].kind).toBe('gauge');
    expect(arr(s['temperature{room="a b, c}"}'].values)).toEqual([-3.5, NaN]);
    expect(f.meta.rejected.examples.map((e) => e.line)).toEqual([9, 10]);
    expect(f.meta.rejected.examples[0].reason).toMatch(/no timestamp/);
  });

  it('stamps untimed samples with `now` when given', () => {
    const f = load('exposition.prom', { now: T0 });
    expect(arr(byKey(f).untimed_metric.timestamps)).toEqual([T0]);
  });

  it('reads OpenMetrics (seconds), family TYPE lines and exemplars', () => {
    const f = load('openmetrics.txt');
    expect(f.meta.format).toBe('openmetrics');
    const s = byKey(f);
    expect(arr(s['jobs_total{queue="x"}'].timestamps)).toEqual([T0, T0 + 15_500]);
    expect(s['jobs_total{queue="x"}'].kind).toBe('counter');
    expect(s['temp{room="a"}'].kind).toBe('gauge');
  });

  it('reads promtool tsdb dump lines', () => {
    const f = load('promtool-dump.txt');
    expect(f.meta.format).toBe('promtool-dump');
    const s = byKey(f);
    expect(arr(s['node_load1{instance="a\\"b"}'].values)).toEqual([0.5, 1e6]);
    expect(arr(s['up{instance="localhost:9090",job="prometheus"}'].timestamps)).toEqual([T0, T0 + 1000]);
  });
});

describe('timestamps', () => {
  it('reads epochs by magnitude', () => {
    const ms = 1_700_000_000_123;
    expect(parseTime('1700000000.123')).toBe(ms);
    expect(parseTime(String(ms))).toBe(ms);
    expect(parseTime(String(ms * 1000))).toBe(ms);
    expect(parseTime('1700000000123456789')).toBe(ms);
  });

  it('reads ISO 8601 with and without zones', () => {
    expect(parseTime('2024-01-01T00:00:00Z')).toBe(T0);
    expect(parseTime('2024-01-01T01:00:00+01:00')).toBe(T0);
    expect(parseTime('2024-01-01T01:00:00+0100')).toBe(T0);
    expect(parseTime('2024-01-01T00:00:00.123456789Z')).toBe(T0 + 123);
    expect(parseTime('2024-01-01 00:00:00')).toBe(T0);
    expect(parseTime('2024-01-01')).toBe(T0);
    expect(parseTime('2024-02-30 00:00:00')).toBeNaN();
    expect(parseTime('2023-02-29')).toBeNaN();
    expect(parseTime('2024-01-01 25:00:00')).toBeNaN();
  });

  it('applies a fixed offset or an IANA zone (with DST) to times without a zone', () => {
    expect(parseTime('2024-01-01 02:00:00', zoneResolver('+02:00'))).toBe(T0);
    expect(parseTime('2024-01-01 01:00:00', zoneResolver('Europe/Berlin'))).toBe(T0);
    expect(parseTime('2024-07-01 02:00:00', zoneResolver('Europe/Berlin'))).toBe(Date.UTC(2024, 6, 1));
    expect(parseTime('2024-01-01 01:00:00Z', zoneResolver('Europe/Berlin'))).toBe(T0 + 3_600_000);
    expect(() => zoneResolver('Mars/Olympus')).toThrow(/unknown time zone/);
    expect(() => importText('time,a\n2024-01-01 00:00:00,1\n', { timeZone: 'Nowhere/City' })).toThrow(IngestError);
  });
});

describe('importStream', () => {
  it('gives the same frame whatever the chunking, and reports progress', async () => {
    const bytes = fixture('grafana.csv');
    const whole = importBytes(bytes);
    for (const size of [1, 2, 3, 7, 64]) {
      const seen: number[] = [];
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      const f = await importStream(chunks(), { onProgress: (p) => seen.push(p.bytes) });
      expect(f).toEqual(whole);
      expect(seen.at(-1)).toBe(bytes.length);
    }
  });

  it('accepts a ReadableStream and can be cancelled', async () => {
    const bytes = fixture('long.csv');
    const f = await importStream(new Blob([bytes]).stream());
    expect(f.series.length).toBe(2);
    const ac = new AbortController();
    ac.abort(new Error('user cancelled'));
    await expect(importStream(new Blob([bytes]).stream(), { signal: ac.signal })).rejects.toThrow('user cancelled');
  });
});

describe('hostile input streams finish with a clear answer', () => {
  async function* chunked(text: string, size = 64 * 1024) {
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  it('a long text without line ends', async () => {
    await expect(importStream(chunked('x'.repeat(8 << 20)))).rejects.toThrow(IngestError);
  });

  it('an opening quote that never closes, followed by megabytes of rows', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${1704067200 + i},${i}`).join('\n');
    const f = await importStream(chunked(`time,"a\n${rows}\n`));
    expect(f.meta.rejected.examples[0].reason).toMatch(/unterminated quote/);
  });

  it('a JSON file that is not a Prometheus answer', () => {
    expect(() => importText('{"hello": [1, 2]}')).toThrow(/expected \{"status":"success"/);
    expect(() => importText('{"status": "success", "data": {')).toThrow(/not valid JSON/);
  });
});

describe('label names that are JavaScript words', () => {
  it('keeps __proto__ and constructor as ordinary labels in every reader', () => {
    const texts = [
      'time,metric,__proto__,value\n1704067200,up,x,1\n',
      '{__name__="up", __proto__="x"} 1 1704067200000\n',
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","__proto__":"x"},"value":[1704067200,"1"]}]}}',
    ];
    for (const text of texts) {
      const s = importText(text).series[0];
      expect(Object.keys(s.labels)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(s.labels)).toBe(Object.prototype);
      expect(seriesKey(s)).toBe('up{__proto__="x"}');
    }
  });
});
