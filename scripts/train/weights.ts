// The CfC network's parameters as plain arrays: what training produces, the ONNX exporter writes and the
// parity test reads back. Layout (F features, H hidden units, U backbone units, K ensemble members):
//   bb_Wx [F,U], bb_Wh [H,U], bb_b [U]          backbone: u = tanh(x Wx + h Wh + b)
//   hd_W [U,4H], hd_b [4H]                       heads ff1 | ff2 | time_a | time_b
//   rk_W1 [H+F, K·R], rk_b1 [K·R]                risk ensemble, hidden layer of each member (R units)
//   rk_W2 [K·R, K·3] (block diagonal), rk_b2     member k's three horizon logits at columns 3k..3k+2
//   ro_W [H+F, S], ro_b [S]                      shared readout for scenario and time-to-failure
//   sc_W [S, C], sc_b [C]                        scenario logits (C classes)
//   tt_W [S, 3], tt_b [3]                        time-to-failure: median, lower gap, upper gap (log minutes)
import type { Rng } from '../../src/lib/synth/rng.ts';
import type { Architecture } from '../../src/lib/lnn/card.ts';

export interface Tensor {
  shape: number[];
  data: Float32Array;
}
export type Weights = Record<string, Tensor>;

export function shapes(a: Architecture): Record<string, number[]> {
  const z = a.hidden + a.features;
  const kr = a.members * a.memberUnits;
  return {
    bb_Wx: [a.features, a.backbone],
    bb_Wh: [a.hidden, a.backbone],
    bb_b: [a.backbone],
    hd_W: [a.backbone, 4 * a.hidden],
    hd_b: [4 * a.hidden],
    rk_W1: [z, kr],
    rk_b1: [kr],
    rk_W2: [kr, a.members * a.horizons],
    rk_b2: [a.members * a.horizons],
    ro_W: [z, a.readout],
    ro_b: [a.readout],
    sc_W: [a.readout, a.classes],
    sc_b: [a.classes],
    tt_W: [a.readout, 3],
    tt_b: [3],
  };
}

/** 1 where member k's hidden units feed member k's outputs, else 0: keeps the ensemble members independent. */
export function memberMask(a: Architecture): Float32Array {
  const rows = a.members * a.memberUnits;
  const cols = a.members * a.horizons;
  const m = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const k = Math.floor(r / a.memberUnits);
    for (let c = k * a.horizons; c < (k + 1) * a.horizons; c++) m[r * cols + c] = 1;
  }
  return m;
}

/** Glorot-uniform matrices, zero biases (the time_b bias starts at 0: the gate opens halfway). */
export function initWeights(a: Architecture, rng: Rng): Weights {
  const out: Weights = {};
  const mask = memberMask(a);
  for (const [name, shape] of Object.entries(shapes(a))) {
    const size = shape.reduce((p, d) => p * d, 1);
    const data = new Float32Array(size);
    if (shape.length === 2) {
      const limit = Math.sqrt(6 / (shape[0] + shape[1]));
      for (let i = 0; i < size; i++) data[i] = rng.uniform(-limit, limit);
      if (name === 'rk_W2') for (let i = 0; i < size; i++) data[i] *= mask[i] * Math.sqrt(a.members);
    }
    out[name] = { shape, data };
  }
  return out;
}
