// Messages of the prediction worker: a frame in, one Prediction per host out, and which onnxruntime
// execution provider ran them; or the model's risk trace for one host over a stretch of time ("what if").
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { Prediction } from '../../lib/report/types.ts';
import type { EpPreference, ExecutionProvider } from '../../lib/lnn/ep.ts';
import type { RiskPoint } from '../../lib/lnn/trace.ts';
import type { ColumnRoles } from '../../lib/lnn/column-roles.ts';

export interface PredictionRun {
  predictions: Prediction[];
  ep: ExecutionProvider;
  /** Why that provider: the rule's explanation (e.g. "the WebGPU adapter is a software fallback"). */
  reason: string;
  model: string;
  millis: number;
}

export interface LnnApi {
  /**
   * Loads onnxruntime-web for the chosen provider on first use (never part of the page's bundle). `roles`:
   * which channel each column feeds where the names do not say (src/lib/lnn/column-roles.ts).
   */
  predict(frame: MetricFrame, preference: EpPreference, roles?: ColumnRoles): Promise<PredictionRun>;
  /**
   * The model for `entity` bucket by bucket, for buckets ending within [from, to] (epoch ms), on the same
   * provider rule as predict(). Empty when the frame has no such entity.
   */
  trace(
    frame: MetricFrame,
    entity: string,
    from: number,
    to: number,
    preference: EpPreference,
    roles?: ColumnRoles,
  ): Promise<RiskPoint[]>;
}
