// The committed model through the real predictor (onnxruntime-web WASM in Node) on the demo dataset.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createNodePredictor,
  createPredictor,
  extractFeatures,
  lastObservedBucket,
  predictFrame,
  predictWindows,
  hasEvidence,
  isAlarm,
  FEATURE_COUNT,
  FEATURE_NAMES,
  type HostFeatures,
  type Predictor,
} from '../../src/lib/lnn/index.ts';
import { seriesChannel } from '../../src/lib/domain/channels.ts';
import { importText } from '../../src/lib/ingest/index.ts';
import type { Prediction } from '../../src/lib/report/types.ts';
import { demoScenario } from '../../src/lib/synth/index.ts';
import { join } from 'node:path';
import { hasShared, sharedDir } from '../helpers/env.ts';

describe('predictFrame on the demo dataset', () => {
  let predictor: Predictor;
  /** The predictions at the end of the demo, computed once: the tests below read different parts of them. */
  let preds: Prediction[];
  const demo = demoScenario();
  const end = demo.frame.series[0].timestamps.at(-1)!;
  beforeAll(async () => {
    predictor = await createNodePredictor();
    preds = await predictFrame(predictor, demo.frame);
  });

  it('gives one prediction per host with probabilities that grow with the horizon', () => {
    expect(preds.map((p) => p.entity)).toEqual(['host-1', 'host-2', 'host-3', 'host-4', 'host-5']);
    for (const p of preds) {
      const r = [p.risk['15m'], p.risk['1h'], p.risk['6h']];
      for (const v of r) expect(v).toBeGreaterThanOrEqual(0);
      for (const v of r) expect(v).toBeLessThanOrEqual(1);
      expect(r[0]).toBeLessThanOrEqual(r[1]);
      expect(r[1]).toBeLessThanOrEqual(r[2]);
      expect(p.confidence).toBeGreaterThanOrEqual(0.5);
      expect(p.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('flags the leaking host (OOM 40 min after the last sample) as a memory leak with a time to failure', () => {
    const leak = preds.find((p) => p.entity === 'host-3')!;
    const others = preds.filter((p) => p.entity !== 'host-3' && p.entity !== 'host-2');
    expect(leak.scenario).toBe('memory_leak');
    expect(leak.risk['6h']).toBeGreaterThan(0.5);
    for (const p of others) expect(p.risk['1h']).toBeLessThan(leak.risk['1h']);
    // It alarms, and the interval holds the true time to the OOM (40 min after the last sample).
    expect(leak.ttfMinutes).not.toBeNull();
    expect(leak.ttfInterval![0]).toBeLessThanOrEqual(leak.ttfMinutes!);
    expect(leak.ttfInterval![0]).toBeLessThanOrEqual(40);
    expect(leak.ttfInterval![1]).toBeGreaterThanOrEqual(40);
    expect(leak.recommendations[0]).toMatch(/^memory on host-3 falls/);
    expect(leak.alertRule).toContain('node_memory_MemAvailable_bytes{instance="host-3"}');
  });

  it('sees the disk filling on host-2 within 6 h, and nothing on a quiet host', () => {
    const disk = preds.find((p) => p.entity === 'host-2')!;
    expect(disk.risk['6h']).toBeGreaterThan(0.5);
    expect(disk.scenario).toBe('disk_fill');
    const quiet = preds.find((p) => p.entity === 'host-4')!;
    expect(quiet.risk['1h']).toBeLessThan(0.2);
  });

  it('predicts as of an earlier time with --at semantics (before the leak starts, host-3 is calm)', async () => {
    const earlier = await predictFrame(predictor, demo.frame, { at: end - 12 * 3600e3 });
    expect(earlier.find((p) => p.entity === 'host-3')!.risk['1h']).toBeLessThan(0.2);
  });

  it('gives bit-identical outputs without onnxruntime graph optimisation (the WASM default) as with it', async () => {
    const bytes = new Uint8Array(await readFile(new URL('../../models/aura-cfc.onnx', import.meta.url)));
    const optimised = await createPredictor(predictor.ort, bytes, predictor.card, {
      sessionOptions: { graphOptimizationLevel: 'all' },
    });
    // Many host-windows over the whole day: every host at every observed bucket, at batch 64.
    const hosts = extractFeatures(demo.frame, { ph: predictor.ph });
    const windows = hosts.flatMap((host) =>
      Array.from(host.times, (_, bucket) => ({ host, bucket })).filter((w) => w.host.observed[w.bucket]),
    );
    expect(windows.length).toBeGreaterThan(1000);
    expect(lastObservedBucket(hosts[0])).toBe(hosts[0].times.length - 1);
    const [a, b] = [await predictWindows(predictor, windows), await predictWindows(optimised, windows)];
    expect(a).toEqual(b);
    await optimised.session.release?.();
  });
});

describe('alarms need evidence', () => {
  const row = (present: string[], peersDown = 0): HostFeatures => {
    const features = new Float32Array(FEATURE_COUNT);
    for (const c of present) features[FEATURE_NAMES.indexOf(`${c}_present`)] = 1;
    features[FEATURE_NAMES.indexOf('peers_down')] = peersDown;
    return { entity: 'h', times: new Float64Array(1), observed: new Uint8Array([1]), features, channels: {} };
  };

  it('names a failure only when the host has a metric that shows it, and a cascade only with a peer down', () => {
    expect(hasEvidence(row(['memory']), 0, 'memory_leak')).toBe(true);
    expect(hasEvidence(row(['cpu', 'network']), 0, 'memory_leak')).toBe(false);
    expect(hasEvidence(row(['io']), 0, 'disk_fill')).toBe(false);
    expect(hasEvidence(row(['disk']), 0, 'disk_fill')).toBe(true);
    expect(hasEvidence(row(['latency']), 0, 'cpu_saturation')).toBe(true);
    expect(hasEvidence(row(['cpu']), 0, 'cascading_overload')).toBe(false);
    expect(hasEvidence(row(['cpu'], 0.25), 0, 'cascading_overload')).toBe(true);
    expect(hasEvidence(row(['cpu', 'memory', 'disk', 'fd', 'network']), 0, 'none')).toBe(false);
    const card = { horizons: [{ name: '1h', minutes: 60 }] };
    expect(isAlarm(card, [0.9], 'memory_leak', row(['memory']), 0)).toBe(true);
    expect(isAlarm(card, [0.4], 'memory_leak', row(['memory']), 0)).toBe(false);
    expect(isAlarm(card, [0.9], 'memory_leak', row(['cpu']), 0)).toBe(false);
  });

  it('reads a generic `value` column by its file name', () => {
    expect(seriesChannel('value', 'ec2_cpu_utilization_24ae8d.csv')).toBe('cpu');
    expect(seriesChannel('value', 'data/nab/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv')).toBe('network');
    expect(seriesChannel('value', 'grok_asg_anomaly.csv')).toBeNull();
    expect(seriesChannel('requests', 'ec2_cpu_utilization_24ae8d.csv')).toBeNull();
    expect(seriesChannel('node_load1', 'anything.csv')).toBe('load');
  });
});

describe.skipIf(!hasShared())('predictFrame on real NAB series (one metric each)', () => {
  it('reads a CloudWatch CPU file by its name and raises no alarm on it', async () => {
    const predictor = await createNodePredictor();
    const file = 'ec2_cpu_utilization_825cc2.csv';
    const frame = importText(await readFile(join(sharedDir, 'data', 'nab', file), 'utf8'), { origin: file });
    const [p] = await predictFrame(predictor, frame);
    expect(p.entity).toBe('all');
    expect(Object.keys(p.risk)).toEqual(['15m', '1h', '6h']);
    // The host runs at 92–97 % for two weeks: no alarm, so no time to failure. A lone CPU series cannot show a
    // cascade or a leak, so the only scenario it may be read as is a saturation (named, with advice, at 95 %).
    expect(p.ttfMinutes).toBeNull();
    expect(['none', 'cpu_saturation']).toContain(p.scenario);
  });
});
