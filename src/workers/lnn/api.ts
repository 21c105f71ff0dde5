// Messages of the prediction worker: a frame in, one Prediction per host out, and which onnxruntime
// execution provider ran them.
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { Prediction } from '../../lib/report/types.ts';
import type { EpPreference, ExecutionProvider } from '../../lib/lnn/ep.ts';

export interface PredictionRun {
  predictions: Prediction[];
  ep: ExecutionProvider;
  /** Why that provider: the rule's explanation (e.g. "the WebGPU adapter is a software fallback"). */
  reason: string;
  model: string;
  millis: number;
}

export interface LnnApi {
  /** Loads onnxruntime-web for the chosen provider on first use (never part of the page's bundle). */
  predict(frame: MetricFrame, preference: EpPreference): Promise<PredictionRun>;
}
