import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { channelOf, entityOf } from '../../src/lib/domain/channels.ts';
import { extractFeatures, lastObservedBucket, RELATIVE_LEVEL_LIMIT, sequenceAt } from '../../src/lib/lnn/features.ts';
import { createNodeEngine } from '../../src/node/engine.ts';
import { BUCKET_MS, CHANNELS, FEATURE_COUNT, FEATURE_NAMES, SEQ_LEN } from '../../src/lib/lnn/spec.ts';
import { generateScenario } from '../../src/lib/synth/index.ts';
import type { MetricFrame } from '../../src/lib/frame/types.ts';

const col = (n: string) => FEATURE_NAMES.indexOf(n);
const start = Date.UTC(2026, 0, 5);

describe('channelOf', () => {
  it('maps node_exporter names exactly', () => {
    expect(channelOf('node_memory_MemAvailable_bytes')).toBe('memory');
    expect(channelOf('node_memory_SwapFree_bytes')).toBe('swap');
    expect(channelOf('node_filesystem_avail_bytes')).toBe('disk');
    expect(channelOf('node_cpu_seconds_total')).toBe('cpu');
    expect(channelOf('node_filefd_allocated')).toBe('fd');
    expect(channelOf('node_netstat_Tcp_RetransSegs')).toBe('retrans');
  });
  it('falls back to keywords for other names, and knows nothing of unrelated ones', () => {
    expect(channelOf('ec2_cpu_utilization')).toBe('cpu');
    expect(channelOf('container_memory_usage_bytes')).toBe('memory');
    expect(channelOf('api_latency_ms')).toBe('latency');
    expect(channelOf('http_5xx_rate')).toBe('errors');
    expect(channelOf('rds_disk_free_gb')).toBe('disk');
    expect(channelOf('eth0_rx_bytes')).toBe('network');
    expect(channelOf('temperature_celsius')).toBeNull();
  });
  it('takes the entity from instance, then host/node/job', () => {
    expect(entityOf({ instance: 'a', job: 'j' })).toBe('a');
    expect(entityOf({ host: 'h' })).toBe('h');
    expect(entityOf({})).toBe('all');
  });
});

describe('extractFeatures', () => {
  const run = generateScenario({
    hosts: 2,
    hours: 10,
    stepSeconds: 60,
    seed: 11,
    start,
    scenarios: [{ scenario: 'memory_leak', host: 'host-1', onset: start + 3 * 3600e3, failure: start + 9 * 3600e3 }],
  });
  const hosts = extractFeatures(run.frame);

  it('gives one feature row per 5-minute bucket per host with every channel present', () => {
    expect(hosts.map((h) => h.entity)).toEqual(['host-1', 'host-2']);
    const h = hosts[0];
    expect(h.features.length).toBe(h.times.length * FEATURE_COUNT);
    expect(h.times[1] - h.times[0]).toBe(BUCKET_MS);
    const k = h.times.length - 1;
    for (const c of CHANNELS) expect(h.features[k * FEATURE_COUNT + col(`${c}_present`)]).toBe(1);
    for (const v of h.features) expect(Number.isFinite(v)).toBe(true);
  });

  it('sees the leak: memory level falls, its trend is negative and the ETA feature rises', () => {
    const h = hosts[0];
    const at = (hour: number) => Math.round((hour * 3600e3) / BUCKET_MS);
    const f = (k: number, n: string) => h.features[k * FEATURE_COUNT + col(n)];
    expect(f(at(8.5), 'memory_level')).toBeLessThan(f(at(2), 'memory_level') - 0.4);
    expect(f(at(8.5), 'memory_trend')).toBeLessThan(-0.05);
    expect(f(at(8.5), 'memory_eta')).toBeGreaterThan(0.5);
    const other = hosts[1];
    expect(other.features[at(8.5) * FEATURE_COUNT + col('memory_eta')]).toBeLessThan(0.3);
  });

  it('is causal: features of a prefix of the data equal the first rows of the whole', () => {
    const cut = start + 5 * 3600e3;
    const prefix: MetricFrame = {
      ...run.frame,
      series: run.frame.series.map((s) => {
        const n = s.timestamps.findIndex((t) => t >= cut);
        return { ...s, timestamps: s.timestamps.slice(0, n), values: s.values.slice(0, n) };
      }),
    };
    const p = extractFeatures(prefix)[0];
    const rows = (p.times.length - 1) * FEATURE_COUNT; // the last bucket of the prefix is partial
    expect(Array.from(p.features.subarray(0, rows))).toEqual(Array.from(hosts[0].features.subarray(0, rows)));
  });

  it('marks channels a host lacks as absent', () => {
    const frame = { ...run.frame, series: run.frame.series.filter((s) => s.name !== 'node_filefd_allocated') };
    const h = extractFeatures(frame)[0];
    expect(h.features[10 * FEATURE_COUNT + col('fd_present')]).toBe(0);
    expect(h.features[10 * FEATURE_COUNT + col('fd_level')]).toBe(0);
  });
});

