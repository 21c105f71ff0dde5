// The model card: everything inference needs besides the ONNX bytes, written by scripts/train.ts next to
// the model (models/<name>.json) and checked against this build's feature spec before use.
import type { Scenario } from '../report/types.ts';
import { FEATURE_NAMES, SEQ_LEN, BUCKET_MINUTES } from './spec.ts';

export interface ModelCard {
  name: string;
  description: string;
  onnx: string;
  opset: number;
  inputs: Record<string, (number | string)[]>;
  outputs: Record<string, (number | string)[]>;
  architecture: Architecture;
  bucketMinutes: number;
  seqLen: number;
  tdaWindow: number;
  channels: string[];
  featureNames: string[];
  normalisation: { mean: number[]; std: number[] };
  horizons: { name: string; minutes: number }[];
  scenarios: Scenario[];
  ttfQuantiles: number[];
  ttfHorizonMinutes: number;
  training: Record<string, unknown>;
  /** When a risk raises an alarm; chosen on validation scenarios by scripts/eval-lnn.ts. Absent: 0.5 everywhere. */
  alarm?: AlarmPolicy;
  /**
   * Scales the time-to-failure interval's half-widths (log-minutes) so that it covers 80 % of validation cases;
   * set by scripts/eval-lnn.ts. Absent: 1.
   */
  ttfIntervalScale?: number;
  /** Filled by scripts/eval-lnn.ts on held-out scenarios; null until then. */
  evaluation: Record<string, unknown> | null;
}

/** Throws with a clear message when a card does not fit this build's feature extraction. */
export function checkCard(card: ModelCard): void {
  if (!card || !Array.isArray(card.featureNames))
    throw new Error('the model card is not a model card (no featureNames)');
  const mismatch =
    card.featureNames.length !== FEATURE_NAMES.length || card.featureNames.some((n, i) => n !== FEATURE_NAMES[i]);
  if (mismatch) {
    throw new Error(
      `model ${card.name} expects features [${card.featureNames.slice(0, 3).join(', ')}, …] (${card.featureNames.length}), ` +
        `this build computes ${FEATURE_NAMES.length}: retrain with \`npm run train\` or use the matching model`,
    );
  }
  if (card.seqLen !== SEQ_LEN || card.bucketMinutes !== BUCKET_MINUTES) {
    throw new Error(
      `model ${card.name} reads ${card.seqLen} buckets of ${card.bucketMinutes} min; this build makes ${SEQ_LEN} of ${BUCKET_MINUTES}`,
    );
  }
}

/** The network's sizes: everything needed to rebuild its weight shapes. */
export interface Architecture {
  features: number;
  hidden: number;
  backbone: number;
  members: number;
  memberUnits: number;
  readout: number;
  classes: number;
  horizons: number;
}

/**
 * Per-horizon risk thresholds. Each is the lowest in [0.05, 1) whose false-alarm rate stays within the budget on
 * validation look-alikes (seeds apart from training and from the held-out evaluation) and on real validation
 * backgrounds (scripts/train/real.ts).
 */
export interface AlarmPolicy {
  thresholds: Record<string, number>;
  /**
   * Consecutive 5-minute buckets the alarm rule must hold before the model alarms (absent: 1). Real CPU and
   * traffic cross a risk threshold for one bucket at a time; a failure's risk stays up. Chosen on validation.
   */
  persistence?: number;
  falseAlarmBudgetPerHostDay: number;
  validation: {
    benignRuns: { from: number; count: number };
    hostDays: number;
    falseAlarmsPerHostDay: Record<string, number>;
    /** Real benign backgrounds the thresholds were also held to (none of the evaluation's held-out ones). */
    real?: { backgrounds: string[]; hostDays: number; falseAlarmsPerHostDay: Record<string, number> };
  };
}

export const DEFAULT_ALARM_THRESHOLD = 0.5;

/** Consecutive buckets the alarm rule must hold before the model alarms (AlarmPolicy.persistence). */
export function alarmPersistence(card: Pick<ModelCard, 'alarm'>): number {
  const k = card.alarm?.persistence ?? 1;
  return Number.isInteger(k) && k >= 1 ? k : 1;
}

/**
 * Sustained alarms: each entry is true when `raw` holds there and at the k − 1 entries before it (consecutive
 * buckets, oldest first).
 */
export function sustained(raw: readonly boolean[], k: number): boolean[] {
  let run = 0;
  return raw.map((a) => (run = a ? run + 1 : 0) >= k);
}

/** The risk at or above which the horizon raises an alarm. */
export function alarmThreshold(card: Pick<ModelCard, 'alarm'>, horizon: string): number {
  return card.alarm?.thresholds[horizon] ?? DEFAULT_ALARM_THRESHOLD;
}
