// Public surface of the scenario generator.
export { generateScenario, HOST_METRICS, LATENCY_SLO_SECONDS } from './generate.ts';
export type { SynthOptions, SynthResult, MetricSet } from './generate.ts';
export { demoScenario, DEMO_START, DEMO_SEED } from './presets.ts';
export { formatFrame, toWideCsv, toLongCsv, toOpenMetrics, SYNTH_FORMATS } from './format.ts';
export type { SynthFormat } from './format.ts';
export {
  ALL_SCENARIOS,
  BENIGN_SCENARIOS,
  FAILURE_SCENARIOS,
  LEAD_HOURS,
  isFailureScenario,
  isScenarioName,
} from './scenarios.ts';
export type { ScenarioLabel, ScenarioName, ScenarioSpec, FailureScenario, BenignScenario } from './scenarios.ts';
export { createRng } from './rng.ts';
export { injectScenario } from './inject.ts';
export type { InjectSpec } from './inject.ts';
