// Entry of each Node pool worker: registers tsx in this thread, then loads the TypeScript worker.
// (Worker threads do not inherit the parent's loader, and `execArgv: ['--import', 'tsx']` is not
// honoured when the parent runs under vitest.) Resolving tsx from this file works from any cwd.
import { register } from 'tsx/esm/api';

register();
await import('./worker-node.ts');
