// Entry of each Node pool worker when running from source: registers tsx in this thread, then loads the
// TypeScript worker. (Worker threads do not inherit the parent's loader, and `execArgv: ['--import', 'tsx']`
// is not honoured when the parent runs under vitest.) The built CLI uses dist-node/worker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