describe('relative levels (network, retransmits, fd, latency)', () => {
  it('are clipped to ±ln 20: a series that drops to 0 or jumps a million-fold reads as ÷20 or ×20', () => {
    const t0 = Date.UTC(2024, 0, 1);
    const n = 12 * 60;
    const timestamps = Float64Array.from({ length: n }, (_, i) => t0 + i * 60e3);
    // 100 B/s for 8 h, nothing for an hour, then 10^8 B/s (NAB's network files do both).
    const values = timestamps.map((_, i) => (i < 480 ? 100 : i < 540 ? 0 : 1e8));
    const frame: MetricFrame = {
      series: [{ name: 'network_in_bytes', labels: { instance: 'h' }, timestamps, values, kind: 'gauge' }],
      meta: { origin: 'test', format: 'wide-csv', rejected: { count: 0, examples: [] }, duplicates: 0 },
    };
    const [h] = extractFeatures(frame);
    const level = Array.from(
      { length: h.times.length },
      (_, k) => h.features[k * FEATURE_COUNT + col('network_level')],
    );
    expect(Math.min(...level)).toBe(-RELATIVE_LEVEL_LIMIT);
    expect(Math.max(...level)).toBe(RELATIVE_LEVEL_LIMIT);
    expect(level[90]).toBeCloseTo(0, 9); // steady: at its baseline
  });
});

