// Failure predictions through the pipeline's withPredictions, with the model in its worker: which
// execution provider ran it and why, the model and its time, or why there are no predictions. The model
// reads columns by the user's mapping (settings' `map`, kept in the URL hash) where the names do not say.
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { Report } from '../../lib/report/types.ts';
import { withPredictions } from '../../lib/analysis/index.ts';
import { workerPredictor } from '../../workers/clients.ts';
import { CancelledError } from './job.ts';
import { settings } from './settings.svelte.ts';
import { appliedRoles } from './column-roles.ts';
import type { ColumnRoles } from '../../lib/lnn/column-roles.ts';

export interface PredictionSnapshot {
  ep: string | null;
  reason: string;
  info: { model: string; millis: number } | null;
  error: string | null;
}

export class PredictionState {
  /** Which onnxruntime execution provider ran the predictions (`webgpu` or `wasm`), and why. */
  ep = $state<string | null>(null);
  reason = $state('');
  /** Model name and inference time of the last prediction run. */
  info = $state<{ model: string; millis: number } | null>(null);
  /** Why there are no predictions (no model, the model failed), or null. */
  error = $state<string | null>(null);

  readonly #predictor = workerPredictor(() => settings.value.ep);

  /** The user's column mapping as it applies to `frame` (its columns only). */
  roles(frame: MetricFrame): ColumnRoles | undefined {
    return appliedRoles(settings.value.map, frame).roles;
  }

  /** `report` (without predictions) with the model's; a model that fails leaves the topology standing. */
  async apply(report: Report, frame: MetricFrame, signal: AbortSignal): Promise<Report> {
    this.ep = null;
    const out = await withPredictions(report, frame, this.#predictor, { signal, roles: this.roles(frame) });
    if (signal.aborted) throw new CancelledError();
    if (out.run) {
      this.ep = out.run.ep ?? null;
      this.reason = out.run.reason ?? '';
      this.info = { model: out.run.model ?? '', millis: out.run.millis ?? 0 };
    }
    this.error = out.error;
    return out.report;
  }

  snapshot(): PredictionSnapshot {
    return { ep: this.ep, reason: this.reason, info: this.info, error: this.error };
  }

  restore(s: PredictionSnapshot): void {
    this.ep = s.ep;
    this.reason = s.reason;
    this.info = s.info;
    this.error = s.error;
  }
}
