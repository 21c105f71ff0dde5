// The CfC model as a FailurePredictor, for hosts that run it in their own thread (the CLI, the exporter,
// the app's model worker).
import type { MetricFrame } from '../frame/types.ts';
import { predictFrame, type Predictor } from '../lnn/predict.ts';
import type { ColumnRoles } from '../lnn/column-roles.ts';
import type { FailurePredictor, PredictionRun } from './analyse.ts';

export function modelPredictor(p: Predictor, provider?: { ep: string; reason: string }): FailurePredictor {
  return {
    async predict(frame: MetricFrame, opts: { at?: number; roles?: ColumnRoles }): Promise<PredictionRun> {
      const started = performance.now();
      const predictions = await predictFrame(p, frame, { at: opts.at, roles: opts.roles });
      return { predictions, model: p.card.name, ...provider, millis: performance.now() - started };
    },
  };
}
