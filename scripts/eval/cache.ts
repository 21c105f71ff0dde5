// A WindowRunner that remembers answers, for evaluations that run the timeline on the same data with
// settings that change only the scoring (threshold, fused statistics): the persistence computations,
// which are nearly all the time, are then done once per machine. Answers are keyed by what determines
// them (window config, window end, columns left out, or the content of the diagrams compared), so a
// different window or stride never reuses one.
import type { Diagram } from '../../src/lib/tda/types.ts';
import { leaveKey, type WindowResult } from '../../src/lib/timeline/window.ts';
import type { ResponseOf, RunnerRequest, WindowRunner } from '../../src/lib/timeline/runner.ts';

/** Cheap content fingerprint of diagram lists (weighted sums; collisions would need equal sums). */
function fingerprint(sets: Diagram[][]): string {
  let a = 0;
  let b = 0;
  let n = 0;
  for (const set of sets)
    for (const d of set)
      for (let i = 0; i < d.deaths.length; i++) {
        const x = Number.isFinite(d.deaths[i]) ? d.deaths[i] : 1e6;
        a += d.births[i] * (++n % 7919) + x;
        b += x * (n % 104729) + d.dim;
      }
  return `${sets.length}:${n}:${a}:${b}`;
}

export class CachingRunner implements WindowRunner {
  constructor(
    private readonly inner: WindowRunner,
    private readonly store: Map<string, unknown>,
  ) {}

  get concurrency(): number {
    return this.inner.concurrency;
  }

  async run<R extends RunnerRequest>(request: R, signal?: AbortSignal): Promise<ResponseOf<R>> {
    if (request.kind === 'windows') {
      const cfg = JSON.stringify(request.config) + (request.baseline ? 'b' : 'n');
      const keys = request.tasks.map((t) => `w|${cfg}|${t.key}|${t.rows}|${leaveKey(t.leaveOut)}`);
      const missing = request.tasks.filter((_, i) => !this.store.has(keys[i]));
      if (missing.length) {
        const fresh = (await this.inner.run({ ...request, tasks: missing }, signal)) as WindowResult[];
        let k = 0;
        request.tasks.forEach((_, i) => {
          if (!this.store.has(keys[i])) this.store.set(keys[i], fresh[k++]);
        });
      }
      return keys.map((k) => this.store.get(k)) as ResponseOf<R>;
    }
    // Peer heights are computed once per analysis: nothing to keep.
    if (request.kind === 'heights') return this.inner.run(request, signal);
    let key: string;
    if (request.kind === 'attribute')
      key = `a|${JSON.stringify(request.config)}|${request.peak.key}|${leaveKey(request.peak.leaveOut)}`;
    else if (request.kind === 'distances') key = `d|${fingerprint(request.sets)}|${fingerprint([request.baseline])}`;
    else key = `p|${fingerprint(request.sets)}`;
    if (!this.store.has(key)) this.store.set(key, await this.inner.run(request, signal));
    return this.store.get(key) as ResponseOf<R>;
  }

  async close(): Promise<void> {}
}
