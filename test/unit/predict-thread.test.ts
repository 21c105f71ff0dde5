// The model on its own worker thread (src/node/predict-thread.ts), as `aura analyze` runs it on large frames:
// the same predictions as the model in this thread, from a frame whose arrays went over in shared memory.
import { describe, expect, it } from 'vitest';
import { createNodePredictor } from '../../src/lib/lnn/index.ts';
import { modelPredictor } from '../../src/lib/analysis/model-predictor.ts';
import { sharedFrame, threadPredictor } from '../../src/node/predict-thread.ts';
import { demoScenario } from '../../src/lib/synth/index.ts';

describe('threadPredictor', () => {
  const demo = demoScenario();

  it('sharedFrame keeps every number, and an array shared by series stays one array', () => {
    const frame = { ...demo.frame, series: demo.frame.series.slice(0, 4) };
    // Two series on one time axis, as a wide CSV gives them.
    frame.series[1] = { ...frame.series[1], timestamps: frame.series[0].timestamps };
    const shared = sharedFrame(frame);
    expect(shared.series[0].values.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.series[1].timestamps).toBe(shared.series[0].timestamps);
    shared.series.forEach((s, i) => {
      expect(s.values).toEqual(frame.series[i].values);
      expect(s.timestamps).toEqual(frame.series[i].timestamps);
      expect(s.name).toBe(frame.series[i].name);
      expect(s.labels).toEqual(frame.series[i].labels);
    });
  });

  it('predicts on a worker exactly what the model predicts here', async () => {
    const here = await modelPredictor(await createNodePredictor()).predict(demo.frame, {});
    const thread = threadPredictor();
    expect(thread.runsOffThread?.(demo.frame)).toBe(true);
    const there = await thread.predict(demo.frame, {});
    expect(there.predictions.length).toBe(5);
    expect(there.predictions).toEqual(here.predictions);
    expect(there.model).toBe(here.model);
    // Two calls at once (one worker), each answered with its own frame; then a new worker for the next.
    const at = demo.frame.series[0].timestamps[Math.floor(demo.frame.series[0].timestamps.length / 2)];
    const [again, earlier] = await Promise.all([thread.predict(demo.frame, {}), thread.predict(demo.frame, { at })]);
    expect(again.predictions).toEqual(here.predictions);
    const hereEarlier = await modelPredictor(await createNodePredictor()).predict(demo.frame, { at });
    expect(earlier.predictions).toEqual(hereEarlier.predictions);
    expect(earlier.predictions).not.toEqual(here.predictions);
  }, 60_000);

  it('a model that cannot load fails with the reason', async () => {
    await expect(threadPredictor({ model: '/nonexistent/model.onnx' }).predict(demo.frame, {})).rejects.toThrow(
      /cannot load the model/,
    );
  }, 60_000);
});
