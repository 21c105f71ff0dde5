// The CfC network in TensorFlow.js, for training (Node only; the app runs the ONNX export instead).
// Closed-form continuous-time cell (Hasani et al., 2022), as in the `ncps` package:
//   u  = tanh([x, h] W + b)                               backbone
//   g  = sigmoid(time_a(u) · Δt + time_b(u))               time gate, Δt = elapsed buckets
//   h' = tanh(ff1(u)) · (1 − g) + g · tanh(ff2(u))
import * as tf from '@tensorflow/tfjs';
import { memberMask, type Weights } from './weights.ts';
import type { Architecture } from '../../src/lib/lnn/card.ts';

export type Params = Record<string, tf.Variable>;

export function toParams(w: Weights): Params {
  const out: Params = {};
  for (const [name, t] of Object.entries(w)) out[name] = tf.variable(tf.tensor(t.data, t.shape, 'float32'), true, name);
  return out;
}

export async function fromParams(p: Params): Promise<Weights> {
  const out: Weights = {};
  for (const [name, v] of Object.entries(p))
    out[name] = { shape: v.shape.slice(), data: (await v.data()) as Float32Array };
  return out;
}

export interface Outputs {
  /** [B, K·3] member probabilities, member-major. */
  riskMembers: tf.Tensor2D;
  /** [B, K·3] the same before the sigmoid. */
  riskLogits: tf.Tensor2D;
  /** [B, C] scenario logits. */
  scenarioLogits: tf.Tensor2D;
  /** [B, 3] raw time-to-failure head (see ttfQuantiles). */
  ttf: tf.Tensor2D;
}

/** Forward pass over x [B, T, F] and dt [B, T]. Must stay identical to the ONNX graph in onnx-export.ts. */
export function forward(
  p: Params | Record<string, tf.Tensor>,
  a: Architecture,
  x: tf.Tensor3D,
  dt: tf.Tensor2D,
): Outputs {
  const [B, T, F] = x.shape;
  const U = a.backbone;
  // Input projection of every step at once.
  const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [B * T, F]), p.bb_Wx), p.bb_b), [B, T, U]);
  const steps = tf.unstack(xw, 1) as tf.Tensor2D[];
  const dts = tf.split(dt, T, 1) as tf.Tensor2D[];
  let h: tf.Tensor2D | null = null;
  for (let t = 0; t < T; t++) {
    const pre = h ? tf.add(steps[t], tf.matMul(h, p.bb_Wh as tf.Tensor2D)) : steps[t];
    const u = tf.tanh(pre);
    const heads = tf.add(tf.matMul(u, p.hd_W as tf.Tensor2D), p.hd_b) as tf.Tensor2D;
    const [f1, f2, ta, tb] = tf.split(heads, 4, 1);
    const ff1 = tf.tanh(f1);
    const ff2 = tf.tanh(f2);
    const g = tf.sigmoid(tf.add(tf.mul(ta, dts[t]), tb));
    h = tf.add(ff1, tf.mul(g, tf.sub(ff2, ff1))) as tf.Tensor2D;
  }
  const last = tf.reshape(tf.slice(x, [0, T - 1, 0], [B, 1, F]), [B, F]);
  const z = tf.concat([h!, last], 1);
  const r1 = tf.tanh(tf.add(tf.matMul(z, p.rk_W1 as tf.Tensor2D), p.rk_b1));
  const w2 = tf.mul(p.rk_W2, tf.tensor(memberMask(a), p.rk_W2.shape));
  const riskLogits = tf.add(tf.matMul(r1, w2 as tf.Tensor2D), p.rk_b2) as tf.Tensor2D;
  const ro = tf.tanh(tf.add(tf.matMul(z, p.ro_W as tf.Tensor2D), p.ro_b)) as tf.Tensor2D;
  const scenarioLogits = tf.add(tf.matMul(ro, p.sc_W as tf.Tensor2D), p.sc_b) as tf.Tensor2D;
  const ttf = tf.add(tf.matMul(ro, p.tt_W as tf.Tensor2D), p.tt_b) as tf.Tensor2D;
  return { riskMembers: tf.sigmoid(riskLogits), riskLogits, scenarioLogits, ttf };
}
