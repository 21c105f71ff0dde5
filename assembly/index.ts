// The one WebAssembly module AURA ships. Each engine lives in its own file and is re-exported here.
export * from './memory';
export * from './ripser';
export * from './matching';
export * from './spanning';
