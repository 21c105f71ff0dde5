// The scenario catalogue: failures the model must predict and benign look-alikes it must not alarm on.
// The names live in src/lib/domain (shared with the model); this module adds labels, specs and lead times.
import type { FailureScenario, ScenarioName } from '../domain/scenarios.ts';

export {
  ALL_SCENARIOS,
  BENIGN_SCENARIOS,
  FAILURE_SCENARIOS,
  isFailureScenario,
  isScenarioName,
  type BenignScenario,
  type FailureScenario,
  type ScenarioName,
} from '../domain/scenarios.ts';

/**
 * Ground truth for one injected event. For failures, `failure` is when the host fails (OOM kill, disk full,
 * latency SLO breach, fd limit hit, link saturated, host down) and `onset` is when the cause starts to show.
 * For benign events `failure` is absent and `end` is when the effect is over.
 */
export interface ScenarioLabel {
  scenario: ScenarioName;
  kind: 'failure' | 'benign';
  /** The `instance` label of the host, or `*` for an event that touches every host. */
  instance: string;
  /** Epoch ms. */
  onset: number;
  failure?: number;
  end?: number;
}

/** A request to inject one scenario; unset fields are drawn from the seed. */
export interface ScenarioSpec {
  scenario: ScenarioName;
  /** Host index (0-based) or instance name. */
  host?: number | string;
  /** Epoch ms. */
  onset?: number;
  /** Epoch ms (failures only). */
  failure?: number;
  /** Multiplies the default strength of a benign effect (1 = default). */
  strength?: number;
}

/** How long the cause of each failure is visible before it fails, in hours: [min, max]. */
export const LEAD_HOURS: Record<FailureScenario, [number, number]> = {
  memory_leak: [2, 10],
  disk_fill: [3, 14],
  cpu_saturation: [0.5, 3],
  fd_exhaustion: [1, 6],
  network_saturation: [0.5, 2.5],
  cascading_overload: [0.5, 2],
};
