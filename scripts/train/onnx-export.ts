// Writes the trained CfC as an ONNX model (opset 17) with the sequence unrolled: no Scan or Loop, since
// the WebGPU execution provider has no kernel for them. Only MatMul, Add, Sub, Mul, Tanh, Sigmoid, Split, Slice,
// Reshape, Concat and Softmax are used. The graph mirrors `forward` in cfc-tf.ts step by step.
import onnxProto from 'onnx-proto';
import { memberMask, shapes, type Weights } from './weights.ts';
import type { Architecture } from '../../src/lib/lnn/card.ts';

const { onnx } = onnxProto;
const FLOAT = 1;
const INT64 = 7;

export const ONNX_OPSET = 17;
/** Most outputs of one Split node (each output is a storage buffer in the WebGPU kernel). */
const SPLIT_FAN = 6;
export const INPUTS = { features: 'features', dt: 'dt' } as const;
export const OUTPUTS = { riskMembers: 'risk_members', scenario: 'scenario', ttf: 'ttf' } as const;

type Node = { opType: string; input: string[]; output: string[]; name: string; attribute?: object[] };

export function exportOnnx(w: Weights, a: Architecture, seqLen: number, docString = ''): Uint8Array {
  const nodes: Node[] = [];
  const inits: object[] = [];
  const consts = new Map<string, string>();
  let counter = 0;
  const fresh = (hint: string) => `${hint}_${counter++}`;
  const op = (opType: string, input: string[], hint: string, attribute?: object[]): string => {
    const out = fresh(hint);
    nodes.push({ opType, input, output: [out], name: out, ...(attribute ? { attribute } : {}) });
    return out;
  };
  const int64s = (values: number[]): string => {
    const key = values.join(',');
    const known = consts.get(key);
    if (known) return known;
    const name = `c_${values.map((v) => (v < 0 ? `m${-v}` : v)).join('_')}`;
    inits.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
    consts.set(key, name);
    return name;
  };
  const expected = shapes(a);
  for (const [name, shape] of Object.entries(expected)) {
    const t = w[name];
    if (!t || t.shape.join() !== shape.join())
      throw new Error(`weight ${name} should have shape [${shape}], got [${t?.shape}]`);
    let data = t.data;
    if (name === 'rk_W2') {
      const mask = memberMask(a);
      data = data.map((v, i) => v * mask[i]);
    }
    inits.push({
      name,
      dims: shape,
      dataType: FLOAT,
      rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
    });
  }
  const slice = (x: string, from: number, to: number, axis: number, hint: string) =>
    op('Slice', [x, int64s([from]), int64s([to]), int64s([axis])], hint);

  const H = a.hidden;
  // Every step's input projection at once, then split along time: the state stays [batch, 1, ·] throughout,
  // so a step needs no Slice or Reshape (fewer nodes: fewer kernel dispatches on WebGPU and WASM).
  const xw = op('Add', [op('MatMul', [INPUTS.features, 'bb_Wx'], 'xwmm'), 'bb_b'], 'xw'); // [B, T, U]
  const split = (x: string, sizes: number[], axis: number, hint: string): string[] => {
    const outs = sizes.map((_, i) => fresh(`${hint}${i}`));
    nodes.push({
      opType: 'Split',
      input: [x, int64s(sizes)],
      output: outs,
      name: fresh(`split_${hint}`),
      attribute: [{ name: 'axis', type: 2, i: axis }],
    });
    return outs;
  };
  // A WebGPU shader may bind only 8 storage buffers, so no Split gets more than SPLIT_FAN outputs: split
  // the time axis into groups, then each group into steps.
  const splitSteps = (x: string, n: number, axis: number, hint: string): string[] => {
    if (n === 1) return [x];
    if (n <= SPLIT_FAN) return split(x, new Array(n).fill(1), axis, hint);
    const per = Math.ceil(n / SPLIT_FAN);
    const sizes: number[] = [];
    for (let left = n; left > 0; left -= per) sizes.push(Math.min(per, left));
    return split(x, sizes, axis, hint).flatMap((g, i) => splitSteps(g, sizes[i], axis, `${hint}${i}_`));
  };
  const xs = splitSteps(xw, seqLen, 1, 'xw_t');
  const dt3 = op('Reshape', [INPUTS.dt, int64s([-1, seqLen, 1])], 'dt3'); // [B, T, 1]
  const dts = splitSteps(dt3, seqLen, 1, 'dt_t');
  let h: string | null = null;
  for (let t = 0; t < seqLen; t++) {
    const pre = h ? op('Add', [xs[t], op('MatMul', [h, 'bb_Wh'], `hw${t}`)], `pre${t}`) : xs[t];
    const u = op('Tanh', [pre], `u${t}`);
    const heads = op('Add', [op('MatMul', [u, 'hd_W'], `hd${t}`), 'hd_b'], `heads${t}`); // [B, 1, 4H]
    const [f1, f2, ta, tb] = split(heads, [H, H, H, H], 2, `heads${t}_`);
    const ff1 = op('Tanh', [f1], `ff1_${t}`);
    const ff2 = op('Tanh', [f2], `ff2_${t}`);
    const g = op('Sigmoid', [op('Add', [op('Mul', [ta, dts[t]], `tadt${t}`), tb], `gpre${t}`)], `g${t}`);
    h = op('Add', [ff1, op('Mul', [g, op('Sub', [ff2, ff1], `d${t}`)], `gd${t}`)], `h${t}`);
  }
  const hLast = op('Reshape', [h!, int64s([-1, H])], 'h_last');
  const last = op(
    'Reshape',
    [slice(INPUTS.features, seqLen - 1, seqLen, 1, 'xlast'), int64s([-1, a.features])],
    'last',
  );
  const z = op('Concat', [hLast, last], 'z', [{ name: 'axis', type: 2, i: 1 }]);
  const r1 = op('Tanh', [op('Add', [op('MatMul', [z, 'rk_W1'], 'r1mm'), 'rk_b1'], 'r1pre')], 'r1');
  const rl = op('Add', [op('MatMul', [r1, 'rk_W2'], 'rlmm'), 'rk_b2'], 'risk_logits');
  nodes.push({ opType: 'Sigmoid', input: [rl], output: [OUTPUTS.riskMembers], name: OUTPUTS.riskMembers });
  const ro = op('Tanh', [op('Add', [op('MatMul', [z, 'ro_W'], 'romm'), 'ro_b'], 'ropre')], 'ro');
  const sl = op('Add', [op('MatMul', [ro, 'sc_W'], 'scmm'), 'sc_b'], 'scenario_logits');
  nodes.push({
    opType: 'Softmax',
    input: [sl],
    output: [OUTPUTS.scenario],
    name: OUTPUTS.scenario,
    attribute: [{ name: 'axis', type: 2, i: -1 }],
  });
  nodes.push({
    opType: 'Add',
    input: [op('MatMul', [ro, 'tt_W'], 'ttmm'), 'tt_b'],
    output: [OUTPUTS.ttf],
    name: OUTPUTS.ttf,
  });

  const valueInfo = (name: string, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'aura',
    producerVersion: '1',
    docString,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'aura_cfc',
      node: nodes,
      initializer: inits,
      input: [valueInfo(INPUTS.features, ['batch', seqLen, a.features]), valueInfo(INPUTS.dt, ['batch', seqLen])],
      output: [
        valueInfo(OUTPUTS.riskMembers, ['batch', a.members * a.horizons]),
        valueInfo(OUTPUTS.scenario, ['batch', a.classes]),
        valueInfo(OUTPUTS.ttf, ['batch', 3]),
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The float initializers of an exported model, by name (for the parity test and for inspection). */
export function readOnnxWeights(bytes: Uint8Array): Weights {
  const model = onnx.ModelProto.decode(bytes);
  const out: Weights = {};
  for (const t of model.graph?.initializer ?? []) {
    if (t.dataType !== FLOAT || !t.name || !t.rawData) continue;
    const raw = t.rawData;
    const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    out[t.name] = { shape: (t.dims ?? []).map(Number), data };
  }
  return out;
}

/** Operator types used by a model, with counts (the browser test checks each has a WebGPU kernel). */
export function onnxOpCounts(bytes: Uint8Array): Record<string, number> {
  const model = onnx.ModelProto.decode(bytes);
  const counts: Record<string, number> = {};
  for (const n of model.graph?.node ?? []) counts[n.opType!] = (counts[n.opType!] ?? 0) + 1;
  return counts;
}
