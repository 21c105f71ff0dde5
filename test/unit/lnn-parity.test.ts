// The ONNX graph computes what the TensorFlow.js model computes: tfjs forward pass (weights read back from the
// .onnx file) against onnxruntime-web's WASM backend in Node, on the same inputs, within 1e-5.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { forward } from '../../scripts/train/cfc-tf.ts';
import { exportOnnx, onnxOpCounts, readOnnxWeights } from '../../scripts/train/onnx-export.ts';
import { initWeights, type Weights } from '../../scripts/train/weights.ts';
import type { Architecture } from '../../src/lib/lnn/card.ts';
import { createRng } from '../../src/lib/synth/rng.ts';
import type { ModelCard } from '../../src/lib/lnn/card.ts';
import { repoRoot } from '../helpers/env.ts';

const WEBGPU_OPS = new Set([
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Tanh',
  'Sigmoid',
  'Split',
  'Slice',
  'Reshape',
  'Concat',
  'Softmax',
]);

async function compare(bytes: Uint8Array, weights: Weights, arch: Architecture, seqLen: number, seed: number) {
  const B = 9;
  const F = arch.features;
  const rng = createRng(seed);
  const x = new Float32Array(B * seqLen * F).map(() => Math.max(-6, Math.min(6, 1.5 * rng.normal())));
  const dt = new Float32Array(B * seqLen).map(() => rng.pick([0, 1, 1, 1, 2, 0.5, 7]));
  const params = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
  const o = forward(params, arch, tf.tensor3d(x, [B, seqLen, F]), tf.tensor2d(dt, [B, seqLen]));
  const expected = {
    risk_members: await o.riskMembers.data(),
    scenario: await tf.softmax(o.scenarioLogits).data(),
    ttf: await o.ttf.data(),
  };
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const got = await session.run({
    features: new ort.Tensor('float32', x, [B, seqLen, F]),
    dt: new ort.Tensor('float32', dt, [B, seqLen]),
  });
  let maxDiff = 0;
  for (const [name, want] of Object.entries(expected)) {
    const have = got[name].data as Float32Array;
    expect(have.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(have[i] - want[i]));
  }
  return maxDiff;
}

describe('tfjs vs onnxruntime-web (WASM)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('the committed model agrees within 1e-5 and uses only WebGPU-supported operators', async () => {
    const bytes = new Uint8Array(readFileSync(join(repoRoot, 'models/aura-cfc.onnx')));
    const card = JSON.parse(readFileSync(join(repoRoot, 'models/aura-cfc.json'), 'utf8')) as ModelCard;
    const diff = await compare(bytes, readOnnxWeights(bytes), card.architecture, card.seqLen, 7);
    console.log(`committed model: max abs diff ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
    const ops = onnxOpCounts(bytes);
    for (const op of Object.keys(ops)) expect(WEBGPU_OPS.has(op), op).toBe(true);
    expect(ops.Scan ?? 0).toBe(0);
  });

  it('a freshly exported random model agrees too, for other sequence lengths', async () => {
    const arch: Architecture = {
      features: 10,
      hidden: 6,
      backbone: 8,
      members: 3,
      memberUnits: 4,
      readout: 5,
      classes: 7,
      horizons: 3,
    };
    const w = initWeights(arch, createRng(99));
    for (const seqLen of [1, 5, 13]) {
      const diff = await compare(exportOnnx(w, arch, seqLen), w, arch, seqLen, seqLen);
      expect(diff).toBeLessThanOrEqual(1e-5);
    }
  });

  it('refuses weights of the wrong shape', () => {
    const arch: Architecture = {
      features: 4,
      hidden: 2,
      backbone: 3,
      members: 2,
      memberUnits: 2,
      readout: 2,
      classes: 7,
      horizons: 3,
    };
    const w = initWeights(arch, createRng(1));
    w.bb_Wh = { shape: [3, 3], data: new Float32Array(9) };
    expect(() => exportOnnx(w, arch, 3)).toThrow(/bb_Wh/);
  });
});