describe('peers_down', () => {
  // Four hosts; host-4 stops reporting at 3 h (as a cascade's victim does) and host-3 at 1 h for good.
  const r = generateScenario({ hosts: 4, hours: 12, stepSeconds: 60, seed: 4, start, scenarios: [] });
  const cut = (frame: MetricFrame, instance: string, at: number): MetricFrame => ({
    ...frame,
    series: frame.series.map((s) => {
      if (s.labels.instance !== instance) return s;
      const n = s.timestamps.findIndex((t) => t >= at);
      return n < 0 ? s : { ...s, timestamps: s.timestamps.slice(0, n), values: s.values.slice(0, n) };
    }),
  });
  const H = 3600e3;
  const frame = cut(cut(r.frame, 'host-4', start + 3 * H), 'host-3', start + 1 * H);
  const hosts = extractFeatures(frame);
  const at = (h: (typeof hosts)[number], t: number) => {
    const k = h.times.findIndex((x) => x >= t);
    return h.features[k * FEATURE_COUNT + col('peers_down')];
  };

  it('is the share of the other hosts silent for 15 min to 6 h, computed causally', () => {
    const h1 = hosts.find((h) => h.entity === 'host-1')!;
    expect(at(h1, start + 0.5 * H)).toBe(0);
    expect(at(h1, start + 1 * H + 10 * 60e3)).toBe(0); // host-3 quiet for only 10 min
    expect(at(h1, start + 1.5 * H)).toBeCloseTo(1 / 3, 6);
    expect(at(h1, start + 4 * H)).toBeCloseTo(2 / 3, 6);
    expect(at(h1, start + 7.5 * H)).toBeCloseTo(1 / 3, 6); // host-3 has been gone longer than 6 h
    expect(at(h1, start + 10 * H)).toBe(0);
    // The same for every surviving host, and a prefix of the frame gives the same rows.
    const h2 = hosts.find((h) => h.entity === 'host-2')!;
    expect(at(h2, start + 4 * H)).toBeCloseTo(2 / 3, 6);
    const prefix = extractFeatures(
      cut(
        cut(cut(cut(frame, 'host-1', start + 5 * H), 'host-2', start + 5 * H), 'host-3', start + 5 * H),
        'host-4',
        start + 5 * H,
      ),
    );
    const p1 = prefix.find((h) => h.entity === 'host-1')!;
    expect(at(p1, start + 4 * H)).toBeCloseTo(2 / 3, 6);
  });

  it('is the same when only one entity is extracted (the others still count as peers)', () => {
    const only = extractFeatures(frame, { entity: 'host-1' });
    expect(only.map((h) => h.entity)).toEqual(['host-1']);
    const full = hosts.find((h) => h.entity === 'host-1')!;
    expect(Array.from(only[0].features)).toEqual(Array.from(full.features));
    expect(at(only[0], start + 4 * H)).toBeCloseTo(2 / 3, 6);
  });

  it('is 0 for a lone host', () => {
    const one = extractFeatures(
      generateScenario({ hosts: 1, hours: 2, stepSeconds: 60, seed: 1, start, scenarios: [] }).frame,
    )[0];
    for (let k = 0; k < one.times.length; k++) expect(one.features[k * FEATURE_COUNT + col('peers_down')]).toBe(0);
  });
});

describe('sequenceAt', () => {
  it('left-pads short histories with Δt = 0 and reports gaps as longer Δt', () => {
    const r = generateScenario({ hosts: 1, hours: 3, stepSeconds: 60, seed: 2, start, scenarios: [] });
    // Remove 20 minutes of scrapes: 4 buckets with no data.
    const gapFrom = start + 3600e3;
    const gapTo = gapFrom + 20 * 60e3;
    const frame = {
      ...r.frame,
      series: r.frame.series.map((s) => {
        const keep = Array.from(s.timestamps, (t) => t < gapFrom || t >= gapTo);
        return { ...s, timestamps: s.timestamps.filter((_, i) => keep[i]), values: s.values.filter((_, i) => keep[i]) };
      }),
    };
    const h = extractFeatures(frame)[0];
    const norm = { mean: new Array(FEATURE_COUNT).fill(0), std: new Array(FEATURE_COUNT).fill(1) };
    const x = new Float32Array(SEQ_LEN * FEATURE_COUNT);
    const dt = new Float32Array(SEQ_LEN);
    const k = Math.round((gapTo - start) / BUCKET_MS); // first bucket after the gap
    const steps = sequenceAt(h, k, norm, x, dt);
    expect(steps).toBe(k + 1 - 4);
    expect(dt[SEQ_LEN - 1]).toBe(5); // 4 empty buckets skipped
    expect(dt[SEQ_LEN - 2]).toBe(1);
    expect(dt[SEQ_LEN - steps]).toBe(1);
    expect(dt[SEQ_LEN - steps - 1]).toBe(0);
    for (let f = 0; f < FEATURE_COUNT; f++) expect(x[(SEQ_LEN - steps - 1) * FEATURE_COUNT + f]).toBe(0);
  });
});

