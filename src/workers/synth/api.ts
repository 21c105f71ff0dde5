// Messages of the scenario worker: the built-in demo data, generated off the page's thread.
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { ScenarioLabel } from '../../lib/synth/index.ts';

export interface SynthApi {
  demo(): Promise<{ frame: MetricFrame; labels: ScenarioLabel[] }>;
}
