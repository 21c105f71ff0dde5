// Two sources with one name stay two series (issue 11 item 9): a second `cpu` column used to overwrite the
// first (its samples counted as duplicate timestamps), and only `aura inspect` said so.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricFrame } from '../../src/lib/frame/types.ts';
import { seriesKey } from '../../src/lib/frame/types.ts';
import { importText } from '../../src/lib/ingest/index.ts';
import { distinctIds, type SeriesId } from '../../src/lib/ingest/selector.ts';

const byKey = (f: MetricFrame) => new Map(f.series.map((s) => [seriesKey(s), Array.from(s.values)]));

describe('duplicate names', () => {
  it('wide CSV: a second `cpu` column is kept as `cpu #2` (regression: it overwrote the first)', () => {
    const f = importText('time,cpu,mem,cpu\n1700000000,1,10,100\n1700000015,2,20,200\n');
    expect(byKey(f)).toEqual(
      new Map([
        ['cpu', [1, 2]],
        ['mem', [10, 20]],
        ['cpu #2', [100, 200]],
      ]),
    );
    expect(f.meta.duplicates).toBe(0);
  });

  it('wide CSV: the same selector twice keeps its labels; a column already called `cpu #2` is not taken', () => {
    const f = importText('time,cpu{host="a"},cpu #2,cpu{host="a"}, cpu{host="b"}\n1700000000,1,2,3,4\n');
    expect([...byKey(f).keys()]).toEqual(['cpu{host="a"}', 'cpu #2', 'cpu #2{host="a"}', 'cpu{host="b"}']);
    expect(byKey(f).get('cpu #2{host="a"}')).toEqual([3]);
  });

  it('long CSV: two label columns with one name both stay labels', () => {
    const f = importText('time,metric,value,host,host\n1700000000,cpu,1,a,b\n1700000000,cpu,2,a,c\n');
    expect([...byKey(f).keys()]).toEqual(['cpu{host="a",host #2="b"}', 'cpu{host="a",host #2="c"}']);
  });

  it('InfluxDB 1.x CSV: a repeated field column is its own series', () => {
    const f = importText('name,tags,time,usage,usage\ncpu,host=a,1704067200000000000,1,2\n');
    expect(byKey(f)).toEqual(
      new Map([
        ['cpu_usage{host="a"}', [1]],
        ['cpu_usage #2{host="a"}', [2]],
      ]),
    );
  });

  it('InfluxDB annotated CSV: two measurement/field pairs that spell one name stay apart', () => {
    const head = '#datatype,string,long,dateTime:RFC3339,double,string,string,string\n';
    const f = importText(
      head +
        ',result,table,_time,_value,_field,_measurement,host\n' +
        ',,0,2024-01-01T00:00:00Z,1,usage_idle,cpu,a\n' +
        ',,1,2024-01-01T00:00:00Z,2,idle,cpu_usage,a\n' +
        ',,1,2024-01-01T00:00:10Z,3,idle,cpu_usage,a\n',
    );
    expect(byKey(f)).toEqual(
      new Map([
        ['cpu_usage_idle{host="a"}', [1]],
        ['cpu_usage_idle #2{host="a"}', [2, 3]],
      ]),
    );
  });

  it('Prometheus JSON: two results with one label set (an edited file) are both kept', () => {
    const r = (v: string) => ({ metric: { instance: 'h1' }, values: [[1700000000, v]] });
    const f = importText(
      JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [r('1'), r('2')] } }),
    );
    expect(f.series.map((s) => [seriesKey(s), s.values[0]])).toEqual([
      ['{instance="h1"}', 1],
      ['#2{instance="h1"}', 2],
    ]);
  });

  it('property: every column of a wide CSV survives, whatever its header says', () => {
    const name = fc.constantFrom('cpu', 'cpu #2', 'mem', 'cpu{h="a"}', 'cpu{h="a"} ', '{__name__="cpu"}', 'x');
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 8 }), (names) => {
        const row = names.map((_, j) => String(j + 1));
        const text = `time,${names.map((n) => `"${n.replace(/"/g, '""')}"`).join(',')}\n1700000000,${row.join(',')}\n`;
        const f = importText(text);
        expect(f.series.length).toBe(names.length);
        expect(new Set(f.series.map(seriesKey)).size).toBe(names.length);
        expect(f.series.map((s) => s.values[0]).sort((a, b) => a - b)).toEqual(names.map((_, j) => j + 1));
      }),
      { numRuns: 300 },
    );
  });

  it('distinctIds leaves unique ids alone and never returns a key twice', () => {
    const ids: SeriesId[] = [
      { name: 'a', labels: {} },
      { name: 'a', labels: { x: '1' } },
    ];
    expect(distinctIds(ids)).toEqual(ids);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'a #2', 'a #3', 'b'), { maxLength: 10 }), (names) => {
        const out = distinctIds(names.map((name) => ({ name, labels: {} })));
        expect(new Set(out.map((i) => i.name)).size).toBe(names.length);
      }),
    );
  });
});
