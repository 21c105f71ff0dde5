// Node host for the predictor: onnxruntime-web's WASM backend, the committed model, the PH engine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createNodeEngine } from './engine.ts';
import { modelsDir } from './assets.ts';
import type { ModelCard } from '../lib/lnn/card.ts';
import { createPredictor, type OrtModule, type Predictor } from '../lib/lnn/predict.ts';

export const DEFAULT_MODEL = 'aura-cfc';

export interface NodePredictorOptions {
  /** Model name in models/ (without extension), or a path to an .onnx file with its .json beside it. */
  model?: string;
  /** Compute the topological features with the WASM engine (default true). */
  topology?: boolean;
}

export async function createNodePredictor(opts: NodePredictorOptions = {}): Promise<Predictor> {
  const model = opts.model ?? DEFAULT_MODEL;
  const onnxPath = model.endsWith('.onnx') ? model : join(modelsDir, `${model}.onnx`);
  const cardPath = onnxPath.replace(/\.onnx$/, '.json');
  let bytes: Uint8Array;
  let card: ModelCard;
  try {
    bytes = new Uint8Array(await readFile(onnxPath));
    card = JSON.parse(await readFile(cardPath, 'utf8')) as ModelCard;
  } catch (err) {
    throw new Error(
      `cannot load the model (${onnxPath} and its .json card): ${(err as Error).message}; in a checkout, \`npm run train\` rebuilds it`,
    );
  }
  const ort = (await import('onnxruntime-web')) as unknown as OrtModule & { env: { wasm: { numThreads: number } } };
  // One thread: no worker threads to keep alive in a CLI process, and results identical run to run.
  ort.env.wasm.numThreads = 1;
  const ph = opts.topology === false ? null : await createNodeEngine();
  return createPredictor(ort, bytes, card, { executionProviders: ['wasm'], ph });
}
