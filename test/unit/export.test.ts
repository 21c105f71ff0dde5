// The exporter's pure parts: MD5 and Prometheus' hashmod, shard ownership, the exposition format with
// hostile label values, the metrics read off a real pipeline Report, and the alerting rules.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashmod, md5, owns, parseShard } from '../../src/lib/export/hashmod.ts';
import { escapeLabelValue, Histogram, renderExposition } from '../../src/lib/export/exposition.ts';
import { driverName, reportFamilies } from '../../src/lib/export/metrics.ts';
import { alertRules, ruleFile } from '../../src/lib/export/rules.ts';
import { analyse } from '../../src/lib/analysis/index.ts';
import { InProcessRunner } from '../../src/lib/timeline/runner.ts';
import { createNodeTopology } from '../../src/node/topology.ts';
import { generateScenario } from '../../src/lib/synth/index.ts';
import { withMatchers, escapeRegex } from '../../src/node/watch/watcher.ts';

describe('md5 and hashmod', () => {
  it('md5 matches node:crypto, across block boundaries and for UTF-8', () => {
    for (const s of [
      '',
      'a',
      'host-1',
      'x'.repeat(55),
      'x'.repeat(56),
      'x'.repeat(64),
      'x'.repeat(1000),
      'hôte-🙂"\n',
    ]) {
      const ours = Buffer.from(md5(new TextEncoder().encode(s))).toString('hex');
      expect(ours).toBe(createHash('md5').update(s, 'utf8').digest('hex'));
    }
  });

  it('hashmod reads the last 8 digest bytes big-endian, as Prometheus relabelling does', () => {
    const digest = createHash('md5').update('host-1').digest();
    const expected = Number(digest.readBigUInt64BE(8) % 7n);
    expect(hashmod('host-1', 7)).toBe(expected);
    expect(hashmod('anything', 1)).toBe(0);
    expect(() => hashmod('x', 0)).toThrow(/modulus/);
  });

  it('every entity is owned by exactly one shard', () => {
    const names = Array.from({ length: 500 }, (_, i) => `10.0.${i >> 8}.${i & 255}:9100`);
    const counts = [0, 0, 0];
    for (const n of names) {
      const owners = [0, 1, 2].filter((i) => owns({ index: i, count: 3 }, n));
      expect(owners).toHaveLength(1);
      counts[owners[0]]++;
    }
    // md5 spreads names evenly: each third within 25 % of its share.
    for (const c of counts) expect(Math.abs(c - 500 / 3)).toBeLessThan(500 / 12);
  });

  it('parseShard takes I/N and says how to write it otherwise', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('3/3')).toThrow(/0 to N-1/);
    expect(() => parseShard('1-3')).toThrow(/I\/N/);
  });
});

describe('exposition', () => {
  it('escapes backslashes, quotes and newlines in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const text = renderExposition([
      {
        name: 'aura_x',
        type: 'gauge',
        help: 'help with \\ and\nnewline',
        samples: [{ labels: { entity: 'evil"\n\\' }, value: 1 }],
      },
    ]);
    expect(text).toBe(
      '# HELP aura_x help with \\\\ and\\nnewline\n# TYPE aura_x gauge\naura_x{entity="evil\\"\\n\\\\"} 1\n',
    );
  });

  it('leaves out empty families, writes NaN and infinities as Prometheus does, refuses duplicates', () => {
    expect(renderExposition([{ name: 'aura_none', type: 'gauge', help: 'h', samples: [] }])).toBe('');
    const text = renderExposition([
      {
        name: 'aura_v',
        type: 'gauge',
        help: 'h',
        samples: [
          { labels: { a: '1' }, value: NaN },
          { labels: { a: '2' }, value: -Infinity },
        ],
      },
    ]);
    expect(text).toContain('aura_v{a="1"} NaN\naura_v{a="2"} -Inf\n');
    const dup = { name: 'aura_d', type: 'gauge' as const, help: 'h', samples: [{ value: 1 }, { value: 2 }] };
    expect(() => renderExposition([dup])).toThrow(/twice/);
    expect(() => renderExposition([{ ...dup, name: 'bad-name' }])).toThrow(/not a valid metric name/);
  });

  it('histograms are cumulative with +Inf, _sum and _count', () => {
    const h = new Histogram('aura_h_seconds', 'h', [0.5, 1]);
    for (const v of [0.1, 0.7, 3]) h.observe(v);
    expect(renderExposition([h.family()])).toBe(
      '# HELP aura_h_seconds h\n# TYPE aura_h_seconds histogram\n' +
        'aura_h_seconds_bucket{le="0.5"} 1\naura_h_seconds_bucket{le="1"} 2\naura_h_seconds_bucket{le="+Inf"} 3\n' +
        'aura_h_seconds_sum 3.8\naura_h_seconds_count 3\n',
    );
  });
});

