// Public surface of the failure predictor. Host-agnostic: pass the onnxruntime-web module you loaded.
// `createNodePredictor` loads the Node host (src/node) on demand, so importing this file in a browser is safe.
export {
  createPredictor,
  graphOptimizationFor,
  predictFrame,
  predictWindows,
  runModel,
  toPrediction,
  confidenceOf,
  isAlarm,
  hasEvidence,
} from './predict.ts';
export type { OrtModule, Predictor, PredictorOptions, PredictOptions, ModelOutput } from './predict.ts';
export { extractFeatures, sequenceAt, frameGrid, lastObservedBucket } from './features.ts';
export type { HostFeatures, FeatureOptions, Normalisation } from './features.ts';
export { checkCard, alarmThreshold, alarmPersistence, sustained } from './card.ts';
export { riskTrace, MAX_TRACE_POINTS } from './trace.ts';
export type { RiskPoint } from './trace.ts';
export type { ModelCard } from './card.ts';
export { chooseExecutionProvider, probeGpu } from './ep.ts';
export type { ExecutionProvider, EpPreference, GpuProbe, EpDecision } from './ep.ts';
export { recommend, formatMinutes, RULES } from './recommend.ts';
export { alertRule, alertExpression } from './alert-rule.ts';
export { channelOf, entityOf } from '../domain/channels.ts';
export * from './spec.ts';
import type { NodePredictorOptions } from '../../node/predictor.ts';
import type { Predictor } from './predict.ts';

/** A predictor over the committed model with onnxruntime-web's WASM backend, for Node (CLI, tests, eval). */
export async function createNodePredictor(opts: NodePredictorOptions = {}): Promise<Predictor> {
  const node = await import('../../node/predictor.ts');
  return node.createNodePredictor(opts);
}
