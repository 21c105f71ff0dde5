// The one analysis pipeline and its settings (see analyse.ts).
export * from './analyse.ts';
export * from './settings.ts';
export { modelPredictor } from './model-predictor.ts';