describe('extractFeatures with a prediction window (the inference path)', () => {
  const norm = { mean: new Array(FEATURE_COUNT).fill(0), std: new Array(FEATURE_COUNT).fill(1) };

  /** A random fleet with random outages (per host and per series) so observed buckets have gaps. */
  const fleet = fc.record({
    seed: fc.integer({ min: 1, max: 1e6 }),
    hours: fc.integer({ min: 1, max: 5 }),
    scenario: fc.constantFrom('memory_leak', 'disk_fill', 'cpu_saturation', 'fd_exhaustion'),
    gaps: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 60 }), fc.nat(5)), {
      maxLength: 4,
    }),
  });
  type Fleet = typeof fleet extends fc.Arbitrary<infer T> ? T : never;
  function makeFrame({ seed, hours, scenario, gaps }: Fleet): MetricFrame {
    const r = generateScenario({
      hosts: 2,
      hours,
      stepSeconds: 60,
      seed,
      start,
      scenarios: [{ scenario, host: 'host-1', onset: start + hours * 1800e3, failure: start + hours * 3600e3 }],
    });
    return {
      ...r.frame,
      series: r.frame.series.map((s, si) => {
        const keep = Array.from(s.timestamps, (t) =>
          gaps.every(([at, minutes, which]) => {
            if (which !== 0 && si % 5 !== which - 1) return true; // 0: a whole-host outage, else some series
            const from = start + at * hours * 3600e3;
            return t < from || t >= from + minutes * 60e3;
          }),
        );
        return { ...s, timestamps: s.timestamps.filter((_, i) => keep[i]), values: s.values.filter((_, i) => keep[i]) };
      }),
    };
  }

  it('fills exactly the rows a prediction reads, equal to the full extraction, topology included', async () => {
    const ph = await createNodeEngine();
    fc.assert(
      fc.property(
        fleet,
        fc.double({ min: 0, max: 1.1, noNaN: true }),
        fc.integer({ min: 1, max: SEQ_LEN }),
        (f, atFrac, len) => {
          const frame = makeFrame(f);
          const at = start + atFrac * f.hours * 3600e3;
          const full = extractFeatures(frame, { ph });
          const part = extractFeatures(frame, { ph, window: { at, len } });
          expect(part.map((h) => h.entity)).toEqual(full.map((h) => h.entity));
          full.forEach((h, i) => {
            const w = part[i];
            expect(w.observed).toEqual(h.observed);
            expect(w.channels).toEqual(h.channels);
            const k = lastObservedBucket(h, at);
            const rows = new Set<number>();
            for (let j = k; j >= 0 && rows.size < len; j--) if (h.observed[j]) rows.add(j);
            for (let j = 0; j < h.times.length; j++) {
              const want = rows.has(j) ? h.features.subarray(j * FEATURE_COUNT, (j + 1) * FEATURE_COUNT) : null;
              const got = w.features.subarray(j * FEATURE_COUNT, (j + 1) * FEATURE_COUNT);
              if (want) expect(Array.from(got)).toEqual(Array.from(want));
              else expect(got.every((v) => v === 0)).toBe(true);
            }
            // The model input built from either is the same.
            if (k >= 0) {
              const xs = [new Float32Array(len * FEATURE_COUNT), new Float32Array(len * FEATURE_COUNT)];
              const dts = [new Float32Array(len), new Float32Array(len)];
              sequenceAt(h, k, norm, xs[0], dts[0], len);
              sequenceAt(w, k, norm, xs[1], dts[1], len);
              expect(xs[1]).toEqual(xs[0]);
              expect(dts[1]).toEqual(dts[0]);
            }
          });
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it('marks a bucket observed exactly when some series has a timestamp in it', () => {
    fc.assert(
      fc.property(fleet, (f) => {
        const frame = makeFrame(f);
        for (const h of extractFeatures(frame)) {
          const t0 = h.times[0] - BUCKET_MS;
          const want = new Uint8Array(h.times.length);
          for (const s of frame.series) {
            if (entityOf(s.labels) !== h.entity || !channelOf(s.name)) continue;
            for (const t of s.timestamps) want[Math.floor((t - t0) / BUCKET_MS)] = 1;
          }
          expect(h.observed).toEqual(want);
        }
      }),
      { numRuns: 25 },
    );
  });
});
