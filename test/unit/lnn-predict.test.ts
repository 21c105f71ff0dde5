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
  type Predictor,
} from '../../src/lib/lnn/index.ts';
import { demoScenario } from '../../src/lib/synth/index.ts';

describe('predictFrame on the demo dataset', () => {
  let predictor: Predictor;
  const demo = demoScenario();
  const end = demo.frame.series[0].timestamps.at(-1)!;
  beforeAll(async () => {
    predictor = await createNodePredictor();
  });

  it('gives one prediction per host with probabilities that grow with the horizon', async () => {
    const preds = await predictFrame(predictor, demo.frame);
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

  it('flags the leaking host (OOM 40 min after the last sample) as a memory leak with a time to failure', async () => {
    const preds = await predictFrame(predictor, demo.frame);
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

  it('sees the disk filling on host-2 within 6 h, and nothing on a quiet host', async () => {
    const preds = await predictFrame(predictor, demo.frame);
    const disk = preds.find((p) => p.entity === 'host-2')!;
    expect(disk.risk['6h']).toBeGreaterThan(0.5);
    expect(disk.scenario).toBe('disk_fill');
    const quiet = preds.find((p) => p.entity === 'host-4')!;
    expect(quiet.risk['1h']).toBeLessThan(0.2);
  });

  it('predicts as of an earlier time with --at semantics (before the leak starts, host-3 is calm)', async () => {
    const preds = await predictFrame(predictor, demo.frame, { at: end - 12 * 3600e3 });
    expect(preds.find((p) => p.entity === 'host-3')!.risk['1h']).toBeLessThan(0.2);
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