describe('metrics from a real Report', () => {
  it('an injected failure is the active anomaly, named with its drivers; healthy hosts are quiet', async () => {
    const start = Date.UTC(2026, 0, 5);
    const { frame } = generateScenario({
      hosts: 5,
      hours: 8,
      stepSeconds: 60,
      seed: 3,
      start,
      metricSet: 'core',
      scenarios: [
        { scenario: 'fd_exhaustion', host: 'host-2', onset: start + 6.5 * 3600e3, failure: start + 9 * 3600e3 },
      ],
    });
    const runner = new InProcessRunner(await createNodeTopology());
    const report = await analyse(frame, { runner, predictor: null });
    await runner.close();
    const families = new Map(reportFamilies(report).map((f) => [f.name, f]));
    const active = families.get('aura_anomaly_active')!.samples;
    expect(active.map((s) => s.labels!.entity).sort()).toEqual(['host-1', 'host-2', 'host-3', 'host-4', 'host-5']);
    expect(active.filter((s) => s.value === 1).map((s) => s.labels!.entity)).toEqual(['host-2']);
    const drivers = families.get('aura_anomaly_driver_info')!.samples;
    expect(drivers[0].labels).toMatchObject({ entity: 'host-2', rank: '1' });
    expect(drivers.map((d) => d.labels!.series)).toContain('node_filefd_allocated');
    const score = families.get('aura_anomaly_score')!.samples.find((s) => s.labels!.entity === 'host-2')!;
    expect(score.value).toBeGreaterThan(4);
    // No predictor ran: no risk samples at all (absent, not zero).
    expect(families.get('aura_failure_risk')!.samples).toHaveLength(0);
    expect(() => renderExposition(reportFamilies(report))).not.toThrow();
  });

  it('driver names drop the entity label the entity label already carries', () => {
    expect(driverName('node_filesystem_used_ratio{instance="a",mountpoint="/"}', 'instance', 'a')).toBe(
      'node_filesystem_used_ratio{mountpoint="/"}',
    );
    expect(driverName('node_load1{instance="a"}', 'instance', 'a')).toBe('node_load1');
    expect(driverName('x{mountpoint="/",instance="a"}', 'instance', 'a')).toBe('x{mountpoint="/"}');
  });
});

describe('rules', () => {
  const opts = { thresholds: { '15m': 0.6, '1h': 0.55 }, forDuration: '2m', job: 'aura', staleSeconds: 120 };
  it('one risk alert per horizon at the card threshold, with the for: duration given', () => {
    const rules = alertRules(opts);
    expect(rules.find((r) => r.alert === 'AuraFailureRisk15m')!.expr).toBe('aura_failure_risk{horizon="15m"} >= 0.6');
    expect(rules.find((r) => r.alert === 'AuraAnomalyActive')!.for).toBe('2m');
    expect(ruleFile(opts)).toContain('time() - aura_last_success_timestamp_seconds > 120');
  });
  it('refuses a for: that is not a duration and a threshold outside (0, 1)', () => {
    expect(() => alertRules({ ...opts, forDuration: '10 minutes' })).toThrow(/Prometheus duration/);
    expect(() => alertRules({ ...opts, thresholds: { '1h': 1.5 } })).toThrow(/\(0, 1\)/);
  });
});

describe('query narrowing', () => {
  it('adds matchers to every preset selector and escapes regex metacharacters in entity names', () => {
    expect(withMatchers('1 - avg(rate(x{mode="idle"}[1m])) / y{}', ['instance=~"a|b"'])).toBe(
      '1 - avg(rate(x{instance=~"a|b",mode="idle"}[1m])) / y{instance=~"a|b"}',
    );
    expect(escapeRegex('10.0.0.1:9100')).toBe('10\\.0\\.0\\.1:9100');
  });
});
