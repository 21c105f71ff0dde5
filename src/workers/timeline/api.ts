// Messages of a timeline worker: one RunnerRequest in, its response out (src/lib/timeline/runner.ts).
import type { RunnerRequest, ResponseOf } from '../../lib/timeline/runner.ts';

export interface TimelineWorkerApi {
  run<R extends RunnerRequest>(request: R): Promise<ResponseOf<R>>;
}
