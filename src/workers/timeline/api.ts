// Messages of a timeline worker: one request, or several window requests at once, in; the response out, or
// for window requests every result in one encoded buffer with how many each request has (wire.ts).
import type { RunnerRequest } from '../../lib/timeline/runner.ts';
import type { EncodedWindows } from '../../lib/timeline/wire.ts';

export type TimelineAnswer = { response: unknown } | { wire: EncodedWindows; counts: number[] };

export interface TimelineWorkerApi {
  run(requests: RunnerRequest[]): Promise<TimelineAnswer>;
}
