// The model's contract: which features it reads (in order), which horizons and scenarios it predicts.
// Training writes these into the model card (models/<name>.json); inference checks the card matches.
import type { Scenario } from '../report/types.ts';
import { CHANNELS, type Channel } from '../domain/channels.ts';
import { FAILURE_SCENARIOS } from '../domain/scenarios.ts';

// The channels are part of the model's contract; they are defined with the metric-to-channel map.
export { CHANNELS, type Channel };

/**
 * Per channel, per 5-minute bucket:
 * - level: memory/swap/disk = fraction of the highest value seen so far; cpu = busy ratio; load = load per CPU;
 *   io = disk busy ratio; errors = log10(ratio + 1e-4)/4 + 1; others = ln(value / 6-hour running baseline).
 * - slope: least-squares slope of the level over the last 30 min, per hour.
 * - trend: the same over the last 3 h (sees through sawtooths and daily wiggles).
 * - volatility: standard deviation of bucket-to-bucket changes over the last 30 min.
 * - present: 1 when the host has a metric for the channel, else 0 (and the other four are 0).
 */
export const CHANNEL_FEATURES = ['level', 'slope', 'trend', 'volatility', 'present'] as const;

/**
 * Channels that run out (or saturate), each with two estimates of the time `eta` until the limit:
 * - `<c>_eta`: exp(-eta/6h), eta from the 3-hour trend (steady, sees through sawtooths);
 * - `<c>_eta_short`: exp(-eta/1h), eta from the 30-minute slope (quick to follow a ramp that just began
 *   or is speeding up, which the 3-hour trend underestimates).
 * Both are 0 when the level is not heading for the limit.
 */
export const ETA_CHANNELS = ['memory', 'swap', 'disk', 'cpu'] as const satisfies readonly Channel[];

/**
 * Topology of the host's state cloud (its channel levels over the last hour, z-scored per channel):
 * total persistence of H0 and H1 per sqrt(dimension), and whether they were computed.
 */
export const TDA_FEATURES = ['tda_h0', 'tda_h1', 'tda_present'] as const;
export const TIME_FEATURES = ['hour_sin', 'hour_cos'] as const;
/**
 * The fleet around the host: `peers_down` = share of the other entities in the frame that stopped reporting
 * (no sample for 15 min) within the last 6 h. When a peer dies its load moves to the survivors, so this is
 * what tells a cascading overload from a host saturating on its own.
 */
export const FLEET_FEATURES = ['peers_down'] as const;

export const FEATURE_NAMES: readonly string[] = [
  ...CHANNELS.flatMap((c) => CHANNEL_FEATURES.map((f) => `${c}_${f}`)),
  ...ETA_CHANNELS.map((c) => `${c}_eta`),
  ...ETA_CHANNELS.map((c) => `${c}_eta_short`),
  ...TDA_FEATURES,
  ...TIME_FEATURES,
  ...FLEET_FEATURES,
];
export const FEATURE_COUNT = FEATURE_NAMES.length;

export const BUCKET_MINUTES = 5;
export const BUCKET_MS = BUCKET_MINUTES * 60e3;
/**
 * Buckets the model reads per prediction: 24 × 5 min = 2 h of history (longer memory is in the features:
 * 3-hour trends, 6-hour baselines). Kept short because the sequence is unrolled in the ONNX graph.
 */
export const SEQ_LEN = 24;
/** Buckets in the state cloud for the topological features: 12 × 5 min = 1 h. */
export const TDA_WINDOW = 12;

export const HORIZONS = [
  { name: '15m', minutes: 15 },
  { name: '1h', minutes: 60 },
  { name: '6h', minutes: 360 },
] as const;

/** The model's scenario outputs, in this order: the generator's failures, then 'none'. */
export const MODEL_SCENARIOS: readonly Scenario[] = [...FAILURE_SCENARIOS, 'none'];

/** Quantiles of the time-to-failure heads. */
export const TTF_QUANTILES = [0.1, 0.5, 0.9] as const;
