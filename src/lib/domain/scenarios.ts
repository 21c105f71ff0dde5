// Scenario names: the failures the model predicts and the benign look-alikes it must not alarm on.
// Shared vocabulary of the generator (synth), the model (lnn) and the what-if views, so it sits below them all.
import type { Scenario } from '../report/types.ts';

export type FailureScenario = Exclude<Scenario, 'none'>;
export type BenignScenario = 'traffic_spike' | 'deploy_restart' | 'cron_burst' | 'cache_warmup';
export type ScenarioName = FailureScenario | BenignScenario;

export const FAILURE_SCENARIOS: readonly FailureScenario[] = [
  'disk_fill',
  'memory_leak',
  'cpu_saturation',
  'fd_exhaustion',
  'network_saturation',
  'cascading_overload',
];
export const BENIGN_SCENARIOS: readonly BenignScenario[] = [
  'traffic_spike',
  'deploy_restart',
  'cron_burst',
  'cache_warmup',
];
export const ALL_SCENARIOS: readonly ScenarioName[] = [...FAILURE_SCENARIOS, ...BENIGN_SCENARIOS];

export function isFailureScenario(name: string): name is FailureScenario {
  return (FAILURE_SCENARIOS as readonly string[]).includes(name);
}
export function isScenarioName(name: string): name is ScenarioName {
  return (ALL_SCENARIOS as readonly string[]).includes(name);
}
