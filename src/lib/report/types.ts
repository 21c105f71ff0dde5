// The one Report object: `aura analyze --json` prints it, the app renders and exports it.
import type { RejectedRow } from '../frame/types.ts';

export interface AnalysisSettings {
  /** Window width in samples. */
  window: number;
  /** Stride between window starts, in samples. */
  stride: number;
  cloud: 'state' | 'takens';
  maxDim: number;
  /** `noise`: each series in units of its own sample-to-sample noise (see src/lib/cloud/normalise.ts). */
  normalise: 'zscore' | 'robust' | 'minmax' | 'noise';
  /** Robust z of the distance to the baseline above which a window is flagged. */
  threshold?: number;
  /** Samples taken as normal operation (the baseline span). */
  baselineSamples?: number;
  /** Dimensions the clouds were projected to (a seeded random projection), when they were wider. */
  projectedTo?: number;
  /** Whether the fast scale (each new row read against the baseline, beside the window) was on. */
  fast?: boolean;
}

export interface TimelinePoint {
  /** Window end, epoch ms. */
  t: number;
  score: number;
  anomalous: boolean;
  /** Betti numbers per dimension at the window's characteristic scale, keyed "0", "1", … */
  betti: Record<string, number>;
  /** Distances to the baseline, e.g. { w2: …, bottleneck: … }. */
  distance: Record<string, number>;
  /** Fleets (several entities): the entity with the highest score here, whose betti/distance these are. */
  entity?: string;
  /** Fleets: how many entities are flagged at this window. */
  flagged?: number;
}

export interface AnomalySpan {
  /** Onset estimate: the start of the first flagged window, epoch ms. */
  start: number;
  /**
   * When the data first allowed the flag: the end of the first flagged window, epoch ms. Always set by
   * the timeline; optional only because reports saved before it existed lack it.
   */
  detectedAt?: number;
  end: number;
  /** Highest score inside the span. */
  peak: number;
  /** Series keys (see seriesKey) that move the score most, strongest first. */
  series: string[];
  /** The entity (host) whose timeline the span is on; absent when the file is one entity. */
  entity?: string;
}

/** A fleet-wide event: many entities flagged at once (a deploy, a traffic spike), reported once. */
export interface FleetSpan {
  start: number;
  detectedAt: number;
  end: number;
  /** Highest entity score inside the span. */
  peak: number;
  /** Entities flagged during the span, most flagged windows first. */
  entities: string[];
  /** The series keys that drove the most entity spans, with the entity label left out. */
  series: string[];
}

/** One entity (host) and how much it concerns the operator; `rank` 1 is the most concerning. */
export interface EntitySummary {
  entity: string;
  rank: number;
  /**
   * Concern now (at the end of the data), in threshold units: the largest of its anomaly peaks / threshold (up
   * to 1, then a quarter of the excess: src/lib/analysis/fleet.ts ownConcern) and its peer-outlier peaks / the
   * peer threshold (each halved every hour since the span ended), its highest
   * peer score over the last few windows / the peer threshold, and 1 + its 1 h risk when the model alarms.
   * Above 1, something crossed its threshold.
   */
  score: number;
  anomalies: { start: number; end: number; detectedAt: number; peak: number; series: string[] }[];
  /** When it last stood apart from its peers: how far (peak score) and since when; null when never. */
  outlier: { score: number; since: number; until: number } | null;
  /** The model's risk per horizon and scenario, null where the model cannot read the entity. */
  risk: Record<string, number> | null;
  scenario: Scenario | null;
  /** The entity's own latest window (its robust z score and flag); absent when it has no timeline of its own. */
  latest?: { t: number; score: number; anomalous: boolean };
  /**
   * Fleets only: its concern at each window of the fleet timeline (aligned to `timeline[i].t`), in the units
   * of `score`, rounded to 2 decimals; null where it has no score at that window.
   */
  trace?: (number | null)[];
}

export interface FleetDetails {
  /** The label that names entities (`instance`, `host`, …), null when the file is one entity. */
  label: string | null;
  entities: number;
  /** How the fleet timeline is made from entity timelines. */
  aggregation: string;
  /** Fleet-wide events; entity spans inside them are not repeated in `anomalies`. */
  spans: FleetSpan[];
  /** Peer-outlier threshold (see src/lib/analysis/peers.ts), or null when there are too few peers. */
  peerThreshold: number | null;
}

export type Scenario =
  | 'disk_fill'
  | 'memory_leak'
  | 'cpu_saturation'
  | 'fd_exhaustion'
  | 'network_saturation'
  | 'cascading_overload'
  | 'none';

export interface Prediction {
  /** The `instance` label when there is one. */
  entity: string;
  scenario: Scenario;
  /** Failure probability per horizon, keyed by the model's horizon names (e.g. "15m", "1h", "6h"). */
  risk: Record<string, number>;
  ttfMinutes: number | null;
  ttfInterval: [number, number] | null;
  confidence: number;
  recommendations: string[];
  /** A Prometheus alerting rule in YAML for what was found. */
  alertRule: string;
}

export interface Report {
  input: {
    origin: string;
    format: string;
    series: number;
    samples: number;
    start: number;
    end: number;
    stepMs: number;
    /** Rows the importer refused: all counted, the first few with their line and reason; absent when none were. */
    rejected?: { count: number; first: RejectedRow[] };
  };
  settings: AnalysisSettings;
  timeline: TimelinePoint[];
  anomalies: AnomalySpan[];
  predictions: Prediction[];
  /** Entities sorted by concern (rank 1 first); one entry when the file is one entity. */
  entities?: EntitySummary[];
  /** How entities were found and aggregated, and fleet-wide events. */
  fleet?: FleetDetails;
  /** How the timeline was computed and what it left out (optional: older reports lack it). */
  analysis?: AnalysisDetails;
}

export interface AnalysisDetails {
  /** The span taken as normal operation and the window whose diagram is the reference. */
  baseline: { start: number; end: number; windows: number; reference: number } | null;
  /** Delay embedding per series (takens cloud). */
  embedding: { delay: number[]; dim: number[] } | null;
  /** Windows skipped because too many of their points had gaps. */
  skipped: { t: number; reason: string }[];
  /** Windows whose cloud was reduced to max–min landmarks. */
  landmarked: number;
  /** Series converted from counters to per-second rates. */
  rates: string[];
  /** Things the reader should know: why there is no timeline yet, why predictions are empty, … */
  notes: string[];
}
