// The anomaly timeline: per-window topology (window.ts, run by a WindowRunner), scoring and the driver.
export * from './features.ts';
export * from './level.ts';
export * from './runner.ts';
export * from './score.ts';
export * from './timeline.ts';
export * from './topology.ts';
export * from './window.ts';
