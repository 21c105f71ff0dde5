// What-if mode: the views show a copy of the user's data with a scenario injected. The user's own analysis
// is kept aside as one value (their data, its analysis, what was selected, the model's run) to go back to.
import type { MetricFrame } from '../../lib/frame/types.ts';
import type { Report } from '../../lib/report/types.ts';
import type { ScenarioLabel } from '../../lib/synth/scenarios.ts';
import type { WhatIfResult } from '../../lib/whatif/compare.ts';
import type { AnalysisSnapshot } from './analysis.svelte.ts';
import type { SelectionSnapshot } from './selection.svelte.ts';
import type { PredictionSnapshot } from './predictions.svelte.ts';

/** What was injected into which data, and the comparison once both analyses are in. */
export interface WhatIfMode {
  label: ScenarioLabel;
  /** Where the user's own data came from. */
  baseOrigin: string;
  /** Null while the injected copy is analysed and the model traced (or when that was cancelled or failed). */
  result: WhatIfResult | null;
  /** Milliseconds from the request to the comparison. */
  millis: number | null;
  /** Why the model could not be traced (the comparison then has the detector's side only), or null. */
  traceError: string | null;
}

/** The user's own analysis as a value: everything the views showed of it. */
export interface OwnAnalysis {
  data: AnalysisSnapshot;
  selection: SelectionSnapshot;
  predictions: PredictionSnapshot;
}

/** The user's own data and its finished analysis: what every what-if injects into. */
export interface OwnData {
  frame: MetricFrame;
  report: Report;
  origin: string;
}

export class WhatIfState {
  /** Set while the views show a copy of the user's data with a scenario injected; null = their own data. */
  mode = $state.raw<WhatIfMode | null>(null);
  /** The user's own analysis while in what-if mode: every what-if injects into it, never into a copy. */
  #own = $state.raw<OwnAnalysis | null>(null);

  /** The user's own data: kept aside in what-if mode, else what is shown once it has a report. */
  ownData(shown: AnalysisSnapshot): OwnData | null {
    const d = this.#own?.data ?? (this.mode ? null : shown);
    return d?.frame && d.report ? { frame: d.frame, report: d.report, origin: d.origin } : null;
  }

  /** Whether the user's own analysis is kept aside (a what-if copy is shown or being made). */
  get active(): boolean {
    return this.#own !== null;
  }

  /** Keeps the user's analysis aside, once: a second what-if leaves the first one's value there. */
  keep(own: () => OwnAnalysis): void {
    this.#own ??= own();
  }

  /** Ends what-if mode; returns the user's analysis to show again, or null when none was kept. */
  leave(): OwnAnalysis | null {
    const own = this.#own;
    this.#own = null;
    this.mode = null;
    return own;
  }
}
