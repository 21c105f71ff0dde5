// Series -> aligned, normalised frame -> windows -> point clouds.
export * from './align.ts';
export * from './counters.ts';
export * from './normalise.ts';
export * from './windows.ts';
export * from './state.ts';
export * from './takens.ts';
export * from './landmarks.ts';
export * from './stats.ts';
export * from './project.ts';
